'use strict';
// The ES module build leaves styles to dist/styles/jsxc.bundle.css (built by the UMD pass).
module.exports = function nullLoader() {
  return '';
};
