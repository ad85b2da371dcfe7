// Browser measurements of the release build (not a test): wasm size raw and gzipped, time from
// navigation to the first chart painted, and slider input to all charts repainted (median and
// p95 over 200 inputs), plus wasm memory after 10 and 1,000 moves.
// Usage: node e2e/measure.mjs DIST_DIR
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serveDist, launch, ready } from './lib.mjs';

const dist = process.argv[2] || 'dist';
const wasm = fs.readdirSync(dist).find((f) => f.endsWith('.wasm'));
const raw = fs.readFileSync(path.join(dist, wasm));
const js = fs.readdirSync(dist).find((f) => f.endsWith('.js'));
console.log(`wasm: ${raw.length} B raw, ${zlib.gzipSync(raw, { level: 9 }).length} B gzipped; js glue ${fs.statSync(path.join(dist, js)).size} B`);

const { server, url } = await serveDist(dist);
const browser = await launch();
const firstChart = [];
for (let i = 0; i < 5; i++) {
  const page = await browser.newPage();
  await page.goto(url);
  await ready(page);
  firstChart.push(await page.evaluate(() => Math.min(...[...document.querySelectorAll('canvas[data-painted-at]')].map((c) => Number(c.dataset.paintedAt)))));
  await page.close();
}
firstChart.sort((a, b) => a - b);
console.log(`navigation to first chart painted: median ${firstChart[2].toFixed(1)} ms (runs: ${firstChart.map((x) => x.toFixed(0)).join(', ')})`);

const page = await browser.newPage();
await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; }));
await page.goto(url);
await ready(page);
const r = await page.evaluate(async () => {
  const el = document.getElementById('f-peak_rps');
  const canvases = [...document.querySelectorAll('canvas[data-paints]')];
  const times = [];
  const counts = [];
  const mem = {};
  for (let i = 0; i < 1000; i++) {
    const before = canvases.map((c) => Number(c.dataset.paints));
    const t0 = performance.now();
    el.value = String(16 + (i % 10)); // slider stops 40, 50, 60, 80, 100 ... 300 req/s
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    const repainted = canvases.filter((c, k) => Number(c.dataset.paints) > before[k]);
    if (i < 200) times.push(Math.max(...repainted.map((c) => Number(c.dataset.paintedAt))) - t0);
    if (i < 200) counts.push(repainted.length);
    if (i === 9) mem.after10 = window.__wasm.memory.buffer.byteLength;
  }
  mem.after1000 = window.__wasm.memory.buffer.byteLength;
  times.sort((a, b) => a - b);
  const follow = Math.round(counts.reduce((a, b) => a + b, 0) / counts.length);
  return { median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], max: times[times.length - 1], charts: canvases.length, follow, mem };
});
console.log(`slider input to the ${r.follow} of ${r.charts} charts that follow each move repainted (200 inputs): median ${r.median.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, max ${r.max.toFixed(2)} ms`);
// The cost curve and the simulation follow once the slider pauses (150 ms): the time they
// take after that pause, over 20 single moves.
const settled = await page.evaluate(async () => {
  const el = document.getElementById('f-peak_rps');
  const sim = document.getElementById('chart-sim');
  if (!sim) return null;
  const out = [];
  for (let i = 0; i < 20; i++) {
    const before = Number(sim.dataset.paints);
    const t0 = performance.now();
    el.value = String(16 + (i % 10));
    el.dispatchEvent(new Event('input', { bubbles: true }));
    while (Number(sim.dataset.paints) === before) await new Promise((r) => setTimeout(r, 5));
    out.push(Number(sim.dataset.paintedAt) - t0);
  }
  out.sort((a, b) => a - b);
  return { median: out[10], max: out[19] };
});
if (settled) console.log(`pause to curve and simulation repainted (150 ms settle included, 20 moves): median ${settled.median.toFixed(1)} ms, max ${settled.max.toFixed(1)} ms`);
console.log(`wasm memory: ${r.mem.after10} B after 10 moves, ${r.mem.after1000} B after 1,000`);
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
console.log(`optimise (Large tier, default targets): ${opt.join(', ')} ms`);
await browser.close();
server.close();
