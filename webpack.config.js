'use strict';
// Two outputs from one source:
//  - dist/jsxc.bundle.js: UMD, global `JSXC`, for a plain <script> tag (the manual's install path);
//  - dist/esm/jsxc.mjs: an ES module for bundlers (package.json "exports"), types in dist/types.
// Both are minified with source maps, use no eval (CSP without 'unsafe-eval'), load lazy chunks
// relative to the script's own URL (publicPath 'auto'), and ship the Handlebars runtime only:
// templates are precompiled here by handlebars-loader.
const path = require('path');
const webpack = require('webpack');
const MiniCssExtractPlugin = require('mini-css-extract-plugin');
const pkg = require('./package.json');
const { EagerFactoryPlugin } = require('./scripts/lib/eager-factory-plugin');

function config(kind, argv) {
  const production = argv.mode !== 'development';
  const esm = kind === 'esm';
  return {
    name: kind,
    mode: production ? 'production' : 'development',
    entry: { jsxc: './src/index.ts' },
    devtool: 'source-map',
    target: ['web', 'es2020'],
    experiments: esm ? { outputModule: true } : {},
    output: {
      path: path.resolve(__dirname, esm ? 'dist/esm' : 'dist'),
      filename: esm ? '[name].mjs' : '[name].bundle.js',
      chunkFilename: esm ? 'chunks/[name].[contenthash:8].mjs' : 'chunks/[name].[contenthash:8].js',
      publicPath: 'auto',
      library: esm ? { type: 'module' } : { name: 'JSXC', type: 'umd', export: 'default', umdNamedDefine: true },
      globalObject: 'globalThis',
      // keep our chunk loader apart from any other webpack bundle the host page runs
      uniqueName: 'jsxc',
      chunkLoadingGlobal: 'jsxcChunks',
      clean: !esm ? { keep: /^(esm|types)\// } : true,
    },
    resolve: {
      extensions: ['.ts', '.js'],
      alias: { handlebars: 'handlebars/runtime' },
      conditionNames: ['browser', 'import', 'module', 'default'],
    },
    module: {
      rules: [
        { test: /\.ts$/, loader: 'ts-loader', options: { transpileOnly: true, configFile: 'tsconfig.json' }, exclude: /node_modules/ },
        { test: /\.hbs$/, loader: 'handlebars-loader', options: { runtime: 'handlebars/runtime', precompileOptions: { strict: true } } },
        {
          test: /\.scss$/,
          use: esm ? [{ loader: 'null-loader' }] : [MiniCssExtractPlugin.loader, { loader: 'css-loader', options: { url: false } }, { loader: 'sass-loader', options: { api: 'modern' } }],
        },
      ],
    },
    resolveLoader: { alias: { 'null-loader': path.resolve(__dirname, 'scripts/lib/null-loader.js') } },
    plugins: [
      new webpack.DefinePlugin({ __JSXC_VERSION__: JSON.stringify(pkg.version) }),
      // the Handlebars runtime's Exception without the `new Error()` it makes at load (src/ui/handlebarsException.ts)
      new webpack.NormalModuleReplacementPlugin(/(^|\/)exception$/, (resource) => {
        if (/[\\/]node_modules[\\/]handlebars[\\/]/.test(resource.context)) {
          resource.request = path.resolve(__dirname, 'src/ui/handlebarsException.ts');
        }
      }),
      ...(esm ? [] : [new MiniCssExtractPlugin({ filename: 'styles/jsxc.bundle.css' }), new EagerFactoryPlugin({ file: 'jsxc.bundle.js' })]),
    ],
    performance: { hints: false },
    optimization: { minimize: production },
    stats: 'errors-warnings',
  };
}

module.exports = (env, argv) => [config('umd', argv), config('esm', argv)];
