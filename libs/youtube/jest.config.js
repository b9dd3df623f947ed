module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'youtube',
  rootDir: __dirname,
  passWithNoTests: true,
};
