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
// E2E_ONLY=regex runs the matching tests only.
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
async function test(name, fn, options = {}) {
  if (only && !only.test(name)) return;
  const { expectConsoleErrors, ...contextOptions } = options;
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 }, ...contextOptions });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url.replace(/\/$/, '') });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await fn(page, context);
    if (errors.length && !expectConsoleErrors) throw new Error(`console errors: ${errors.join(' | ')}`);
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
// The cost curve and the simulation follow 150 ms after the last change.
const settle = (page) => page.waitForTimeout(400);

await test('slider by keyboard: headline follows the engine, charts repaint, no console errors', async (page) => {
  await page.goto(url);
  await ready(page);
  const medium = engineTotal('medium', () => {});
  check(await total(page) === usd(medium.monthly_total_usd), `start total ${await total(page)} != ${usd(medium.monthly_total_usd)}`);
  const before = await pixels(page);
  // The slider steps through rounded values (80 -> 100 -> 120): two presses, not forty.
  await page.focus('#f-peak_rps');
  for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowRight');
  await settle(page);
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
  const shown = await exportText(page, 'taskdef.json');
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
  await settle(page);
  const shownTotal = await total(page);
  const link = await page.inputValue('#share-link');
  check(link.includes('#s=v2.medium.') && link.length < url.length + 150, `a short link: ${link}`);
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
  await page.fill('#n-tasks_average', '7');
  await page.dispatchEvent('#n-tasks_average', 'change');
  await page.waitForTimeout(400);
  const t = await total(page);
  await page.goto(url); // no fragment: the autosave is the source
  await ready(page);
  check(await page.inputValue('#n-tasks_average') === '7', 'tasks restored');
  check(await total(page) === t, 'same total after reload');
});

// The release page reads links and saves with a wasm chunk of its own (src/ui/codec.rs).
await test('codec chunk missing: the save is reported unread and nothing kept is overwritten', async (page, context) => {
  check(fs.readdirSync(dist).some((f) => /^split-codec-.*\.wasm$/.test(f)), 'the release page has the codec chunk');
  await page.goto(url);
  await ready(page);
  await setField(page, 'peak_rps', 150);
  await page.waitForTimeout(400);
  const autosave = await page.evaluate(() => localStorage.getItem('bridge-planner.autosave'));
  check(autosave && autosave.includes('150'), 'autosaved');
  // A second page of the same origin whose codec chunk does not arrive (its console errors,
  // the failed fetch, are expected: not the first page's).
  const other = await context.newPage();
  // Only its first fetch fails: the network comes back, and later writes could reach storage.
  let fetches = 0;
  await other.route(/split-codec-[^/]*\.wasm$/, (r) => (fetches++ === 0 ? r.fulfill({ status: 404, body: '' }) : r.continue()));
  await other.goto(url);
  await ready(other);
  const notice = await other.textContent('.notice');
  check(/could not be read/.test(notice) && /nothing kept was changed/.test(notice), notice);
  check(await other.inputValue('#n-peak_rps') !== '150', 'the Medium tier is shown instead');
  await other.focus('#f-peak_rps');
  await other.keyboard.press('ArrowRight');
  await other.waitForTimeout(400);
  check(!(await other.content()).includes('NaN'), 'NaN on the page');
  check(fetches >= 2, `the chunk was fetched again after the start (${fetches})`);
  check(await other.evaluate(() => localStorage.getItem('bridge-planner.autosave')) === autosave, 'autosave untouched');
  await other.close();
}, { serviceWorkers: 'block' });

// The inputs are a wasm chunk of their own too (src/ui/inputs.rs).
await test('inputs chunk missing: a clear message, the figures and charts still shown', async (page) => {
  check(fs.readdirSync(dist).some((f) => /^split-inputs-.*\.wasm$/.test(f)), 'the release page has the inputs chunk');
  await page.route(/split-inputs-[^/]*\.wasm$/, (r) => r.fulfill({ status: 404, body: '' }));
  // The failed fetch is logged by the chunk loader: console errors are expected here.
  await page.goto(url);
  await page.waitForSelector('#inputs p.notice:has-text("The inputs could not be loaded")', { state: 'visible' });
  await page.waitForSelector('canvas[data-painted-at]', { state: 'attached' });
  check(/^\$[\d,]+\.\d\d$/.test(await total(page)), `total ${await total(page)}`);
  check(!(await page.$('#f-peak_rps')), 'no inputs');
  check(!(await page.content()).includes('NaN'), 'NaN on the page');
}, { serviceWorkers: 'block', expectConsoleErrors: true });

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
  await page.waitForTimeout(400);
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
  await page.waitForSelector('#import-msg:has-text("could not be imported")');
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
      el.value = String(16 + (i % 10)); // slider stops 40 ... 300 req/s
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


