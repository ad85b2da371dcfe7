// End-to-end: the growth panel (issue 28) against the release build in dist/, driven as a user
// would: growth inputs, the chart and its markers by keyboard, the changes, the reservations the
// path outgrows, the CSV, the share link and the printed page. Figures are the CLI's
// (`scaling-plan roadmap`, the same engine), so the page is checked against the engine.
// Usage: node e2e/growth.mjs DIST_DIR SCALING_PLAN_BIN
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { serveDist, launch, ready, seen, usd } from './lib.mjs';

const [dist = 'dist', cli = 'target/debug/scaling-plan'] = process.argv.slice(2);
const { server, url } = await serveDist(dist);
const browser = await launch();
const results = [];
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
const check = (cond, msg) => { if (!cond) throw new Error(msg); };

async function test(name, fn) {
  if (only && !only.test(name)) return;
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
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

// The engine's path for the Medium tier (what the page opens with) at 15% a month, 24 months.
const engine = JSON.parse(execFileSync(cli, ['roadmap', '--tier', 'medium', '--growth', '0.15', '--months', '24']).toString());

// Scrolls to the growth panel (its chunk loads after the first chart) and waits for its inputs.
async function openPanel(page) {
  await page.waitForSelector('section.growth', { state: 'attached', timeout: 30000 });
  await page.locator('section.growth').scrollIntoViewIfNeeded();
  await page.waitForSelector('#growth-rate');
}

async function setGrowth(page, id, value) {
  await page.fill(`#${id}`, String(value));
  await page.dispatchEvent(`#${id}`, 'change');
}

// Growth 15% a month over 24 months, and the path computed for it.
async function grow(page) {
  await page.goto(url);
  await ready(page);
  await openPanel(page);
  await setGrowth(page, 'growth-rate', 15);
  await setGrowth(page, 'growth-horizon', 24);
  await page.waitForFunction(() => /^15\.0% a month/.test(document.getElementById('growth-summary')?.textContent || '')
    && document.querySelectorAll('#growth-months tbody tr').length === 24, null, { timeout: 30000 });
}

await test('growth 15% over 24 months: the summary, chart and changes are the engine\'s', async (page) => {
  await grow(page);
  const summary = await page.textContent('#growth-summary');
  check(summary.includes(usd(engine.total_usd)), `total ${usd(engine.total_usd)} in: ${summary}`);
  check(summary.includes(`Medium (80 req/s) at month 0`), summary);
  check(summary.includes(`${engine.events.length} change`), `${engine.events.length} changes in: ${summary}`);
  check(await seen(page, 'chart-growth') > 0, 'the growth chart painted');
  const rows = await page.$$eval('#growth-events tbody tr', (tr) => tr.map((r) => [...r.cells].map((c) => c.textContent)));
  check(rows.length === engine.events.length && rows.length > 0, `${rows.length} rows, ${engine.events.length} events`);
  rows.forEach((r, i) => {
    const e = engine.events[i];
    check(Number(r[0]) === e.month && r[1] === e.change && r[2] === e.reason, `row ${i}: ${r.join(' | ')}`);
    check(r[5].includes(e.command), `row ${i} command: ${r[5]}`);
  });
  const months = await page.$$eval('#growth-months tbody tr', (tr) => tr.map((r) => r.cells[2].textContent));
  months.forEach((m, i) => check(m === usd(engine.months[i].monthly_usd), `month ${i}: ${m}`));
  // The reservations the path outgrows before they pay back, as the engine names them.
  const outgrown = await page.$$eval('#growth-reservations li', (li) => li.map((x) => x.textContent));
  check(outgrown.length === engine.reservation_warnings.length, `${outgrown.length} reservations named`);
  engine.reservation_warnings.forEach((w, i) => check(outgrown[i] === w.message, outgrown[i]));
});

await test('a marker\'s change is read by keyboard', async (page) => {
  await grow(page);
  await seen(page, 'chart-growth');
  const first = engine.events[0];
  await page.focus('#chart-growth');
  // Focus shows month 0; each ArrowRight the next month, up to the first change.
  for (let i = 0; i < first.month; i++) await page.keyboard.press('ArrowRight');
  const said = await page.textContent('#chart-growth-value');
  check(said.startsWith(`Month ${first.month}:`) && said.includes('Changes:'), said);
  const theMonth = engine.events.filter((e) => e.month === first.month).map((e) => e.change);
  check(theMonth.every((c) => said.includes(c)), `${said} names ${theMonth.join('; ')}`);
});

await test('the CSV download is the table: a row per month, the changes of each month', async (page) => {
  await grow(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#growth-csv')]);
  check(download.suggestedFilename() === 'growth-path.csv', download.suggestedFilename());
  const lines = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  check(lines[0].startsWith('month,peak_rps,monthly_requests,monthly_usd,cumulative_usd'), lines[0]);
  check(lines.length === 25, `${lines.length - 1} rows`);
  const table = await page.$$eval('#growth-months tbody tr', (tr) => tr.map((r) => [...r.cells].map((c) => c.textContent)));
  const events = await page.$$eval('#growth-events tbody tr', (tr) => tr.map((r) => [r.cells[0].textContent, r.cells[1].textContent]));
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',');
    check(Number(cells[0]) === i && usd(Number(cells[3])) === table[i][2] && usd(Number(cells[4])) === table[i][3], `row ${i}: ${line}`);
    for (const [m, change] of events) if (Number(m) === i) check(line.includes(change), `month ${i} lists ${change}`);
  });
});

