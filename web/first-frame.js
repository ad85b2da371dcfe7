// Shows the release's snapshot of the page's first frame while the app's wasm loads and starts.
// scripts/first-frame.mjs takes the snapshot at build time from the app itself, on a first visit:
// the default scenario (the Medium tier, us-east-1) priced with the built-in catalog, its figures,
// health, warnings and the charts in view as images. The app will show exactly that only when
// it reads nothing at start: no share link in the address bar, and no autosave, baseline or
// catalog file kept in this browser (the keys below are those `codec::needed_at_start` reads;
// the end-to-end test checks each one hides the snapshot). Otherwise nothing is shown: a
// stranger's link must never flash the default plan.
// A classic script in <head> (the CSP allows no inline script): when the snapshot may be shown
// it fetches the charts' images at once (data-images; a template's images are fetched only once
// it is shown, too late to be of use, and a preload in the HTML would fetch them on every visit,
// with the browser's warning of a preload not used), and once the HTML is parsed (the
// <template> ends <body>) it shows the snapshot, before anything else is painted, unless the
// page's wasm has already arrived (data-wasm): then the app is a moment away. The snapshot is inert
// and hidden from assistive technology (a hidden status says the planner is loading);
// `ui::start` removes it when the app mounts, in the same task as the app's first frame; if the
// start-up module cannot load (or the browser runs no modules or no WebAssembly) it is not
// shown or goes at once: a page that looks ready must be ready.
(() => {
  const script = document.currentScript;
  if (!('noModule' in HTMLScriptElement.prototype) || typeof WebAssembly !== 'object') return;
  const KEPT = ['bridge-planner.autosave', 'bridge-planner.baseline', 'bridge-planner.catalog'];
  try {
    if (location.hash.length > 1 || KEPT.some((k) => localStorage.getItem(k) !== null)) return;
  } catch (_) {
    return; // storage refused: the app may find something to read; show nothing rather than guess
  }
  // Fetched now (Image objects, not preload links: a preload left unused draws a warning).
  const images = (script.dataset.images || '').split(' ').filter(Boolean).map((href) => {
    const img = new Image();
    img.src = href;
    return img;
  });
  const show = () => {
    const template = document.getElementById('first-frame-snapshot');
    if (!template) return;
    // The page's wasm already here (a fast link, or the service worker's copy): the app draws
    // its own first frame in a moment, and laying out and painting the snapshot first would
    // only delay it (by 20-50 ms in the test machine's loopback runs).
    const wasm = new URL(script.dataset.wasm || '', location.href).href;
    if (performance.getEntriesByName(wasm).some((e) => e.responseEnd > 0)) return;
    const frame = document.createElement('div');
    frame.id = 'first-frame';
    const status = document.createElement('p');
    status.className = 'sr-only';
    status.setAttribute('role', 'status');
    status.textContent = 'Loading the planner…';
    const snapshot = document.createElement('div');
    snapshot.setAttribute('inert', '');
    snapshot.setAttribute('aria-hidden', 'true');
    snapshot.append(template.content.cloneNode(true));
    frame.append(status, snapshot);
    // Inline style attributes are refused by the CSP; the same values set through the CSSOM are
    // not (the gauges' widths and the legends' colours, as the app sets them).
    for (const el of frame.querySelectorAll('[data-style]')) {
      el.style.cssText = el.dataset.style;
      el.removeAttribute('data-style');
    }
    template.before(frame);
    images.length = 0; // the snapshot's own images hold them now
    // The start-up module (or a module it imports) could not be fetched: the app will not start.
    const boot = document.querySelector('script[type="module"]');
    if (boot) boot.addEventListener('error', () => frame.remove());
  };
  if (document.readyState === 'loading') document.addEventListener('readystatechange', show, { once: true });
  else show();
})();