// ---- Issue 12: each bug below failed before its fix. -------------------------------------
async function setField(page, id, value) {
  await page.fill(`#n-${id}`, String(value));
  await page.dispatchEvent(`#n-${id}`, 'change');
  await page.waitForTimeout(60);
}
// The exports worker (a second wasm) answers the panel: the file is on screen once its reply is in.
async function exportText(page, name) {
  await page.waitForSelector(`#export-text[aria-busy="false"][data-file="${name}"]`, { state: 'attached' });
  return page.textContent('#export-text');
}
const money = (text) => Number(text.replace(/[^0-9.\-]/g, ''));
async function downloadText(page, button) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const file = path.join(tmp, `${Date.now()}-${d.suggestedFilename()}`);
  await d.saveAs(file);
  return fs.readFileSync(file, 'utf8');
}
function csvRows(csv) {
  return csv.trim().split('\n').slice(1).map((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '')));
}
async function showExport(page, name) {
  await page.click(`#tab-${name.replace('.', '\\.')}`);
  return exportText(page, name);
}

await test('bug 1: one figure — the headline, the cost lines, the CSV and the auto scaling section agree', async (page) => {
  await page.goto(url);
  await ready(page);
  await setField(page, 'peak_rps', 400);
  await setField(page, 'tasks_max', 23);
  await settle(page);
  const headline = await total(page);
  const rows = csvRows(await downloadText(page, '#export-csv'));
  // The compute the headline bills is what the auto scaling section says a typical month costs.
  const billed = rows.filter((r) => r[0] === 'Compute').reduce((a, r) => a + Number(r[5]), 0);
  const simText = await page.textContent('.sim-summary dd:has-text("typical")');
  const sim = simText.match(/([$\d,.]+) typical/)[1];
  check(Math.abs(billed - money(sim)) < 0.02, `headline bills ${usd(billed)} of compute; the auto scaling section says ${sim} typical`);
  // The cost lines' Total row (the commitment table and the bill follow it).
  const csvTotal = Number(rows.find((r) => r[0] === 'Total')[5]);
  check(usd(csvTotal) === headline, `CSV total ${csvTotal} vs headline ${headline}`);
  check(await page.textContent('#sb-total') === headline, 'summary bar shows the headline total');
  check(await page.textContent('.costs tfoot td.n') === headline, 'cost table total');
  check(/bills/.test(await page.textContent('#bills')), 'the headline says which fleet it bills');
});

await test('bug 2: Apply after a later edit keeps the edit (the result is marked out of date and re-run)', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.click('#opt-run');
  await page.waitForSelector('#opt-apply');
  const freshStale = await page.$('#opt-stale');
  await setField(page, 'peak_rps', 400);
  await page.waitForTimeout(100);
  const stale = await page.$('#opt-stale');
  const staleText = stale ? await stale.textContent() : '';
  await page.click('#opt-apply');
  await page.waitForTimeout(100);
  check(await page.inputValue('#n-peak_rps') === '400', `peak after Apply: ${await page.inputValue('#n-peak_rps')}, not 400`);
  check(!freshStale, 'a fresh result is not marked out of date');
  check(/Peak API requests/.test(staleText), `the result was marked out of date: "${staleText}"`);
  check(!(await page.$('#opt-stale')), 'after Apply the result is current');
});

