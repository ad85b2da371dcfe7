// The static server for dist/: `bash scripts/serve.sh` serves the release build with it, and
// the browser tests and the measurements (e2e/lib.mjs) use the same one, on 127.0.0.1 only.
// Usage: node scripts/serve-dist.mjs DIR PORT
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.webp': 'image/webp', '.webmanifest': 'application/manifest+json',
};
// The headers the published site sends (scripts/publish.sh: response headers policy and object
// metadata), so the browser tests run under the same Content-Security-Policy and caching.
const site = JSON.parse(fs.readFileSync(new URL('./site-headers.json', import.meta.url)));
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
// `securityHeaders: false` serves a build made before the CSP (the measurement's baseline);
// `port: 0` (the tests) takes a free port.
export async function serveDist(dir, { securityHeaders = true, port = 0 } = {}) {
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
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/`, setRoot: (d) => { root = path.resolve(d); } };
}

// Run as a script: serve DIR on PORT until stopped.
if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const [dir, port] = process.argv.slice(2);
  if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`serve-dist: no index.html in ${dir}`);
  const { url } = await serveDist(dir, { port: Number(port || 8080) });
  console.log(`Serving ${dir}/ on ${url}`);
}
