import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { chromium } from 'playwright-core';

// A bundler project that depends on us: `import JSXC from '<our package>'` must find the ES module
// build and its .d.ts types through package.json "exports", type-check, bundle, and run.
const ROOT = path.join(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { launchOptions } = require('../../scripts/lib/chromium.js');

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsxc-consumer-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', pkg.name), 'dir');
  fs.writeFileSync(
    path.join(dir, 'app.ts'),
    `import JSXC, { type Options } from '${pkg.name}';
const options: Options = { rosterVisibility: 'hidden', connectTimeout: 5000 };
const jsxc = new JSXC(options);
(window as unknown as { result: string }).result = JSXC.version + ':' + typeof jsxc.start;
`,
  );
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2020', lib: ['ES2022', 'DOM'], noEmit: true, skipLibCheck: true, types: [] }, files: ['app.ts'] }),
  );
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

it('resolves the ES module build and the types through package.json exports', () => {
  const resolved = require.resolve(pkg.name, { paths: [dir] });
  expect(path.relative(ROOT, fs.realpathSync(resolved))).toBe(path.join('dist', 'jsxc.bundle.js'));
  const exportsField = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> }).exports['.'];
  expect(fs.existsSync(path.join(ROOT, exportsField.import))).toBe(true);
  expect(fs.existsSync(path.join(ROOT, exportsField.types))).toBe(true);
  // a strict TypeScript project type-checks against our .d.ts
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { cwd: dir, stdio: 'pipe' });
});

it('a webpack project bundles the ES module build, and it runs in the browser', async () => {
  const webpack = require.resolve('webpack-cli/bin/cli.js');
  fs.writeFileSync(path.join(dir, 'entry.js'), fs.readFileSync(path.join(dir, 'app.ts'), 'utf8').replace(/, \{ type Options \}/, '').replace(/: Options/, '').replace(/ as unknown as \{ result: string \}/, ''));
  execFileSync(process.execPath, [webpack, '--mode', 'production', '--entry', './entry.js', '--output-path', path.join(dir, 'out'), '--no-devtool'], {
    cwd: dir,
    stdio: 'pipe',
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
  });
  const browser = await chromium.launch(launchOptions());
  try {
    fs.writeFileSync(path.join(dir, 'out', 'index.html'), '<!doctype html><title>consumer</title><body><script src="main.js"></script></body>');
    const page = await browser.newPage();
    await page.goto(`file://${path.join(dir, 'out', 'index.html')}`);
    expect(await page.evaluate(() => (window as unknown as { result: string }).result)).toBe(`${pkg.version}:function`);
  } finally {
    await browser.close();
  }
}, 120000); // a production webpack build; slow on a loaded machine