await test("bug 3: exports follow the plan after Apply (the optimiser's EC2 fleet), a preset and an import", async (page) => {
  await page.goto(url);
  await ready(page);
  await page.click('.tiers button:has-text("Small tier")');
  await page.waitForTimeout(100);
  // Without the high-availability target: with it, two t3 instances (one awsvpc task each, for
  // their network interfaces) cost more than two ARM Fargate tasks since the ENI limit.
  await page.uncheck('#opt-ha');
  await page.click('#opt-run');
  await page.waitForSelector('#opt-best');
  const best = await page.textContent('#opt-best');
  check(/EC2/.test(best), `Small's cheapest option is an EC2 fleet today: ${best}`);
  await page.click('#opt-apply');
  await page.waitForTimeout(100);
  check(await page.inputValue('#launch_type') === 'ec2', 'the EC2 fleet is applied');
  const td = JSON.parse(await showExport(page, 'taskdef.json'));
  check(JSON.stringify(td.requiresCompatibilities) === '["EC2"]', `requiresCompatibilities ${JSON.stringify(td.requiresCompatibilities)}`);
  // A preset: the shown file is the preset's, as the CLI writes it.
  await page.click('.tiers button:has-text("Large tier")');
  await page.waitForTimeout(100);
  const out = path.join(tmp, 'large-export');
  execFileSync(cli, ['export', '--tier', 'large', '--out', out]);
  check(await showExport(page, 'taskdef.json') === fs.readFileSync(path.join(out, 'taskdef.json'), 'utf8'), 'taskdef.json follows the Large preset');
  // An import.
  const s = JSON.parse(execFileSync(cli, ['scenario', '--tier', 'small']).toString());
  s.backend.task_cpu = 1024; s.backend.task_memory_mib = 3072;
  const file = path.join(tmp, 'import-size.json');
  fs.writeFileSync(file, JSON.stringify(s));
  await page.setInputFiles('#import-file', file);
  await page.waitForTimeout(200);
  const imported = JSON.parse(await showExport(page, 'taskdef.json'));
  check(imported.cpu === '1024' && imported.memory === '3072', `imported size ${imported.cpu}/${imported.memory}`);
});

await test("bug 4: 'Reopen in the planner' in the exports is this page's own address", async (page) => {
  await page.goto(url);
  await ready(page);
  for (const name of ['deploy.sh', 'Dockerfile']) {
    const text = await showExport(page, name);
    const line = text.split('\n').find((l) => l.includes('Reopen in the planner'));
    check(line && line.includes(`${url}#s=`), `${name}: ${line}`);
    check(!line.includes('127.0.0.1:8080'), `${name} still points at :8080`);
  }
});

await test('bug 5: no float noise on screen or in the CSV outside us-east-1', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.selectOption('#region', 'sa-east-1');
  await page.waitForTimeout(100);
  const noise = /\d\.\d*(0{7,}|9{7,})\d/;
  const table = await page.textContent('.costs tbody');
  check(!noise.test(table), `cost table: ${table.match(noise)}`);
  const prices = await page.$$eval('.prices input[type=number]', (els) => els.map((e) => e.value));
  check(!prices.some((v) => noise.test(v)), `price fields: ${prices.filter((v) => noise.test(v))}`);
  const csv = await downloadText(page, '#export-csv');
  check(!noise.test(csv), `CSV: ${csv.match(noise)}`);
  check(/\$0\.02\d*\b/.test(table) || /\$0\.0\d/.test(table), 'unit prices still shown');
});

await test('bug 6: bad values get a message at the field, the plan keeps the last valid value, the message clears', async (page) => {
  await page.goto(url);
  await ready(page);
  const before = await total(page);
  // Minimum tasks 50 with maximum 10.
  await setField(page, 'tasks_min', 50);
  check(/maximum/.test(await page.textContent('#e-tasks_min')), `min>max message: ${await page.textContent('#e-tasks_min')}`);
  check(await page.getAttribute('#n-tasks_min', 'aria-invalid') === 'true', 'the field is marked invalid');
  check(await total(page) === before, 'plan unchanged');
  await setField(page, 'tasks_min', 3);
  check(await page.textContent('#e-tasks_min') === '', 'message cleared once valid');
  // A negative price override.
  const priced = await total(page);
  const field = '#price-alb-hour';
  await page.fill(field, '-1');
  await page.dispatchEvent(field, 'change');
  await page.waitForTimeout(60);
  check(/zero or more/.test(await page.textContent('#e-price-alb-hour')), 'price message');
  check(await total(page) === priced, 'a negative price changes nothing');
  await page.fill(field, '0.03');
  await page.dispatchEvent(field, 'change');
  await page.waitForTimeout(60);
  check(await page.textContent('#e-price-alb-hour') === '', 'price message cleared');
  check(await total(page) !== priced, 'a valid price is used');
  // A p95 ceiling of -10.
  await page.fill('#opt-p95', '-10');
  await page.dispatchEvent('#opt-p95', 'change');
  check(/positive/.test(await page.textContent('#e-opt-p95')), 'p95 message');
  await page.fill('#opt-p95', '200');
  await page.dispatchEvent('#opt-p95', 'input');
  check(await page.textContent('#e-opt-p95') === '', 'p95 message cleared');
  // A file that is not JSON.
  const file = path.join(tmp, 'notes.txt');
  fs.writeFileSync(file, 'these are my notes, not a scenario');
  await page.setInputFiles('#import-file', file);
  await page.waitForSelector('#import-msg:not(:empty)');
  check((await page.textContent('#import-msg')).includes('this file is not a scenario: it is not JSON'), await page.textContent('#import-msg'));
});

