// Appended by scripts/post-build.mjs to trunk's start-up module (after the app has started):
// registers the service worker and, when a newer release has been installed in the background,
// offers to reload into it. The scenario survives the reload: it is in the address bar and the
// autosave.
let takeOverAsked = false;

function offerNewVersion(worker) {
  if (document.getElementById('update-offer')) return;
  const bar = document.createElement('div');
  bar.id = 'update-offer';
  bar.setAttribute('role', 'status');
  bar.textContent = 'A new version of the planner is available. ';
  const reload = document.createElement('button');
  reload.id = 'update-reload';
  reload.textContent = 'Reload';
  reload.addEventListener('click', () => {
    reload.disabled = true;
    takeOverAsked = true;
    if (worker) worker.postMessage('take-over');
    else location.reload();
  });
  const later = document.createElement('button');
  later.textContent = 'Later';
  later.addEventListener('click', () => bar.remove());
  bar.append(reload, ' ', later);
  // Set through the CSSOM: the Content-Security-Policy allows no inline style attributes.
  Object.assign(bar.style, {
    position: 'fixed', left: '50%', bottom: '16px', transform: 'translateX(-50%)', zIndex: '1000',
    background: '#1f2d3d', color: '#fff', padding: '10px 14px', borderRadius: '6px',
    boxShadow: '0 2px 10px rgba(0,0,0,.3)', font: '14px system-ui, sans-serif',
  });
  document.body.append(bar);
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.register('./sw.js');
  const watch = (worker) => worker.addEventListener('statechange', () => {
    // Installed while an older release controls this page: a new version is waiting.
    if (worker.state === 'installed' && navigator.serviceWorker.controller) offerNewVersion(worker);
  });
  if (registration.waiting && navigator.serviceWorker.controller) offerNewVersion(registration.waiting);
  if (registration.installing) watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (takeOverAsked) location.reload();
    else offerNewVersion(null); // another tab took the new version
  });
  // A page left open for days still learns of new releases.
  setInterval(() => registration.update().catch(() => {}), 60 * 60 * 1000);
}

// After the app has started and the page has loaded: the service worker's downloads must not
// compete with the app's own.
const startOffline = () => setTimeout(() => registerServiceWorker().catch((e) => console.info('offline support unavailable:', e)), 0);
if (document.readyState === 'complete') startOffline();
else addEventListener('load', startOffline);
