// Shared helpers for the browser tests and the measurement script: a static server for dist/
// on 127.0.0.1 (a free port), and Chromium launched the way this machine needs.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.webp': 'image/webp', '.webmanifest': 'application/manifest+json',
};
// The headers the published site sends (scripts/publish.sh: response headers policy and object
// metadata), so the browser tests run under the same Content-Security-Policy and caching.
const site = JSON.parse(fs.readFileSync(new URL('../scripts/site-headers.json', import.meta.url)));
const SECURITY = {
  'content-security-policy': site.content_security_policy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': site.frame_option,
  'referrer-policy': site.referrer_policy,
};
const ENTRY_POINTS = new Set(['index.html', 'sw.js', 'manifest.webmanifest']);
const cacheControl = (file) => (ENTRY_POINTS.has(path.basename(file)) ? 'no-cache' : 'public, max-age=31536000, immutable');

// Brotli at quality 11, as the published wasm is stored (scripts/publish_lib.py).
export const brotli = (data) => zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } });

// Serves `dir` (`setRoot` swaps it, as publishing a new release would). Like the published
// site: CloudFront compresses text with Brotli (or gzip) as the browser accepts, and the wasm is
// stored as Brotli (scripts/publish_lib.py).
// `securityHeaders: false` serves a build made before the CSP (the measurement's baseline).
export async function serveDist(dir, { securityHeaders = true } = {}) {
  let root = path.resolve(dir);
  // Compressed once per file and encoding, as CloudFront caches its compressed copies.
  const packed = new Map();
  const compress = (file, data, encoding) => {
    const key = `${file}:${fs.statSync(file).mtimeMs}:${encoding}`;
    if (!packed.has(key)) {
      packed.set(key, encoding === 'br' ? brotli(data) : zlib.gzipSync(data, { level: 9 }));
    }
    return packed.get(key);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); return res.end('not found'); }
      const headers = { ...(securityHeaders ? SECURITY : {}), 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': cacheControl(file) };
      const accepts = req.headers['accept-encoding'] || '';
      const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null;
      if (encoding && !/\.(png|webp)$/.test(file)) {
        data = compress(file, data, encoding);
        headers['content-encoding'] = encoding;
      }
      headers['content-length'] = data.length;
      res.writeHead(200, headers);
      res.end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/`, setRoot: (d) => { root = path.resolve(d); } };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc'],
  });
}

// Resolves once the app has mounted and painted its first chart, or has mounted with no chart in
// view (a phone: charts out of view wait until scrolled to), and its inputs are built (in the task
// after the first chart).
export async function ready(page) {
  await page.waitForFunction(() => {
    if (!document.getElementById('f-peak_rps')) return false;
    if (document.querySelector('canvas[data-paints]')) return true;
    const inView = (c) => { const r = c.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; };
    const canvases = [...document.querySelectorAll('canvas')];
    return canvases.length > 0 && document.getElementById('total')?.textContent && !canvases.some(inView);
  }, null, { timeout: 30000, polling: 'raf' });
}

// Charts out of view do not repaint: scroll one into view and wait until it has painted.
export async function seen(page, id) {
  return page.evaluate(async (id) => {
    const c = document.getElementById(id);
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const r = c.getBoundingClientRect();
    const wasInView = r.bottom > 0 && r.top < innerHeight;
    const before = c.dataset.paints;
    c.scrollIntoView({ block: 'center' });
    // Coming into view, it repaints once the IntersectionObserver reports it (a frame or two).
    for (let i = 0; i < (wasInView ? 2 : 60) && c.dataset.paints === before; i++) await frame();
    await frame();
    return Number(c.dataset.paints || 0);
  }, id);
}

export function usd(v) {
  const cents = Math.round(v * 100);
  const whole = Math.floor(Math.abs(cents) / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cents < 0 ? '-' : ''}$${whole}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
}
