module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'videos',
  rootDir: __dirname,
  passWithNoTests: true,
};
