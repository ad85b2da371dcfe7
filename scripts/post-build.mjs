// trunk post_build hook (Trunk.toml): builds the page's wasm and turns trunk's output into an
// installable, offline app that runs under a strict Content-Security-Policy. In
// $TRUNK_STAGING_DIR it
//   1. builds the page's wasm (scripts/page-wasm.mjs) and writes its start-up module,
//      boot-<hash>.js, followed by web/update.js (service worker registration, "new version"
//      offer): no inline script, so the CSP needs no 'unsafe-inline' and no per-release hash;
//   2. copies the icons (web/icons/, content-hashed names) and writes manifest.webmanifest;
//   3. in release builds, puts the snapshot of the app's first frame into index.html
//      (scripts/first-frame.mjs, shown by web/first-frame.js until the wasm has started);
//   4. writes sw.js from web/sw.js with the list of every file and a version hash of them all.
// Usage (trunk runs it): node scripts/post-build.mjs [DIR]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildPage, timings } from './page-wasm.mjs';

const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('post-build: no directory (TRUNK_STAGING_DIR unset)');
const web = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'web');
const hash = (data) => crypto.createHash('sha256').update(data).digest('hex').slice(0, 16);
const write = (name, data) => fs.writeFileSync(path.join(dir, name), data);
// A file named by its content: NAME-<hash>.EXT, as trunk names its own outputs.
function writeHashed(stem, ext, data) {
  const name = `${stem}-${hash(data)}.${ext}`;
  write(name, data);
  return name;
}

// --- 1. the page's wasm and its start-up script ----------------------------------------------
// scripts/page-wasm.mjs builds the page's wasm (cut in two in release builds); the start-up
// module is a file, followed by web/update.js (service worker registration, "new version"
// offer): no inline script, so the CSP needs no 'unsafe-inline' and no per-release hash.
let html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
// Debug builds (`trunk serve` without --release) get no service worker: every reload shows the
// latest build.
const release = process.env.TRUNK_PROFILE !== 'debug';
const page = buildPage(dir, release);
const start = `import init, * as bindings from './${page.glue}';
// If the wasm cannot start, the first frame's snapshot (inert) must not stay as if it had.
const wasm = await init({ module_or_path: './${page.wasm}' })
  .catch((e) => {
    document.getElementById('first-frame')?.remove();
    const cue = document.getElementById('loading');
    if (cue) cue.textContent = 'The planner could not start here. Reload the page to try again.';
    throw e;
  });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
`;
const boot = `${start}\n${release ? fs.readFileSync(path.join(web, 'update.js'), 'utf8') : ''}`;
// The glue, the wasm and the chunk loader (the glue imports it: without its own link it would
// be fetched only once the glue is parsed) are fetched while the boot module is: all are named
// in <head>. The chunks themselves are fetched after the first chart.
html = html.replace('</head>', [
  `<script type="module" src="./${writeHashed('boot', 'js', boot)}"></script>`,
  `<link rel="modulepreload" href="./${page.glue}" crossorigin="anonymous">`,
  ...page.chunks.filter((f) => f.endsWith('.js')).map((f) => `<link rel="modulepreload" href="./${f}" crossorigin="anonymous">`),
  `<link rel="preload" href="./${page.wasm}" crossorigin="anonymous" as="fetch" type="application/wasm">`,
  '</head>'].join('\n'));
// The CSP runs no inline script: neither a <script> without src nor an on... attribute.
function noInlineScript(page) {
  if (/<script(?![^>]*\ssrc\s*=)[^>]*>|<[^>]+\son[a-z]+\s*=/i.test(page)) throw new Error('post-build: index.html has an inline script');
}
noInlineScript(html);

// --- 1b. the exports worker -----------------------------------------------------------------
// trunk names a worker's files after its binary, without a content hash (exports-worker.js,
// exports-worker_bg.wasm, exports-worker_loader.js). Hashed names let them be cached as
// immutable like every other asset; the page finds the loader through a <meta> tag.
const WORKER = 'exports-worker';
if (fs.existsSync(path.join(dir, `${WORKER}_loader.js`))) {
  const move = (from, stem, ext) => {
    const data = fs.readFileSync(path.join(dir, from));
    fs.unlinkSync(path.join(dir, from));
    return writeHashed(stem, ext, data);
  };
  const glue = move(`${WORKER}.js`, WORKER, 'js');
  const wasmData = fs.readFileSync(path.join(dir, `${WORKER}_bg.wasm`));
  fs.unlinkSync(path.join(dir, `${WORKER}_bg.wasm`));
  const wasm = `${WORKER}-${hash(wasmData)}_bg.wasm`;
  write(wasm, wasmData);
  fs.unlinkSync(path.join(dir, `${WORKER}_loader.js`));
  const loader = writeHashed(`${WORKER}-loader`, 'js',
    `importScripts("./${glue}");wasm_bindgen({ module_or_path: "./${wasm}" });\n`);
  html = html.replace('</head>', `<meta name="exports-worker" content="./${loader}">\n</head>`);
}

