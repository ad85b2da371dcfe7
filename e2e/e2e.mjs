// End-to-end: the release build in dist/, served on loopback, driven like a user.
// Usage: node e2e/e2e.mjs DIST_DIR SCALING_PLAN_BIN
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, launch, ready, seen, usd } from './lib.mjs';

const [dist = 'dist', cli = 'target/release/scaling-plan'] = process.argv.slice(2);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'planner-e2e-'));

// The engine's own answer, from the CLI, for a scenario edited from a tier.
function engineTotal(tier, edit) {
  const s = JSON.parse(execFileSync(cli, ['scenario', '--tier', tier]).toString());
  edit(s);
  const file = path.join(tmp, `s-${Math.random()}.json`);
  fs.writeFileSync(file, JSON.stringify(s));
  return JSON.parse(execFileSync(cli, ['plan', '--scenario', file]).toString());
}

const { server, url } = await serveDist(dist);
const browser = await launch();
const results = [];
async function test(name, fn) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url.replace(/\/$/, '') });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await fn(page, context);
    if (errors.length) throw new Error(`console errors: ${errors.join(' | ')}`);
    results.push([name, null]);
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push([name, e]);
    console.log(`FAIL ${name}: ${e.stack || e}`);
  } finally {
    await context.close();
  }
}
function check(cond, msg) { if (!cond) throw new Error(msg); }
const canvasIds = ['chart-tiers', 'chart-curve', 'chart-capacity', 'chart-sim', 'chart-sim-cost'];
// Each chart scrolled into view first: out of view, a chart does not repaint.
const pixels = async (page) => { for (const id of canvasIds) await seen(page, id); return pixelsNow(page); };
const pixelsNow = (page) => page.evaluate((ids) => ids.map((id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0; for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) >>> 0;
  return h;
}), canvasIds);
const total = (page) => page.textContent('#total');

await test('slider by keyboard: headline follows the engine, charts repaint, no console errors', async (page) => {
  await page.goto(url);
  await ready(page);
  const medium = engineTotal('medium', () => {});
  check(await total(page) === usd(medium.monthly_total_usd), `start total ${await total(page)} != ${usd(medium.monthly_total_usd)}`);
  const before = await pixels(page);
  await page.focus('#f-peak_rps');
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(100);
  const want = engineTotal('medium', (s) => { s.traffic.peak_rps = 120; });
  check(await total(page) === usd(want.monthly_total_usd), `after 40 steps ${await total(page)} != ${usd(want.monthly_total_usd)}`);
  check(await page.inputValue('#n-peak_rps') === '120', 'number field follows the slider');
  check((await page.textContent('#p95')) === `${Math.round(want.capacity.p95_ms)} ms`, `p95 ${await page.textContent('#p95')} vs ${want.capacity.p95_ms}`);
  const after = await pixels(page);
  canvasIds.forEach((id, i) => check(before[i] !== after[i], `${id} did not repaint`));
  check(!(await page.content()).includes('NaN'), 'NaN on the page');
});

await test('copy and download an export', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.click('#tab-taskdef\\.json');
  const shown = await page.textContent('#export-text');
  await page.click('#export-copy');
  await page.waitForSelector('.exports .status:has-text("Copied")');
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  check(clip === shown, 'clipboard holds the shown file');
  const td = JSON.parse(clip);
  check(td.cpu === '512' && td.memory === '1024' && td.networkMode === 'awsvpc', 'task definition of the Medium tier');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-download')]);
  check(download.suggestedFilename() === 'taskdef.json', download.suggestedFilename());
  const saved = path.join(tmp, 'taskdef.json');
  await download.saveAs(saved);
  const out = path.join(tmp, 'cli-export');
  execFileSync(cli, ['export', '--tier', 'medium', '--out', out]);
  check(fs.readFileSync(saved, 'utf8') === fs.readFileSync(path.join(out, 'taskdef.json'), 'utf8'), 'browser and CLI exports agree');
  const [tar] = await Promise.all([page.waitForEvent('download'), page.click('#export-all')]);
  check(tar.suggestedFilename() === 'bridge-deploy.tar', 'archive name');
  const tarPath = path.join(tmp, 'all.tar');
  await tar.saveAs(tarPath);
  const listing = execFileSync('tar', ['-tf', tarPath]).toString();
  check(listing.includes('deploy.sh') && listing.includes('Dockerfile'), listing);
});