// ---- Issue 12: what a product lead expects. ------------------------------------------------
await test('baseline: a tier as baseline shows differences on the headline and every line, without loading it', async (page) => {
  await page.goto(url);
  await ready(page);
  await setField(page, 'peak_rps', 150);
  const mine = await total(page);
  await page.selectOption('#baseline-pick', 'large');
  await page.waitForSelector('#total-delta');
  check(await total(page) === mine && await page.inputValue('#n-peak_rps') === '150', 'comparing never overwrites the working scenario');
  const d = await page.textContent('#total-delta');
  check(/^[+−]\$[\d,]+\.\d\d, [+−]\d+\.\d%$/.test(d), `headline difference ${d}`);
  const vs = await page.$$eval('.costs tbody td.vs', (tds) => tds.map((td) => td.textContent));
  check(vs.length >= 10 && vs.every((v) => /^([+−]\$[\d,]+\.\d\d, ([+−]\d+\.\d%|new)|no change|−\$[\d,]+\.\d\d)$/.test(v)), vs.join(' | '));
  // Set the working scenario as baseline, change it: the difference is exactly the change.
  await page.click('#set-baseline');
  await page.waitForTimeout(60);
  check(await page.textContent('#total-delta') === 'no change', 'against itself');
  await setField(page, 'replicas', 2);
  const now = money(await total(page));
  const delta = money((await page.textContent('#total-delta')).split(',')[0]);
  check(Math.abs(now - delta - money(mine)) < 0.011, `difference ${delta} = ${now} - ${mine}`);
  await page.reload();
  await ready(page);
  check(await page.$('#total-delta'), 'the baseline survives a reload');
});

await test('summary bar stays on screen; the health panel shows every limit', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(100);
  const box = await page.locator('#sb-total').boundingBox();
  check(box && box.y >= 0 && box.y < 60, `summary bar at ${JSON.stringify(box)}`);
  check(await page.textContent('#sb-total') === await total(page), 'same total');
  check(/warning|critical|no warnings/.test(await page.textContent('#sb-warnings')), 'warning count');
  const gauges = await page.$$eval('.gauge', (g) => g.map((x) => x.id));
  check(JSON.stringify(gauges) === JSON.stringify(['g-tasks', 'g-db-primary', 'g-db-replicas', 'g-cache-memory', 'g-db-connections']), gauges.join());
  const plan = engineTotal('medium', () => {});
  const tasks = await page.textContent('#g-tasks .g-text');
  check(tasks.startsWith(`${Math.round(plan.capacity.peak_rps)} of ${Math.round(plan.capacity.capacity_rps)} req/s`), tasks);
  const conns = await page.textContent('#g-db-connections .g-text');
  check(conns.startsWith(`${plan.capacity.db_connections_primary} of ${plan.capacity.db_max_connections}`), conns);
});

await test('inputs: grouped, EC2 fields hidden under Fargate, vCPU then memory, no "seed", availability checks', async (page) => {
  await page.goto(url);
  await ready(page);
  const sections = await page.$$eval('details.group', (d) => d.map((x) => [x.querySelector('summary').textContent, x.open]));
  check(sections.length === 6 && sections.filter((s) => s[1]).length === 3, JSON.stringify(sections));
  check(!(await page.isVisible('#n-ec2_count')) && await page.isVisible('#task-cpu'), 'Fargate shows Fargate fields');
  await page.selectOption('#launch_type', 'ec2');
  await page.waitForTimeout(60);
  check(await page.isVisible('#n-ec2_count') && !(await page.isVisible('#task-cpu')), 'EC2 shows EC2 fields');
  await page.selectOption('#launch_type', 'fargate');
  await page.selectOption('#task-cpu', '1024'); // from 0.5 vCPU / 1 GB: 1 GB is not valid with 1 vCPU
  await settle(page);
  const mems = await page.$$eval('#task-memory option', (o) => o.map((x) => x.value));
  check(JSON.stringify(mems) === JSON.stringify(['2048', '3072', '4096', '5120', '6144', '7168', '8192']), mems.join());
  check(await page.inputValue('#task-memory') === '2048', 'nearest valid memory chosen');
  check(JSON.parse(await showExport(page, 'taskdef.json')).memory === '2048', 'exports follow');
  const text = await page.evaluate(() => document.body.innerText);
  check(!/\bseed\b/i.test(text), `visible "seed": ${text.match(/.{30}\bseed\b.{30}/i)}`);
  check(!/Production tier/.test(text) && /Availability checks/.test(text), 'renamed toggle');
  await page.uncheck('#production');
  check(/Off/.test(await page.textContent('#checks-effect')), 'effect shown when off');
  await page.check('#production');
  await page.uncheck('#multi_az');
  await page.waitForTimeout(60);
  check(/single-AZ/.test(await page.textContent('#checks-effect')), await page.textContent('#checks-effect'));
});