await test('the share link keeps the growth inputs', async (page) => {
  await grow(page);
  await page.waitForTimeout(400); // the address bar follows after the last edit
  const link = await page.inputValue('#share-link');
  check(link.includes('#s=v2.medium.'), link);
  const summary = await page.textContent('#growth-summary');
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto(link);
  await ready(fresh);
  await openPanel(fresh);
  check(await fresh.inputValue('#growth-rate') === '15' && await fresh.inputValue('#growth-horizon') === '24', 'inputs kept');
  await fresh.waitForFunction((s) => document.getElementById('growth-summary')?.textContent === s, summary, { timeout: 30000 });
  await fresh.context().close();
});

await test('the printed page: the path, its chart and changes, no inputs', async (page) => {
  await grow(page);
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['section.growth', '#growth-summary', '#chart-growth', '#growth-events', '#growth-reservations']) {
    check(await page.isVisible(sel), `${sel} printed`);
  }
  check(!(await page.isVisible('.growth-inputs')) && !(await page.isVisible('#growth-csv')), 'no inputs or buttons printed');
  const breaks = await page.$eval('section.growth', (el) => getComputedStyle(el).breakBefore);
  check(breaks === 'page', `the path starts a page: ${breaks}`);
  const small = await page.$$eval('section.growth *', (els) => els.filter((e) => e.offsetParent && e.childNodes.length
    && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())).map((e) => parseFloat(getComputedStyle(e).fontSize)).filter((px) => px < 12));
  check(small.length === 0, `text under 9 pt: ${small.length} elements`);
});

// The page's own figure (#growth-summary's data-ms: the time `roadmap` took in this wasm) for
// the three tiers at 15% a month over 36 months, the longest horizon. Printed for the closing
// note (issue 28 asks 100 ms on an idle machine); the bound is loose for a busy shared one.
await test('the 36-month path in the release page, per tier', async (page) => {
  await page.goto(url);
  await ready(page);
  for (const tier of ['Small', 'Medium', 'Large']) {
    await page.click(`.tiers button:has-text("${tier} tier")`);
    for (let k = 0; k < 50 && !(await page.isVisible('#growth-rate')); k++) {
      await page.evaluate(() => document.querySelector('section.growth').scrollIntoView());
      await page.waitForTimeout(200);
    }
    // The tier's own scenario grows 0% a month: its path first, so no figure is the last tier's.
    await page.waitForFunction(() => document.getElementById('growth-summary')?.textContent.startsWith('0.0% a month'), null, { timeout: 60000 });
    const times = [];
    for (const rate of [15, 15.5, 15]) {
      await setGrowth(page, 'growth-horizon', 36);
      await setGrowth(page, 'growth-rate', rate);
      await page.waitForFunction((r) => document.querySelectorAll('#growth-months tbody tr').length === 36
        && document.getElementById('growth-summary').textContent.startsWith(`${r.toFixed(1)}% a month`), rate, { timeout: 60000 });
      times.push(Number(await page.getAttribute('#growth-summary', 'data-ms')));
    }
    times.sort((a, b) => a - b);
    console.log(`     ${tier} 15% x 36 months in the page: ${times.join(', ')} ms (median ${times[1]})`);
    check(times[1] < 1000, `${tier}: ${times.join(', ')} ms`);
  }
});

await browser.close();
server.close();
const failed = results.filter(([, e]) => e);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
