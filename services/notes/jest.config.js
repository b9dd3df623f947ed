const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'notes',
  rootDir: __dirname,
  passWithNoTests: true,
  // marked ships ESM only, which jest's CommonJS runtime cannot require without a flag; its UMD build is the same code
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^marked$': require.resolve('marked').replace(/marked\.esm\.js$/, 'marked.umd.js'),
  },
};
