module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'notes',
  rootDir: __dirname,
  passWithNoTests: true,
};
