// Zapier's wrapper requires this file (index.js at the app root, whatever package.json's
// "main" says), so it only hands over the bundle that `node build.mts` writes.
module.exports = require('./dist/index.js');
