// The planner's service worker: keeps one release's files so the app opens with the network off.
// scripts/post-build.mjs fills in VERSION (a hash of every file) and FILES (the release's
// files), so a new release is a new sw.js and the browser installs it beside the old one. The
// new worker waits until the page asks it to take over (the "new version" offer), so a page never
// mixes the files of two releases.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `planner-${VERSION}`;
const INDEX = new URL('index.html', self.registration.scope).href;
const SCOPE = self.registration.scope;

self.addEventListener('install', (event) => {
  // Hashed files usually come from the HTTP cache (they are immutable); index.html is revalidated.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener('activate', (event) => {
  // Older releases' caches go once this release is in charge.
  event.waitUntil(caches.keys().then((keys) =>
    Promise.all(keys.filter((k) => k.startsWith('planner-') && k !== CACHE).map((k) => caches.delete(k)))));
});

self.addEventListener('message', (event) => {
  if (event.data === 'take-over') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  const url = new URL(request.url);
  // The page itself, with any query (a share link's #s=... never reaches the network).
  const page = request.mode === 'navigate' && (url.pathname === new URL(SCOPE).pathname || url.href.split('?')[0] === INDEX);
  const key = page ? INDEX : request;
  event.respondWith(caches.open(CACHE)
    .then((cache) => cache.match(key))
    .then((hit) => hit || fetch(request)));
});