await test('share link reopens the same scenario in a fresh page', async (page, context) => {
  await page.goto(url);
  await ready(page);
  await page.fill('#n-replicas', '3');
  await page.dispatchEvent('#n-replicas', 'change');
  await page.fill('#n-peak_rps', '333');
  await page.dispatchEvent('#n-peak_rps', 'change');
  await page.waitForTimeout(50);
  const shownTotal = await total(page);
  const link = await page.inputValue('#share-link');
  check(link.includes('#s=v1.'), link);
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(link);
  await ready(fresh);
  check(await total(fresh) === shownTotal, `fresh page ${await total(fresh)} != ${shownTotal}`);
  await other.close();
});

await test('garbage link: clear message, app keeps working, nothing overwritten', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.fill('#n-peak_rps', '150');
  await page.dispatchEvent('#n-peak_rps', 'change');
  await page.waitForTimeout(400); // the autosave is written 200 ms after the last change
  const good = await total(page);
  const autosave = await page.evaluate(() => localStorage.getItem('bridge-planner.autosave'));
  await page.goto(url + '#s=v1.AAAA-this-is-garbage');
  await page.reload();
  await ready(page);
  const notice = await page.textContent('.notice');
  check(/could not be opened/.test(notice), notice);
  check(await total(page) === good, 'the last good scenario opens');
  check(await page.evaluate(() => localStorage.getItem('bridge-planner.autosave')) === autosave, 'autosave untouched');
  await page.focus('#f-peak_rps');
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(50);
  check(await total(page) !== good, 'the app still responds');
});

await test('reload restores the autosaved scenario', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.fill('#n-tasks_desired', '7');
  await page.dispatchEvent('#n-tasks_desired', 'change');
  await page.waitForTimeout(400);
  const t = await total(page);
  await page.goto(url); // no fragment: the autosave is the source
  await ready(page);
  check(await page.inputValue('#n-tasks_desired') === '7', 'tasks restored');
  check(await total(page) === t, 'same total after reload');
});

await test('Back returns to the scenario before a preset', async (page) => {
  await page.goto(url);
  await ready(page);
  const medium = await total(page);
  await page.click('.tiers button:has-text("Small tier")');
  await page.waitForTimeout(50);
  const small = engineTotal('small', () => {});
  check(await total(page) === usd(small.monthly_total_usd), 'Small loaded');
  await page.goBack();
  await page.waitForTimeout(100);
  check(await total(page) === medium, `Back restored ${await total(page)} vs ${medium}`);
});

await test('optimise for a p95 target, apply, meet it for less', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.click('.tiers button:has-text("Large tier")');
  await page.waitForTimeout(50);
  const startText = await total(page);
  const start = Number(startText.replace(/[$,]/g, ''));
  await page.fill('#opt-p95', '250');
  await page.dispatchEvent('#opt-p95', 'change');
  await page.click('#opt-run');
  await page.waitForSelector('#opt-apply');
  await page.click('#opt-apply');
  await page.waitForTimeout(50);
  const after = Number((await total(page)).replace(/[$,]/g, ''));
  const p95 = Number((await page.textContent('#p95')).replace(' ms', ''));
  check(p95 <= 250, `p95 ${p95} > 250`);
  check(after < start, `optimised ${after} not below ${start}`);
  await page.goBack();
  await page.waitForTimeout(100);
  check(await total(page) === startText, 'Back undoes Apply');
});

