const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'cli',
  rootDir: __dirname,
  // marked ships ESM only, which jest's CommonJS runtime cannot require without a flag; its UMD build is the same code.
  // commander (ESM only too) is never loaded in-process: the argument tests run the CLI as a child process.
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^marked$': require.resolve('marked').replace(/marked\.esm\.js$/, 'marked.umd.js'),
  },
};
