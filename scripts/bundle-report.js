#!/usr/bin/env node
'use strict';
// What the built bundle is made of: every source file's (or package's) share of the minified
// bytes, read from the bundle's source map, plus the size (raw and gzip) of each chunk.
//
//   npm run build && node scripts/bundle-report.js [--depth N] [--top N] [FILE.js]
//
// FILE defaults to dist/jsxc.bundle.js; --depth groups src/ paths by their first N parts
// (default: whole paths); node_modules are grouped by package. See docs/architecture.md, "Chunks".
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { SourceMapConsumer } = require('source-map-js'); // comes with sass (devDependency)

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);
const depth = opt('--depth', 99);
const top = opt('--top', 40);
const file = path.resolve(argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) ?? path.join(__dirname, '..', 'dist', 'jsxc.bundle.js'));

const kb = (n) => (n / 1024).toFixed(1).padStart(7);
const gzip = (buf) => zlib.gzipSync(buf, { level: 9 }).length;

function bySource(jsFile) {
  const code = fs.readFileSync(jsFile, 'utf8');
  const map = new SourceMapConsumer(JSON.parse(fs.readFileSync(`${jsFile}.map`, 'utf8')));
  const lines = code.split('\n');
  const mappings = [];
  map.eachMapping((m) => mappings.push(m), null, SourceMapConsumer.GENERATED_ORDER);
  const sizes = new Map();
  mappings.forEach((m, i) => {
    const next = mappings[i + 1];
    const end = next && next.generatedLine === m.generatedLine ? next.generatedColumn : lines[m.generatedLine - 1].length;
    const source = (m.source ?? '(unmapped)').replace(/^webpack:\/\/[^/]*\//, '').replace(/^\.\//, '');
    const pkg = source.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
    const key = pkg ? `npm:${pkg[1]}` : source.split('/').slice(0, depth).join('/');
    sizes.set(key, (sizes.get(key) ?? 0) + end - m.generatedColumn);
  });
  return { total: code.length, sizes: [...sizes].sort((a, b) => b[1] - a[1]) };
}

const { total, sizes } = bySource(file);
console.log(`${path.relative(process.cwd(), file)}: ${kb(total)} KB minified, ${kb(gzip(fs.readFileSync(file)))} KB gzip`);
console.log('\n     KB  share  source');
for (const [key, size] of sizes.slice(0, top)) {
  console.log(`${kb(size)}  ${((100 * size) / total).toFixed(1).padStart(4)}%  ${key}`);
}
const chunks = path.join(path.dirname(file), 'chunks');
if (fs.existsSync(chunks)) {
  console.log('\nchunks (minified KB, gzip KB):');
  for (const name of fs.readdirSync(chunks).filter((f) => /\.m?js$/.test(f)).sort()) {
    const buf = fs.readFileSync(path.join(chunks, name));
    console.log(`${kb(buf.length)} ${kb(gzip(buf))}  ${name}`);
  }
}