await test('auto scaling: a custom day edited by keyboard changes the simulation', async (page) => {
  await page.goto(url);
  await ready(page);
  const before = await page.textContent('#sim-task-hours');
  const paints = () => seen(page, 'chart-sim');
  await page.selectOption('#sim-profile', 'custom');
  await page.waitForSelector('#hour-3');
  const p0 = await paints();
  await page.focus('#hour-3');
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowUp');
  await page.waitForTimeout(50);
  check(await page.inputValue('#hour-3') === '100', `hour 3 at ${await page.inputValue('#hour-3')}`);
  check(await page.textContent('#sim-task-hours') !== before, 'task-hours changed');
  check(Number(await paints()) > Number(p0), 'simulation chart repainted');
});

await test('import a scenario file, Back undoes it; save and compare side by side', async (page) => {
  await page.goto(url);
  await ready(page);
  const before = await total(page);
  const s = JSON.parse(execFileSync(cli, ['scenario', '--tier', 'small']).toString());
  s.traffic.peak_rps = 33;
  const file = path.join(tmp, 'import.json');
  fs.writeFileSync(file, JSON.stringify(s));
  const want = engineTotal('small', (x) => { x.traffic.peak_rps = 33; });
  await page.setInputFiles('#import-file', file);
  await page.waitForFunction((t) => document.getElementById('total').textContent === t, usd(want.monthly_total_usd));
  await page.goBack();
  await page.waitForTimeout(100);
  check(await total(page) === before, 'Back undoes the import');
  // A broken file: explained, nothing changes.
  fs.writeFileSync(file, '{"format": "bridge-scaling-planner/scenario", "schema": 1, "scenario": {"name": 5}}');
  await page.setInputFiles('#import-file', file);
  await page.waitForSelector('.notice:has-text("could not be imported")');
  check(await total(page) === before, 'a bad import changes nothing');
  // Save, switch tier, compare.
  await page.fill('#save-name', 'Medium as is');
  await page.click('#save-btn');
  await page.click('.tiers button:has-text("Large tier")');
  await page.waitForTimeout(50);
  await page.check('input[aria-label="Compare Medium as is"]');
  await page.waitForSelector('.compare table');
  const rows = await page.$$eval('.compare tbody tr', (trs) => trs.map((tr) => tr.textContent));
  check(rows.length === 2 && rows[1].includes('Medium as is') && rows[1].includes(before), rows.join(' | '));
  check(await seen(page, 'chart-compare') >= 1, 'comparison chart painted');
});

await test('wasm memory stays flat over 1,000 slider moves', async (page) => {
  await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; }));
  await page.goto(url);
  await ready(page);
  const move = (n) => page.evaluate(async (n) => {
    const el = document.getElementById('f-peak_rps');
    for (let i = 0; i < n; i++) {
      el.value = String(50 + (i % 400));
      el.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
    }
    return window.__wasm.memory.buffer.byteLength;
  }, n);
  const after10 = await move(10);
  const after1000 = await move(990);
  console.log(`     wasm memory after 10 moves: ${after10} B, after 1,000: ${after1000} B`);
  check(after1000 <= after10 + 1024 * 1024, `memory grew ${after1000 - after10} B`);
});

await test('a chart out of view does not repaint until it is scrolled into view', async (page) => {
  await page.goto(url);
  await ready(page);
  const painted = () => page.getAttribute('#chart-sim-cost', 'data-paints').then(Number);
  const inView = () => page.evaluate(() => { const r = document.getElementById('chart-sim-cost').getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; });
  await page.evaluate(() => scrollTo(0, 0));
  await page.waitForTimeout(100);
  check(!(await inView()), 'the auto scaling cost chart starts out of view');
  const before = await painted();
  await page.focus('#f-peak_rps');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(100);
  check(await painted() === before, `repainted out of view (${before} -> ${await painted()})`);
  check(await seen(page, 'chart-sim-cost') === before + 1, 'one repaint once in view');
});

await browser.close();
server.close();
const failed = results.filter((r) => r[1]).length;
console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
