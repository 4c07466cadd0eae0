'use strict';
// Webpack plugin for the UMD bundle: puts parentheses around the library's factory function,
//   !function(root, factory){ … }(globalThis, (() => (() => { …the bundle… })()));
// so that V8 compiles the factory while it streams the script, on a background thread
// (a function expression in parentheses is "possibly invoked immediately": V8 compiles it eagerly
// with the script). Without them the factory — which holds the whole bundle — is only pre-parsed
// with the script, then parsed again in full on the main thread when the UMD wrapper calls it.
// Only that one function changes; the modules inside stay lazily compiled. The source map is
// kept exact (webpack-sources ReplaceSource), and the change runs after minification, before the
// source map is written. See docs/architecture.md, "Start-up".
const { Compilation, sources } = require('webpack');

const NAME = 'EagerFactoryPlugin';
const FACTORY_START = 'globalThis,()=>'; // what terser makes of webpack's UMD call

class EagerFactoryPlugin {
  /** @param {{ file: string }} options the UMD bundle's file name (e.g. jsxc.bundle.js) */
  constructor({ file }) {
    this.file = file;
  }

  apply(compiler) {
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      compilation.hooks.processAssets.tap({ name: NAME, stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_SIZE + 50 }, () => {
        const asset = compilation.getAsset(this.file);
        if (!asset || compiler.options.mode !== 'production') {
          return;
        }
        const code = asset.source.source().toString();
        const start = code.indexOf(FACTORY_START);
        const end = code.replace(/[\s;]*$/, '').length - 1; // the UMD call's closing parenthesis
        if (start < 0 || code.indexOf(FACTORY_START, start + 1) >= 0 || code[end] !== ')' || !code.startsWith('!function(')) {
          compilation.warnings.push(new Error(`${NAME}: the UMD wrapper of ${this.file} has an unexpected shape; its factory is left lazily compiled`));
          return;
        }
        const patched = new sources.ReplaceSource(asset.source);
        patched.insert(start + 'globalThis,'.length, '(');
        patched.insert(end, ')');
        compilation.updateAsset(this.file, patched);
      });
    });
  }
}

module.exports = { EagerFactoryPlugin };