await test('charts: values by keyboard and pointer, sharp canvases, one PNG, right-size drawn at once', async (page) => {
  await page.goto(url);
  await ready(page);
  // The right-size runs when its panel is first seen, not at start.
  await page.waitForSelector('#chart-pareto', { state: 'attached' });
  await page.waitForTimeout(200);
  check(!(await page.$('#opt-best')), 'the right-size waits for its panel to be seen');
  const sizes = await page.$$eval('canvas', (cs) => cs.map((c) => [c.id, c.width, c.clientWidth, devicePixelRatio]));
  for (const [id, w, cw, dpr] of sizes) check(Math.abs(w - Math.round(cw * dpr)) <= 1, `${id}: ${w} px for ${cw} CSS px at ${dpr}x`);
  await page.focus('#chart-tiers');
  await page.keyboard.press('ArrowRight');
  const tip = await page.textContent('.chart-tip');
  check(/^(Small|Medium|Large|Current): .+ \$[\d,]+\.\d\d of \$[\d,]+\.\d\d$/.test(tip), tip);
  await page.locator('#chart-sim-cost').scrollIntoViewIfNeeded();
  // Hover once it is drawn: a panel scrolled into view is rendered, then painted, in the next frames.
  await page.waitForSelector('#chart-sim-cost[data-paints]');
  await page.waitForTimeout(50);
  const box = await page.locator('#chart-sim-cost').boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.75);
  await page.waitForTimeout(60);
  const hover = await page.textContent('.chart-box:has(#chart-sim-cost) .chart-tip');
  check(/^month of peaks: \$[\d,]+\.\d\d a month$/.test(hover), `hover shows the bar value: ${hover}`);
  check(await seen(page, 'chart-pareto') >= 1 && await page.waitForSelector('#opt-best'), 'right-size result without pressing Optimise once seen');
  // Scrolled to the bottom, a slider move leaves the tier chart (out of view) unpainted; the
  // PNG draws every chart first.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(200);
  const paintsBefore = Number(await page.getAttribute('#chart-tiers', 'data-paints'));
  await page.focus('#f-peak_rps');
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(100);
  const downloads = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.click('#export-png');
  await page.waitForTimeout(300);
  check(Number(await page.getAttribute('#chart-tiers', 'data-paints')) > paintsBefore, 'the out-of-view chart was drawn for the PNG');
  await page.waitForTimeout(800);
  check(downloads.length === 1 && downloads[0] === 'bridge-charts.png', `downloads: ${downloads.join(', ')}`);
});

await test('phone 390 px: results first, no sideways scroll, readable table, sharp charts', async (page) => {
  await page.goto(url);
  await ready(page);
  const wide = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check(wide[0] <= wide[1], `page scrolls sideways: ${wide}`);
  const totalBox = await page.locator('#total').boundingBox();
  check(totalBox.y < 844, `total at ${totalBox.y}px`);
  const inputsBox = await page.locator('#inputs').boundingBox();
  check(inputsBox.y > totalBox.y, 'results before inputs');
  // The cost table is in the panels-below chunk, fetched after the first chart: wait for it.
  await page.waitForSelector('.costs tbody tr', { state: 'attached', timeout: 30000 });
  const cell = await page.$eval('.costs tbody tr', (tr) => getComputedStyle(tr.children[1]).fontSize);
  check(parseFloat(cell) >= 12, `cost item text ${cell}`);
  for (const sel of ['.costs', '.health', '.headline', '.charts', '.controls']) {
    const b = await page.locator(sel).first().boundingBox();
    check(b.width >= 340 && b.x >= 0 && b.x + b.width <= 390, `${sel} spans the screen: ${JSON.stringify(b)}`);
  }
  const item = await page.locator('.costs tbody tr td:nth-child(2)').first().boundingBox();
  check(item.width >= 150, `cost item column ${item.width} px wide`);
  const sizes = await page.$$eval('canvas', (cs) => cs.map((c) => [c.id, c.width, c.clientWidth]));
  for (const [id, w, cw] of sizes) check(cw <= 390 && w >= cw * 2, `${id}: ${w} px for ${cw} CSS px`);
}, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });

