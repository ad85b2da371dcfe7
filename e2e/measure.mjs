// Browser measurements of release builds (not a test), side by side: sizes (wasm, JS glue,
// CSS, raw, gzipped and Brotli), time from navigation to the first chart on screen (the first
// frame's snapshot's image shown, by Element Timing, or the app's own chart drawn, whichever
// first; and the app's own alone) and to the first frame with content on a first visit over loopback and over an emulated slow link
// (Chrome DevTools protocol: 1.6 Mbps down, 150 ms latency), slider input to every visible chart
// repainted (median/p95 over the first 200 inputs and over the last 200 of 1,000, three page
// loads pooled), wasm memory after 10 and 1,000 moves, and the optimiser's time. Served like the published site
// (Brotli for text and wasm when the browser accepts it, as the published site; the same headers).
// Usage: node e2e/measure.mjs DIST [BASELINE_DIST [OTHER_DIST...]]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serveDist, launch, ready, brotli } from './lib.mjs';

// Further builds may follow the baseline.
const builds = [['this build', process.argv[2] || 'dist']];
process.argv.slice(3).forEach((d, i) => builds.push([i === 0 ? 'baseline' : d, d]));
// A laptop's window: the charts start about 740 px down the page (below the header, summary
// bar, headline and health panel), so at Playwright's default 1280 x 720 none is in view on
// opening and the page never draws one until scrolled to.
const VIEWPORT = { width: 1440, height: 900 };
const SLOW = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) };

function sizes(dist) {
  const files = fs.readdirSync(dist);
  const one = (re) => files.filter((f) => re.test(f)).map((f) => fs.readFileSync(path.join(dist, f)));
  const br = (b) => brotli(b).length;
  const sum = (bufs) => [bufs.reduce((a, b) => a + b.length, 0), bufs.reduce((a, b) => a + zlib.gzipSync(b, { level: 9 }).length, 0), bufs.reduce((a, b) => a + br(b), 0)];
  // The exports worker (wasm, glue, loader) loads only once the Exports panel is seen or used.
  const worker = /^exports-worker/;
  // The wasm chunks (scripts/page-wasm.mjs) and their loader, fetched after the first chart:
  // the inputs first, then the panels below the charts and the codec of links and saves (the
  // codec before the first chart when a link or a save is to be read), each with the chunks of
  // code it shares with another (chunk-N).
  const chunk = /^((split|chunk)-.*\.wasm|wasm-split-.*\.js)$/;
  const glue = files.filter((f) => f.endsWith('.js') && f !== 'sw.js' && !f.startsWith('boot-') && !f.startsWith('first-frame-') && !worker.test(f) && !chunk.test(f)).map((f) => fs.readFileSync(path.join(dist, f)));
  const split = (name) => sum(one(new RegExp(`^split-${name}-.*\\.wasm$`)));
  const chunks = { inputs: split('inputs'), codec: split('codec'), below: split('panels-below'), viable: split('viable'), shared: sum(one(/^chunk-.*\.wasm$/)) };
  return { wasm: sum(one(/^bridge-planner-.*_bg\.wasm$/)), js: sum(glue), chunk: sum(one(chunk)), chunks, worker: sum(one(worker)), boot: sum(one(/^boot-.*\.js$/)), snapshot: sum(one(/^first-frame-.*\.(js|webp)$/)), css: sum(one(/\.css$/)), html: sum(one(/^index\.html$/)) };
}

const firstChart = () => Math.min(...[...document.querySelectorAll('canvas[data-painted-at]')].map((c) => Number(c.dataset.paintedAt)));