// --- 2. icons and manifest ------------------------------------------------------------------
// The icons are committed files (web/icons/), copied under content-hashed names.
const iconFile = (name) => writeHashed(name, 'png', fs.readFileSync(path.join(web, 'icons', `${name}.png`)));
const icons = {
  favicon: iconFile('icon-32'),
  apple: iconFile('icon-180'),
  any192: iconFile('icon-192'),
  any512: iconFile('icon-512'),
  maskable: iconFile('icon-maskable-512'),
};
const manifest = {
  name: 'Bridge Scaling Planner',
  short_name: 'Scaling Planner',
  description: 'Plan, price and export the AWS scaling of a web app.',
  start_url: './',
  scope: './',
  display: 'standalone',
  background_color: '#ffffff',
  theme_color: '#1f4e79',
  icons: [
    { src: `./${icons.any192}`, sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: `./${icons.any512}`, sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: `./${icons.maskable}`, sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
};
write('manifest.webmanifest', `${JSON.stringify(manifest, null, 2)}\n`);
const head = [
  '<link rel="manifest" href="./manifest.webmanifest">',
  `<link rel="icon" type="image/png" sizes="32x32" href="./${icons.favicon}">`,
  `<link rel="apple-touch-icon" href="./${icons.apple}">`,
  '<meta name="theme-color" content="#1f4e79">',
].join('\n');
html = html.replace('</head>', `${head}\n</head>`);
write('index.html', html);
if (!release) process.exit(0);

// --- 3. the first frame's snapshot ----------------------------------------------------------
// Taken from the page just built (headless Chromium, scripts/first-frame.mjs). A build that
// cannot take it fails; PAGE_FIRST_FRAME=0 builds without it (to measure what it buys).
if (process.env.PAGE_FIRST_FRAME !== '0') {
  // Imported here: debug builds never load it (nor playwright-core).
  const { takeFirstFrame } = await import('./first-frame.mjs');
  const started = performance.now();
  const shot = await takeFirstFrame(dir).catch((e) => {
    throw new Error(`post-build: the first frame's snapshot could not be taken (${e.message.split('\n')[0]}); `
      + 'bash scripts/setup.sh installs Chromium; PAGE_FIRST_FRAME=0 builds without the snapshot');
  });
  let frame = shot.html;
  const images = [];
  shot.images.forEach(([id, webp], i) => {
    const name = writeHashed(`first-frame-${id}`, 'webp', webp);
    frame = frame.replace(`__IMAGE_${i}__`, () => `./${name}`);
    // Fetched by the script in <head> as soon as it decides to show the snapshot.
    images.push(`./${name}`);
  });
  const show = writeHashed('first-frame', 'js', fs.readFileSync(path.join(web, 'first-frame.js')));
  // Replacement functions: the page's text must not be read as `$&`-style patterns.
  html = html.replace('</head>', () => `<script src="./${show}" data-images="${images.join(' ')}" data-wasm="./${page.wasm}"></script>\n</head>`)
    .replace('</body>', () => `<template id="first-frame-snapshot">${frame}</template>\n</body>`);
  noInlineScript(html);
  write('index.html', html);
  timings.push(['first-frame snapshot', performance.now() - started]);
  console.log(`post-build: first-frame snapshot, ${shot.elements} elements, ${shot.images.length} charts`);
}

// --- 4. the service worker ------------------------------------------------------------------
const files = fs.readdirSync(dir, { recursive: true })
  .filter((f) => fs.statSync(path.join(dir, f)).isFile() && f !== 'sw.js')
  .map((f) => f.split(path.sep).join('/'))
  .sort();
const version = hash(Buffer.concat(files.map((f) => Buffer.concat([Buffer.from(`${f}\0`), fs.readFileSync(path.join(dir, f))]))));
const sw = fs.readFileSync(path.join(web, 'sw.js'), 'utf8')
  .replace('__VERSION__', version)
  .replace('__FILES__', JSON.stringify(files.map((f) => `./${f}`)));
write('sw.js', sw);
console.log(`post-build: ${files.length} files precached, version ${version}`);
console.log(`post-build: step times: ${timings.map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
