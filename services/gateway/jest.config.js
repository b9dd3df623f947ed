const preset = require('../../jest.preset.js');

// @fastify/static (the web app's files) requires content-disposition 3, an ES module jest's CommonJS
// runtime cannot load (Node itself can): swc turns that one package into CommonJS for the specs.
const ESM_DEPENDENCIES = ['content-disposition'];

module.exports = {
  ...preset,
  displayName: 'gateway',
  rootDir: __dirname,
  passWithNoTests: true,
  transform: {
    ...preset.transform,
    [`node_modules/(${ESM_DEPENDENCIES.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { swcrc: false, jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(@fastify/static/node_modules/)?(${ESM_DEPENDENCIES.join('|')})/)`],
};