await test('printed report: inputs, request flow, cost lines, annual cost, warnings, short link, at most two pages', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForTimeout(200);
  const paintsBefore = Number(await page.getAttribute('#chart-tiers', 'data-paints'));
  await setField(page, 'peak_rps', 400);
  await settle(page);
  // The browser's Print (menu or Ctrl+P) draws the charts out of view first.
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.waitForTimeout(100);
  check(Number(await page.getAttribute('#chart-tiers', 'data-paints')) > paintsBefore, 'the printed chart is current');
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['.report-inputs', 'table.tier-costs', '.diagram', '.costs', '#annual', '.warnings']) check(await page.isVisible(sel), `${sel} printed`);
  const link = await page.textContent('.scenarios .print-only');
  check(link.includes('#s=v2.medium.') && link.length < 200, `short link: ${link}`);
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  // Two pages of plan, then the commitments, the growth path (a page of its own) and the
  // scenarios (issues 27-29 asked for them in the report).
  check(pages >= 1 && pages <= 6, `${pages} pages`);
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
  await settle(page); // the simulation follows 150 ms after the last move
  check(await painted() === before, `repainted out of view (${before} -> ${await painted()})`);
  check(await seen(page, 'chart-sim-cost') === before + 1, 'one repaint once in view');
});

