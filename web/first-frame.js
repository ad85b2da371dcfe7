// Shows the release's snapshot of the page's first frame while the app's wasm loads and starts.
// scripts/first-frame.mjs takes the snapshot at build time from the app itself, on a first visit:
// the default scenario (the Medium tier, us-east-1) priced with the built-in catalog, its figures,
// health, warnings and the charts in view as images. The app will show exactly that only when
// it reads nothing at start: no share link in the address bar, and no autosave, baseline or
// catalog file kept in this browser (the keys below are those `codec::needed_at_start` reads;
// the end-to-end test checks each one hides the snapshot). Otherwise nothing is shown: a
// stranger's link must never flash the default plan.
// A classic script in <head> (the CSP allows no inline script): when the snapshot is to be shown
// it fetches the charts' images at once (data-images; a preload in the HTML would fetch them on
// every visit, and the browser warns of a preload not used), and shows the snapshot as soon as
// the HTML is parsed (the <template> ends <body>), before the first paint. The snapshot is inert
// and hidden from assistive technology; `ui::start` removes it when the app mounts, in the same
// task as the app's first frame.
(() => {
  const script = document.currentScript;
  const KEPT = ['bridge-planner.autosave', 'bridge-planner.baseline', 'bridge-planner.catalog'];
  try {
    if (location.hash.length > 1 || KEPT.some((k) => localStorage.getItem(k) !== null)) return;
  } catch (_) {
    return; // storage refused: the app may find something to read; show nothing rather than guess
  }
  for (const href of (script.dataset.images || '').split(' ').filter(Boolean)) {
    const link = document.createElement('link');
    link.rel = 'preload';
    link.as = 'image';
    link.href = href;
    document.head.append(link);
  }
  const show = () => {
    const template = document.getElementById('first-frame-snapshot');
    if (!template) return;
    const frame = document.createElement('div');
    frame.id = 'first-frame';
    frame.inert = true;
    frame.setAttribute('aria-hidden', 'true');
    frame.append(template.content.cloneNode(true));
    // Inline style attributes are refused by the CSP; the same values set through the CSSOM are
    // not (the gauges' widths and the legends' colours, as the app sets them).
    for (const el of frame.querySelectorAll('[data-style]')) {
      el.style.cssText = el.dataset.style;
      el.removeAttribute('data-style');
    }
    template.before(frame);
  };
  if (document.readyState === 'loading') document.addEventListener('readystatechange', show, { once: true });
  else show();
})();