// A first visit: a fresh context (empty HTTP cache, no service worker).
async function firstVisit(browser, url, network) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  if (network) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', network);
  }
  await page.goto(url);
  await ready(page);
  // The first chart the app drew, and the first frame the browser showed with content in it.
  const t = await page.evaluate(firstChart);
  const fcp = await page.evaluate(() => new Promise((resolve) => {
    // The entry can come a frame after the first chart is drawn.
    new PerformanceObserver((list) => {
      const e = list.getEntriesByName('first-contentful-paint')[0];
      if (e) resolve(e.startTime);
    }).observe({ type: 'paint', buffered: true });
    setTimeout(() => resolve(NaN), 5000);
  }));
  // A chart image of the first frame's snapshot (web/first-frame.js) on screen, if one was
  // painted before the app replaced the snapshot (Element Timing: when its pixels were shown).
  const snapshot = await page.evaluate(() => new Promise((resolve) => {
    let first = NaN;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const t = e.renderTime || e.loadTime;
        if (e.identifier.startsWith('first-frame-chart') && !(t >= first)) first = t;
      }
    }).observe({ type: 'element', buffered: true });
    setTimeout(() => resolve(first), 50);
  }));
  await context.close();
  // A chart on screen: the snapshot's image (when its pixels were shown) or the app's own
  // drawing (when it was drawn: the frame showing it comes a little later), whichever first.
  return [Number.isNaN(snapshot) ? t : Math.min(t, snapshot), fcp, t, snapshot];
}

async function repaints(browser, url) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; }));
  await page.goto(url);
  await ready(page);
  await page.waitForTimeout(300);
  const r = await page.evaluate(async () => {
    const el = document.getElementById('f-peak_rps');
    const canvases = [...document.querySelectorAll('canvas')];
    const inView = (c) => { const b = c.getBoundingClientRect(); return b.bottom > 0 && b.top < innerHeight && b.right > 0 && b.left < innerWidth; };
    const visible = canvases.filter(inView);
    const paintsOf = (c) => Number(c.dataset.paints || 0);
    const times = [];
    const warm = [];
    const mem = {};
    let missed = 0;
    let offscreenPaints = 0;
    for (let i = 0; i < 1000; i++) {
      const before = canvases.map(paintsOf);
      const t0 = performance.now();
      el.value = String(16 + (i % 10)); // slider stops 40, 50, 60, 80, 100 ... 300 req/s
      el.dispatchEvent(new Event('input', { bubbles: true }));
      await Promise.resolve();
      await new Promise((r) => setTimeout(r, 0));
      const repainted = canvases.filter((c, k) => paintsOf(c) > before[k]);
      missed += visible.filter((c) => !repainted.includes(c)).length;
      offscreenPaints += repainted.filter((c) => !visible.includes(c)).length;
      const took = Math.max(...visible.map((c) => Number(c.dataset.paintedAt))) - t0;
      // The first 200 moves after the page opened (the engine's code still being compiled and
      // optimised by the browser as it first runs), and the last 200 of the 1,000 (warm).
      if (i < 200) times.push(took);
      if (i >= 800) warm.push(took);
      if (i === 9) mem.after10 = window.__wasm.memory.buffer.byteLength;
    }
    mem.after1000 = window.__wasm.memory.buffer.byteLength;
    return { times, warm, visible: visible.map((c) => c.id), all: canvases.length, missed, offscreenPaints, mem };
  });
  const opt = await page.evaluate(async () => {
    // The Large tier: the biggest default search (x86/ARM sizes and five EC2 types).
    [...document.querySelectorAll('.tiers button')].find((b) => b.textContent.includes('Large')).click();
    await new Promise((r) => setTimeout(r, 0));
    const times = [];
    for (let i = 0; i < 5; i++) {
      document.getElementById('opt-run').click();
      await new Promise((r) => setTimeout(r, 0));
      times.push(Number(document.querySelector('.opt-result .muted').textContent.match(/in (\d+) ms/)[1]));
    }
    return times;
  });
  await context.close();
  return { ...r, opt };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const browser = await launch();
// Every build served at once and measured in turns (visit 1 of each, then visit 2 of each, ...):
// this machine's load changes over a run, and turns spread it over the builds alike.
const served = [];
for (const [name, dist] of builds) served.push({ name, dist, ...(await serveDist(dist)), loop: [], slow: [], runs: [] });
for (let i = 0; i < 7; i++) for (const b of served) b.loop.push(await firstVisit(browser, b.url));
for (let i = 0; i < 5; i++) for (const b of served) b.slow.push(await firstVisit(browser, b.url, SLOW));
// Three page loads of 1,000 moves each: one load's first 200 moves vary with what the browser
// is still compiling, so the figures pool the three.
for (let i = 0; i < 3; i++) for (const b of served) b.runs.push(await repaints(browser, b.url));
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)], max: s[s.length - 1] };
};
const out = served.map(({ name, dist, server, loop, slow, runs }) => {
  server.close();
  const r = {
    ...runs[0],
    ...stats(runs.flatMap((x) => x.times)),
    warm: stats(runs.flatMap((x) => x.warm)),
    missed: runs.reduce((a, x) => a + x.missed, 0),
    offscreenPaints: runs.reduce((a, x) => a + x.offscreenPaints, 0),
  };
  return { name, dist, size: sizes(dist), loop, slow, r };
});
await browser.close();