// The release's snapshot of the first frame (scripts/first-frame.mjs, web/first-frame.js):
// whether it was shown on this load, and when.
const watchSnapshot = (page) => page.addInitScript(() => {
  new MutationObserver((_, observer) => {
    if (document.getElementById('first-frame')) { window.__snapshotShown = performance.now(); observer.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
});
const snapshotShown = (page) => page.evaluate(() => window.__snapshotShown || null);
// A link slow enough that the HTML is parsed before the page's wasm has arrived (on loopback it
// often has, and then the snapshot is rightly skipped).
const slowWasm = (pageOrContext, ms = 600) => pageOrContext.route(/bridge-planner-[0-9a-f]+_bg\.wasm$/, async (route) => {
  await new Promise((r) => setTimeout(r, ms));
  await route.continue();
});

await test('first visit: the snapshot of the first frame shows what the app then shows, and gives way to it', async (page) => {
  await watchSnapshot(page);
  await slowWasm(page);
  await page.goto(url);
  await ready(page);
  const shownAt = await snapshotShown(page);
  check(shownAt !== null, 'the snapshot is shown on a first visit');
  check(await page.evaluate(() => !document.getElementById('first-frame')), 'the snapshot is gone once the app runs');
  // Every text of the snapshot's header, summary bar, figures, health and warnings is the live
  // page's: the build took it from this very app (a stale or wrong snapshot fails here).
  const parts = ['header.top', '.summary-bar', 'section.headline', 'section.health', 'section.warnings', 'section.charts .legend'];
  // The committed price and the growth totals under the headline come after the first frame
  // (from the inputs' chunk): the snapshot says they are loading, and is compared without them.
  const [snap, live, later] = await page.evaluate((parts) => {
    const frame = document.getElementById('first-frame-snapshot').content;
    const words = (e) => e.textContent.replace(/\s+/g, ' ').trim();
    const without = (e) => { const c = e.cloneNode(true); c.querySelectorAll('.report-summary').forEach((x) => x.remove()); return words(c); };
    const text = (root) => parts.map((p) => [...root.querySelectorAll(p)].map(without).join(' | '));
    return [text(frame), text(document), [...frame.querySelectorAll('.report-summary')].map(words)];
  }, parts);
  parts.forEach((p, i) => check(snap[i] && snap[i] === live[i], `${p}: snapshot "${snap[i]}" != live "${live[i]}"`));
  check(later.every((t) => /^Loading/.test(t)), `the snapshot's summary lines only say they load: ${later}`);
  check(/\$\d/.test(snap[1]), `the snapshot has the total: ${snap[1]}`);
  // Each chart drawn in the first frame is a WebP of the size the template says (the tier chart
  // and the cost curve; the capacity chart is out of view at 1280 x 800: a blank box).
  const images = await page.evaluate(async () => {
    const imgs = [...document.getElementById('first-frame-snapshot').content.querySelectorAll('img.snapshot[src]')];
    return Promise.all(imgs.map(async (img) => {
      const r = await fetch(img.getAttribute('src'));
      const bitmap = await createImageBitmap(await r.blob());
      return [img.getAttribute('src'), r.headers.get('content-type'), bitmap.width, bitmap.height, img.width, img.height];
    }));
  });
  check(images.length === 2 && images[0][0].includes('chart-tiers'), `two chart images: ${JSON.stringify(images)}`);
  for (const [src, type, w, h, tw, th] of images) check(type === 'image/webp' && w === tw && h === th && w > 300, `image ${src}: ${type} ${w}x${h}, template ${tw}x${th}`);
  // No id of the live page twice, no inline style (refused by the CSP), nothing focusable.
  const bad = await page.evaluate(() => document.getElementById('first-frame-snapshot').content.querySelectorAll('[id], [style], [tabindex], canvas').length);
  check(bad === 0, `${bad} elements of the snapshot have an id, a style, a tabindex or are canvases`);
});

await test('a share link, an autosave, a baseline or a kept catalog: no snapshot (the app reads them first)', async (page) => {
  await watchSnapshot(page);
  await slowWasm(page);
  await page.goto(`${url}#s=v2.medium.q64FAA`);
  await ready(page);
  check(await snapshotShown(page) === null, 'no snapshot with a share link');
  await page.waitForTimeout(400); // the autosave would be written 200 ms after the load
  // A link's scenario does not replace the autosave before an edit (issue #26)...
  check(await page.evaluate(() => localStorage.getItem('bridge-planner.autosave')) === null, 'a link is not autosaved before an edit');
  await setField(page, 'peak_rps', 150);
  await page.waitForTimeout(400); // ...and is written 200 ms after the first one
  const autosave = await page.evaluate(() => localStorage.getItem('bridge-planner.autosave'));
  check(autosave, 'the link was autosaved after an edit');
  // Each key `codec::needed_at_start` reads hides it too (web/first-frame.js lists them again):
  // a fresh browser per key with that key alone kept, and one with nothing kept (shown).
  const origin = url.replace(/\/$/, '');
  const cases = [[null, null], ['bridge-planner.autosave', autosave], ['bridge-planner.baseline', autosave], ['bridge-planner.catalog', 'not a catalog file']];
  for (const [key, value] of cases) {
    const localStorage = key ? [{ name: key, value }] : [];
    const other = await browser.newContext({ storageState: { cookies: [], origins: [{ origin, localStorage }] } });
    try {
      const fresh = await other.newPage();
      await watchSnapshot(fresh);
      await slowWasm(fresh);
      await fresh.addInitScript(() => { window.__keptAtStart = Object.keys(localStorage); });
      await fresh.goto(url);
      await ready(fresh);
      const kept = await fresh.evaluate(() => window.__keptAtStart);
      check(JSON.stringify(kept) === JSON.stringify(key ? [key] : []), `kept at start: ${kept}, wanted ${key}`);
      const shown = await snapshotShown(fresh) !== null;
      check(shown === !key, key ? `a snapshot with ${key} kept` : 'no snapshot with nothing kept');
    } finally {
      await other.close();
    }
  }
});

await test('the wasm already here when the HTML is parsed: no snapshot, the app draws at once', async (page) => {
  await watchSnapshot(page);
  // The script that decides is held back until the preloaded wasm has surely arrived.
  await page.route(/first-frame-[0-9a-f]+\.js$/, async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await page.goto(url);
  await ready(page);
  check(await page.evaluate(() => performance.getEntriesByType('resource').some((e) => /_bg\.wasm$/.test(e.name) && e.responseEnd > 0)), 'the wasm was loaded');
  check(await snapshotShown(page) === null, 'no snapshot once the wasm is here');
});

await browser.close();
server.close();
const failed = results.filter((r) => r[1]).length;
console.log(`e2e: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
