// The release page's first frame, taken from the app itself at build time (post-build, release
// builds only): the built page is served on 127.0.0.1 and opened in headless Chromium like a
// first visit (no link, nothing kept) at 1280 x 800. The DOM of the app's first frame (the task
// that draws the first chart: header, summary bar, figures, health, warnings, charts; the inputs
// column still empty) is kept, each chart canvas becomes an image of the chart once drawn with
// its data (the cost curve, which the app computes in the task after its first frame, drawn), and
// the result goes into index.html as a <template> that web/first-frame.js shows until the wasm
// has started, only where the app will show the same figures. The charts are images of this
// machine's drawing at device pixel ratio 1, scaled to the column: the app's own canvases
// replace them. So a first visit paints
// the plan's real figures and charts as soon as the HTML, the CSS and the images are in, instead
// of after the wasm is fetched, compiled and run.
// The snapshot has no ids (the live page owns them), no inline styles (kept as data-style, set
// through the CSSOM under the CSP) and no comments.
import { serveDist, launch } from '../e2e/lib.mjs';

// Records the body's HTML in the task that draws the first chart (the app's first frame; the
// inputs and the panels below are built in the next task).
function recordFirstFrame() {
  new MutationObserver((_, observer) => {
    if (!document.querySelector('canvas[data-painted-at]')) return;
    window.__firstFrame = document.body.innerHTML;
    observer.disconnect();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-painted-at'] });
}

// In the page: the recorded frame cleaned, and each chart's pixels now (lossless WebP).
function snapshot() {
  const template = document.createElement('template');
  template.innerHTML = window.__firstFrame;
  const root = template.content;
  const comments = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const dead = [];
  while (comments.nextNode()) dead.push(comments.currentNode);
  dead.forEach((c) => c.remove());
  root.querySelectorAll('noscript, script, template').forEach((e) => e.remove());
  const images = [];
  for (const canvas of root.querySelectorAll('canvas')) {
    const live = document.getElementById(canvas.id);
    if (!live) throw new Error(`first-frame: no live canvas #${canvas.id}`);
    // A chart out of view at 1280 x 800 is not drawn in the first frame: a blank box of its
    // aspect, as its canvas is, with no image to fetch.
    if (!live.hasAttribute('data-painted-at')) {
      const blank = document.createElement('div');
      blank.className = 'snapshot blank';
      blank.setAttribute('style', `aspect-ratio: ${live.clientWidth} / ${live.clientHeight}`);
      canvas.replaceWith(blank);
      continue;
    }
    const img = document.createElement('img');
    // CSS pixels: the image is drawn at device pixel ratio 1 and scales with the column.
    img.width = live.clientWidth;
    img.height = live.clientHeight;
    img.alt = '';
    img.className = 'snapshot';
    img.setAttribute('elementtiming', `first-frame-${canvas.id}`);
    img.setAttribute('src', `__IMAGE_${images.length}__`);
    images.push([canvas.id, live.toDataURL('image/webp', 1)]);
    canvas.replaceWith(img);
  }
  const drop = ['id', 'for', 'tabindex', 'aria-describedby', 'aria-labelledby', 'aria-controls', 'aria-live', 'aria-label', 'role', 'name'];
  for (const el of root.querySelectorAll('*')) {
    for (const a of drop) el.removeAttribute(a);
    const style = el.getAttribute('style');
    if (style) {
      el.removeAttribute('style');
      el.dataset.style = style;
    }
  }
  return { html: template.innerHTML, images, elements: root.querySelectorAll('*').length };
}

// Settled: no chart has repainted for `quiet` ms (the cost curve is computed after the first
// chart and drawn when ready). A page that never settles fails the snapshot, not the build.
async function settled(page, quiet = 600, deadline = Date.now() + 20000) {
  let last = '';
  let since = Date.now();
  for (;;) {
    if (Date.now() > deadline) throw new Error('first-frame: the charts kept repainting');
    const now = await page.evaluate(() => [...document.querySelectorAll('canvas')].map((c) => c.dataset.paints || '0').join());
    if (now !== last) { last = now; since = Date.now(); }
    if (Date.now() - since >= quiet) return;
    await page.waitForTimeout(100);
  }
}

// Takes the snapshot of the app built in `dir`. Returns the template's inner HTML (image sources
// as __IMAGE_n__) and the drawn charts' images as [canvas id, WebP bytes].
export async function takeFirstFrame(dir) {
  const { server, url } = await serveDist(dir);
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, serviceWorkers: 'block' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.addInitScript(recordFirstFrame);
    await page.goto(url);
    await page.waitForFunction(() => window.__firstFrame && document.getElementById('f-peak_rps'), null, { timeout: 60000 });
    await settled(page);
    if (errors.length) throw new Error(`the page failed: ${errors.join(' | ')}`);
    const shot = await page.evaluate(snapshot);
    const images = shot.images.map(([id, dataUrl]) => [id, Buffer.from(dataUrl.split(',')[1], 'base64')]);
    if (!images.length || images.some(([, b]) => b.subarray(8, 12).toString() !== 'WEBP')) throw new Error('first-frame: the charts did not encode as WebP');
    return { html: shot.html, images, elements: shot.elements };
  } finally {
    await browser.close();
    server.close();
  }
}