const kb = ([raw, gz, br]) => `${raw.toLocaleString('en')} B (${gz.toLocaleString('en')} gz, ${br.toLocaleString('en')} br)`;
const row = (label, f) => console.log(`${label.padEnd(44)} ${out.map((o) => f(o).padEnd(44)).join(' ')}`);
row('', (o) => `${o.name} (${o.dist})`);
row('wasm, first load', (o) => kb(o.size.wasm));
row('wasm chunks, after the first chart (wasm + JS)', (o) => (o.size.chunk[0] ? kb(o.size.chunk) : '-'));
for (const [key, label] of [['inputs', 'inputs'], ['codec', 'codec of links and saves'], ['below', 'panels below the charts'], ['viable', 'search for a viable fix'], ['shared', 'code two chunks share (chunk-N)']]) {
  row(`  of which ${label}`, (o) => (o.size.chunks?.[key]?.[0] ? kb(o.size.chunks[key]) : '-'));
}
row('JS glue', (o) => kb(o.size.js));
row('exports worker, on demand (wasm + JS)', (o) => (o.size.worker[0] ? kb(o.size.worker) : '-'));
row('boot script (start-up + service worker)', (o) => (o.size.boot[0] ? kb(o.size.boot) : '-'));
row('first frame\'s snapshot: script + chart images', (o) => (o.size.snapshot[0] ? kb(o.size.snapshot) : '-'));
row('CSS', (o) => kb(o.size.css));
row('index.html', (o) => kb(o.size.html));
const firsts = (runs, k) => `median ${median(runs.map((r) => r[k])).toFixed(0)} (${runs.map((r) => r[k].toFixed(0)).join(', ')})`;
const shown = (runs) => `${runs.filter((r) => !Number.isNaN(r[3])).length} of ${runs.length}`;
row('first chart on screen, loopback, first visit (ms)', (o) => firsts(o.loop, 0));
row('  of which the snapshot\'s image, loads', (o) => shown(o.loop));
row('  the app\'s own first chart drawn (ms)', (o) => firsts(o.loop, 2));
row('first frame with content (FCP), loopback (ms)', (o) => firsts(o.loop, 1));
row('first chart on screen, 1.6 Mbps / 150 ms (ms)', (o) => firsts(o.slow, 0));
row('  of which the snapshot\'s image, loads', (o) => shown(o.slow));
row('  the app\'s own first chart drawn (ms)', (o) => firsts(o.slow, 2));
row('slider -> visible charts repainted, moves 1-200 of 3 loads (ms)', (o) => `median ${o.r.median.toFixed(2)}, p95 ${o.r.p95.toFixed(2)}, max ${o.r.max.toFixed(1)}`);
row('the same, moves 801-1,000 of 3 loads (ms)', (o) => `median ${o.r.warm.median.toFixed(2)}, p95 ${o.r.warm.p95.toFixed(2)}, max ${o.r.warm.max.toFixed(1)}`);
row('charts visible / on the page', (o) => `${o.r.visible.length} / ${o.r.all} (${o.r.visible.join(', ')})`);
row('visible charts not repainted (3 x 1,000 moves)', (o) => String(o.r.missed));
row('charts out of view repainted (3 x 1,000 moves)', (o) => String(o.r.offscreenPaints));
row('wasm memory after 10 / 1,000 moves', (o) => `${o.r.mem.after10.toLocaleString('en')} / ${o.r.mem.after1000.toLocaleString('en')} B`);
row('optimise, Large tier (ms)', (o) => o.r.opt.join(', '));
