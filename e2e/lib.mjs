// Shared helpers for the browser tests and the measurement script: the static server for dist/
// (scripts/serve-dist.mjs), and Chromium launched the way this machine needs.
import { chromium } from 'playwright-core';

export { serveDist, brotli } from '../scripts/serve-dist.mjs';

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
