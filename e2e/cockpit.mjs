// End-to-end: the cockpit, second round (issue 27), against the release build in dist/.
// One test per item of the issue; each fails on the build before it.
// Usage: node e2e/cockpit.mjs DIST_DIR SCALING_PLAN_BIN [OUT_DIR]
//   OUT_DIR (optional) receives the printed report as report.pdf.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, launch, ready, seen, usd } from './lib.mjs';

const [dist = 'dist', cli = 'target/debug/scaling-plan', out = ''] = process.argv.slice(2);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'planner-cockpit-'));
const { server, url } = await serveDist(dist);
const browser = await launch();
const results = [];
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
const check = (cond, msg) => { if (!cond) throw new Error(msg); };

async function test(name, fn, options = {}) {
  if (only && !only.test(name)) return;
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 }, ...options });
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

async function setField(page, id, value) {
  await page.fill(`#n-${id}`, String(value));
  await page.dispatchEvent(`#n-${id}`, 'change');
  await page.waitForTimeout(60);
}
// The whole element inside the window.
const inView = async (page, sel) => {
  const [ok, where] = await page.$eval(sel, (el) => {
    const r = el.getBoundingClientRect();
    return [r.height > 0 && r.top >= -1 && r.bottom <= innerHeight + 1, `${r.top}-${r.bottom} of ${innerHeight}`];
  });
  if (!ok) console.log(`     ${sel} at ${where}`);
  return ok;
};
// The engine's own plan (the CLI) of a tier with an edit.
function enginePlan(tier, edit) {
  const s = JSON.parse(execFileSync(cli, ['scenario', '--tier', tier]).toString());
  edit(s);
  const file = path.join(tmp, `s-${Math.random()}.json`);
  fs.writeFileSync(file, JSON.stringify(s));
  return JSON.parse(execFileSync(cli, ['plan', '--scenario', file]).toString());
}

await test('1. a critical plan is not viable: why, the cheapest viable change, one Apply', async (page) => {
  await page.goto(url);
  await ready(page);
  check(!(await page.$('#not-viable')), 'Medium is viable');
  await setField(page, 'peak_rps', 400);
  await page.waitForSelector('#not-viable');
  const verdict = await page.textContent('#not-viable');
  check(/Not viable at 400 req\/s/.test(verdict), verdict);
  // Both findings at once: the capacity and the DB connections of the 23 tasks the peak needs.
  check(/Peak needs 23 tasks/.test(verdict) && /230 connections/.test(verdict), verdict);
  check(await page.$('#total-wrap, .figure.not-viable #total') !== null, 'the total is marked as not viable');
  check(/not viable/.test(await page.textContent('.figure.not-viable .figure-label')), 'labelled so');
  check(await page.$('#sb-not-viable') !== null, 'the summary bar says so');
  await page.waitForSelector('#apply-viable');
  const fixTotal = await page.textContent('#viable-total');
  const changes = await page.$$eval('#viable-changes li', (li) => li.map((x) => x.textContent));
  check(changes.length > 0 && changes.every((c) => / -> /.test(c)), changes.join(' | '));
  await page.click('#apply-viable');
  await page.waitForFunction(() => !document.getElementById('not-viable'));
  check(await page.textContent('#total') === fixTotal, `after Apply ${await page.textContent('#total')} vs offered ${fixTotal}`);
  check((await page.$$('.warnings li.critical')).length === 0, 'no critical finding after Apply');
  check(await page.inputValue('#n-peak_rps') === '400', 'the traffic is kept');
});

await test('2. a bad scenario import and a bad catalog file are explained beside their control, in view', async (page) => {
  await page.goto(url);
  await ready(page);
  const bad = path.join(tmp, 'bad.json');
  fs.writeFileSync(bad, '{"format": "bridge-scaling-planner/scenario", "schema": 1, "scenario": {"name": 5}}');
  await page.$eval('#import-file', (el) => el.scrollIntoView({ block: 'center' }));
  await page.setInputFiles('#import-file', bad);
  await page.waitForSelector('#import-msg:has-text("could not be imported")');
  await page.waitForTimeout(200);
  check(await page.getAttribute('#import-msg', 'aria-live') === 'polite', 'announced');
  check(await inView(page, '#import-msg'), 'the import message is in view');
  check(!(await page.$('.notice')), 'no banner far above');
  // The catalog file: chosen while the page is scrolled to the top; the message comes into view.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.setInputFiles('#catalog-file', bad);
  await page.waitForSelector('#catalog-msg:has-text("The catalog was not loaded")');
  await page.waitForTimeout(200);
  check(await inView(page, '#catalog-msg'), 'the catalog message is brought into view');
  check(await page.getAttribute('#catalog-msg', 'role') === 'status', 'announced');
});

await test('3. the optimiser\'s Apply lists every change, refreshes the comparison, blames only later edits', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.click('#opt-run');
  await page.waitForSelector('#opt-best');
  const listed = await page.$$eval('#opt-changes li', (li) => li.map((x) => x.textContent));
  check(listed.length > 0 && listed.every((c) => / -> /.test(c)), `changes before Apply: ${listed.join(' | ')}`);
  const best = (await page.textContent('#opt-best')).match(/: (\$[\d,.]+) a month/)[1];
  await page.click('#opt-apply');
  await page.waitForSelector('#opt-applied:has-text("Applied")');
  const applied = await page.textContent('#opt-applied');
  for (const c of listed) check(applied.includes(c), `Apply's message lists "${c}": ${applied}`);
  check(listed.some((c) => c.includes('(removed)')) === applied.includes('(removed)'), 'removals said');
  check(await page.textContent('#total') === best, `total ${await page.textContent('#total')} vs ${best}`);
  check((await page.textContent('#opt-best')).includes(`(now ${best})`), `the comparison is refreshed: ${await page.textContent('#opt-best')}`);
  check(!(await page.$('#opt-stale')), 'not stale after its own Apply');
  await setField(page, 'peak_rps', 120);
  await page.waitForSelector('#opt-stale');
  const stale = await page.textContent('#opt-stale');
  check(/Peak API requests/.test(stale) && !/Read replicas|Database|Maximum tasks/.test(stale), stale);
});

await test('4. regions cheapest first, class prices by region and override, viewer geography, sources in words', async (page) => {
  await page.goto(url);
  await ready(page);
  const regions = await page.$$eval('#region option', (o) => o.map((x) => x.textContent));
  const factors = regions.map((r) => Number(r.match(/x([\d.]+)$/)[1]));
  check(factors.every((f, i) => i === 0 || factors[i - 1] <= f), `cheapest first: ${regions.join(' | ')}`);
  const dbText = () => page.$eval('#db_class option[value="db.t3.small"]', (o) => o.textContent);
  const us = await dbText();
  await page.selectOption('#region', 'sa-east-1');
  await page.waitForTimeout(100);
  const sp = await dbText();
  check(us !== sp, `the DB list follows the region: ${us} / ${sp}`);
  // The label is the price the plan charges the primary: Medium is Multi-AZ, whose pair AWS
  // prices as its own row (rds.multi_az.<class>.hour); the engine's line at sa-east-1.
  const want = enginePlan('medium', (s) => { s.region = 'sa-east-1'; });
  const line = want.cost_lines.find((l) => l.price_key === 'rds.multi_az.db.t3.small.hour');
  const shownPrice = Number(sp.match(/\$([\d.]+)\/h Multi-AZ\)/)[1]);
  check(Math.abs(shownPrice - line.unit_price_usd) < 1e-6, `${sp} vs the engine's ${line.unit_price_usd}`);
  const cacheText = () => page.$eval('#cache_node option[value="cache.t3.small"]', (o) => o.textContent);
  const cacheLine = want.cost_lines.find((l) => l.price_key === 'cache.cache.t3.small.hour');
  const hourly = (text) => Number((text.match(/\$([\d.]+)\/h/) || [])[1]);
  check(Math.abs(hourly(await cacheText()) - cacheLine.unit_price_usd) < 1e-6, `${await cacheText()} vs ${cacheLine.unit_price_usd}`);
  await page.waitForSelector('#viewer-hint');
  check(/South America/.test(await page.textContent('#viewer-hint')), await page.textContent('#viewer-hint'));
  await page.click('#viewer-hint-apply');
  await page.waitForTimeout(100);
  check(await page.inputValue('#cdn_geo') === 'south_america', 'viewer geography applied');
  // An override of the price the primary is charged (the prices panel's row) reaches the DB
  // list's label, and one of the cache node's reaches the cache list's; single-AZ, the label
  // is the single-AZ row's price.
  // The field in view and the page settled first: a panel out of view follows the plan at rest
  // (SETTLE_MS after the last edit, here the viewer geography) and would rewrite the field.
  const override = async (id, v) => {
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await page.fill(`#${id}`, v);
    await page.dispatchEvent(`#${id}`, 'change');
  };
  await override('price-rds-multi_az-db-t3-small-hour', '0.5');
  await page.waitForFunction(() => /\$0\.5\/h Multi-AZ\)/.test(document.querySelector('#db_class option[value="db.t3.small"]').textContent), null, { timeout: 5000 })
    .catch(async () => check(false, `the DB list after an override: ${await dbText()}`));
  await override('price-cache-cache-t3-small-hour', '0.25');
  await page.waitForFunction(() => /\$0\.25\/h\)/.test(document.querySelector('#cache_node option[value="cache.t3.small"]').textContent), null, { timeout: 5000 })
    .catch(async () => check(false, `the cache list after an override: ${await cacheText()}`));
  await page.uncheck('#multi_az');
  const single = want.cost_lines.find((l) => l.price_key === 'rds.db.t3.small.hour');
  await page.waitForFunction((p) => {
    const m = document.querySelector('#db_class option[value="db.t3.small"]').textContent.match(/\$([\d.]+)\/h\)$/);
    return m && Math.abs(Number(m[1]) - p) < 1e-6;
  }, single.unit_price_usd, { timeout: 5000 })
    .catch(async () => check(false, `single-AZ: ${await dbText()} vs ${single.unit_price_usd}`));
  // Sources in words.
  const status = await page.$$eval('.prices tbody td:nth-child(3)', (td) => td.map((x) => x.textContent));
  check(status.some((s) => /estimated for sa-east-1 from the us-east-1 price/.test(s)), status.slice(0, 4).join(' | '));
  check(status.every((s) => !/\bPL\b|\b3P\b/.test(s)), `no abbreviations: ${status.find((s) => /\bPL\b|\b3P\b/.test(s))}`);
});

await test('5. baseline deltas on p95, headroom and left-out costs; a tier at my traffic; named baselines', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.selectOption('#baseline-pick', 'small');
  await page.waitForSelector('#p95-delta');
  for (const id of ['p95-delta', 'headroom-delta', 'omitted-delta']) {
    check((await page.textContent(`#${id}`)).length > 0, `${id} shown`);
  }
  const small = enginePlan('small', () => {});
  const medium = enginePlan('medium', () => {});
  const points = Math.round(medium.capacity.headroom_pct - small.capacity.headroom_pct);
  check((await page.textContent('#headroom-delta')).includes(`${Math.abs(points)} points`), await page.textContent('#headroom-delta'));
  await page.selectOption('#baseline-pick', 'small@mine');
  await page.waitForTimeout(100);
  const mediumTraffic = JSON.parse(execFileSync(cli, ['scenario', '--tier', 'medium']).toString()).traffic;
  const atMine = enginePlan('small', (s) => { s.traffic = mediumTraffic; });
  check(/at your traffic/.test(await page.textContent('#bills')), await page.textContent('#bills'));
  const d = medium.monthly_total_usd - atMine.monthly_total_usd;
  check((await page.textContent('#total-delta')).includes(usd(Math.abs(d))), `${await page.textContent('#total-delta')} vs ${usd(d)}`);
  // A modified tier set aside without a name says it is modified; a typed name is used.
  await setField(page, 'peak_rps', 150);
  await page.click('#set-baseline');
  await page.waitForTimeout(100);
  const name = await page.$eval('#baseline-pick option[value="saved"]', (o) => o.textContent);
  check(/Medium tier, modified: 1 input/.test(name), name);
  await page.fill('#baseline-name', 'Before launch');
  await page.click('#set-baseline');
  await page.waitForTimeout(100);
  check((await page.$eval('#baseline-pick option[value="saved"]', (o) => o.textContent)).includes('Before launch'), 'the typed name');
});

await test('6. the printed report: title, health, baseline differences, committed price and growth totals, >= 9 pt, no controls or help', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.selectOption('#baseline-pick', 'small');
  await page.waitForSelector('#total-delta');
  // Every panel built before printing (as the print button does).
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForSelector('#cal-file', { state: 'attached' });
  // A committed price and a growing path, so the summary's figures are not the list total x n:
  // the database reserved for a year, traffic growing 10% a month.
  await page.selectOption('#pricing-database', 'reserved_1y');
  await page.fill('#growth-rate', '10');
  await page.dispatchEvent('#growth-rate', 'change');
  // Printing computes every panel (beforeprint), the growth path too.
  await page.evaluate(() => { window.scrollTo(0, 0); window.dispatchEvent(new Event('beforeprint')); });
  await page.waitForFunction(() => /10\.0% a month/.test(document.getElementById('growth-summary')?.textContent || '')
    && /10\.0% a month/.test(document.getElementById('rs-growth')?.textContent || ''), null, { timeout: 60000 });
  await page.waitForFunction(() => document.getElementById('rs-pays')?.textContent
    === [...document.querySelectorAll('#bill tr')].pop()?.querySelector('td')?.textContent, null, { timeout: 10000 })
    .catch(() => {});
  // The summary's figures are the panels' own: the bill's "The account pays" and the path's
  // "to date" at months 11 and 23 (12 and 24 months), and the engine's path (the CLI).
  const figures = await page.evaluate(() => {
    const text = (id) => document.getElementById(id)?.textContent;
    const pays = [...document.querySelectorAll('#bill tr')].find((tr) => /The account pays/.test(tr.textContent));
    const toDate = (m) => [...document.querySelectorAll('#growth-months tbody tr')]
      .find((tr) => tr.cells[0].textContent === String(m))?.cells[3].textContent;
    return { pays: text('rs-pays'), bill: pays?.querySelector('td').textContent, g12: text('rs-growth-12'),
      g24: text('rs-growth-24'), m11: toDate(11), m23: toDate(23), list: text('total') };
  });
  check(figures.pays && figures.pays === figures.bill, `committed price ${figures.pays} vs the bill's ${figures.bill}`);
  check(figures.pays !== figures.list, `a commitment chosen: ${figures.pays} is not the list ${figures.list}`);
  check(figures.g12 && figures.g12 === figures.m11, `12 months ${figures.g12} vs the path's ${figures.m11}`);
  check(figures.g24 && figures.g24 === figures.m23, `24 months ${figures.g24} vs the path's ${figures.m23}`);
  const road = JSON.parse(execFileSync(cli, ['roadmap', '--tier', 'medium', '--growth', '0.10', '--format', 'json']).toString());
  const [r12, r24] = [usd(road.months[11].cumulative_usd), usd(road.months[23].cumulative_usd)];
  check(figures.g12 === r12 && figures.g24 === r24, `the engine's path: ${r12}, ${r24} vs ${figures.g12}, ${figures.g24}`);
  await page.emulateMedia({ media: 'print' });
  const report = await page.evaluate(() => {
    const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const small = [];
    for (const el of document.querySelectorAll('body *')) {
      if (!shown(el)) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (own && px < 12 - 0.01) small.push(`${el.tagName}.${el.className}: ${px}px "${el.textContent.trim().slice(0, 30)}"`);
    }
    // The charts' smallest text (charts::LABEL_PX, 12 px of the canvas's own width) as printed:
    // its canvas drawn at the print width, scaled to its printed width (1 CSS px = 0.75 pt).
    const chartPt = [...document.querySelectorAll('canvas[data-paints]')].filter(shown).map((c) => {
      const logical = c.width / window.devicePixelRatio;
      return [c.id, 12 * (c.getBoundingClientRect().width / logical) * 0.75];
    });
    const controls = [...document.querySelectorAll('button, input, select, .help, details:not([open]), .tooltip')].filter(shown)
      .map((el) => `${el.tagName}#${el.id}.${el.className}`);
    return {
      small, controls, chartPt,
      title: shown(document.getElementById('report-title')) ? document.getElementById('report-title').textContent : '',
      health: shown(document.querySelector('.health')),
      delta: shown(document.getElementById('total-delta')),
      summary: ['rs-pays', 'rs-growth-12', 'rs-growth-24'].every((id) => shown(document.getElementById(id))),
    };
  });
  check(report.small.length === 0, `text under 9 pt: ${report.small.slice(0, 5).join(' | ')}`);
  check(report.chartPt.length >= 2, `the cost and growth charts print: ${JSON.stringify(report.chartPt)}`);
  const smallCharts = report.chartPt.filter(([, pt]) => pt < 9);
  check(smallCharts.length === 0, `chart labels under 9 pt in print: ${JSON.stringify(smallCharts)}`);
  check(report.controls.length === 0, `controls or help printed: ${report.controls.slice(0, 6).join(' | ')}`);
  const today = new Date();
  const date = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  check(report.title.includes('Medium tier') && report.title.includes(date), `title: "${report.title}"`);
  check(report.health, 'health gauges printed');
  check(report.delta, 'baseline differences printed');
  check(report.summary, 'the committed price and the growth totals printed');
  if (out) {
    fs.mkdirSync(out, { recursive: true });
    await page.pdf({ path: path.join(out, 'report.pdf'), format: 'A4', printBackground: true });
  }
  // The growth panel's "add a traffic step" is a working button (its `disabled` once swallowed
  // the rest of the tag, and the button showed Rust code).
  await page.emulateMedia({ media: 'screen' });
  const add = await page.$eval('#growth-add-step', (b) => b.textContent.trim());
  check(add === 'Add a traffic step (a launch)', `the add-step button reads: ${add}`);
  await page.click('#growth-add-step');
  await page.waitForSelector('#growth-step-0-month', { timeout: 5000 });
});

await test('7. a loading cue at once on every visit; the snapshot does not look live', async (page) => {
  // A share link, taken from the page.
  await page.goto(url);
  await ready(page);
  await setField(page, 'peak_rps', 150);
  await page.waitForFunction(() => location.hash.length > 1);
  const link = await page.evaluate(() => location.href);
  // Opened in a fresh browser on a slow link (the wasm held back): the cue is on screen at once.
  const visit = async (address) => {
    const fresh = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const p = await fresh.newPage();
    let release;
    const held = new Promise((r) => { release = r; });
    await p.route(/\.wasm$/, async (route) => { await held; await route.continue(); });
    await p.goto(address, { waitUntil: 'domcontentloaded' });
    await p.waitForSelector('#loading', { state: 'visible', timeout: 2000 });
    const cue = await p.$eval('#loading', (el) => [el.textContent, el.getBoundingClientRect().height]);
    check(/Loading the planner/.test(cue[0]) && cue[1] > 10, `the cue: ${cue}`);
    // The snapshot (plain first visit only): its buttons look inert.
    const opacity = await p.$$eval('#first-frame button', (b) => b.map((x) => Number(getComputedStyle(x).opacity)));
    check(opacity.every((o) => o < 1), `the snapshot's buttons look live: ${opacity}`);
    release();
    await p.waitForSelector('#total', { timeout: 30000 });
    await p.waitForFunction(() => !document.getElementById('loading'));
    await fresh.close();
  };
  await visit(link);
  await visit(url);
});

await test('8. exports: where to start, what must exist, known limits; Dockerfile; the fetch script', async (page) => {
  await page.goto(url);
  await ready(page);
  await page.$eval('#exports-h', (el) => el.scrollIntoView());
  const start = await page.textContent('#exports-start');
  check(/deploy-stack\.sh/.test(start) && /deploy\.sh/.test(start) && /VPC/.test(start) && /subnets/.test(start), start);
  check(/every 7 days/.test(await page.textContent('#exports-limits')), 'the 7-day rotation is said');
  await page.click('#tab-Dockerfile');
  await page.waitForSelector('#export-text[aria-busy="false"][data-file="Dockerfile"]', { state: 'attached' });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-download')]);
  check(download.suggestedFilename() === 'Dockerfile', `downloads as ${download.suggestedFilename()}`);
  // The calibrate panel's fetch script: wraps, Copy and Download.
  await page.click('.fetch-script summary');
  await page.waitForFunction(() => document.getElementById('cal-script').textContent.includes('aws cloudwatch'), null, { timeout: 15000 });
  const wraps = await page.$eval('#cal-script', (el) => getComputedStyle(el).whiteSpace === 'pre-wrap' && el.scrollWidth <= el.clientWidth + 1);
  check(wraps, 'the fetch script wraps');
  const [script] = await Promise.all([page.waitForEvent('download'), page.click('#cal-script-download')]);
  check(script.suggestedFilename() === 'fetch-metrics.sh', script.suggestedFilename());
  const body = fs.readFileSync(await script.path(), 'utf8');
  check(body === await page.textContent('#cal-script'), 'the download is the script shown');
  await page.click('#cal-script-copy');
  await page.waitForSelector('#cal-script-msg:has-text("Copied")');
  check(await page.evaluate(() => navigator.clipboard.readText()) === body, 'Copy copies the script');
});

await test('9. words: the document, a glossary, whole option names, the tier shown, at capacity is critical, skip link', async (page) => {
  await page.goto(url);
  await ready(page);
  check(/Scaling Bridge to Production on AWS/.test(await page.textContent('#about-document')), 'the document is named');
  const glossary = await page.textContent('#glossary');
  for (const w of ['LCU', 'M/M/1', 'Working set']) check(glossary.includes(w), `${w} explained`);
  check(await page.getAttribute('.tiers button:has-text("Medium tier")', 'aria-pressed') === 'true', 'Medium shown at first load');
  // The skip link: the first Tab stop, to the inputs.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => [document.activeElement.className, document.activeElement.getAttribute('href'), document.activeElement.textContent]);
  check(focused[0] === 'skip' && focused[1] === '#inputs', `first Tab: ${focused.join(' ')}`);
  check(await inView(page, '.skip'), 'the skip link shows when focused');

  // Every list in the inputs shows its chosen option whole.
  await page.evaluate(() => document.querySelectorAll('#inputs details').forEach((d) => { d.open = true; }));
  const cut = await page.evaluate(() => {
    const c = document.createElement('canvas').getContext('2d');
    return [...document.querySelectorAll('#inputs select')].filter((s) => s.offsetParent).map((s) => {
      const st = getComputedStyle(s);
      c.font = `${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
      const text = s.selectedOptions[0]?.textContent || '';
      // Padding, border and the arrow take about 28 px.
      return c.measureText(text).width > s.clientWidth - 28 ? `${s.id}: "${text}" in ${s.clientWidth}px` : null;
    }).filter(Boolean);
  });
  check(cut.length === 0, `cut off: ${cut.join(' | ')}`);
  // Exactly at capacity (8 tasks x 25 req/s = 200 req/s): critical, not amber.
  const at = enginePlan('medium', (s) => { s.traffic.peak_rps = 200; });
  check(at.capacity.utilisation_at_peak === 1, `the repro is exactly at capacity: ${at.capacity.utilisation_at_peak}`);
  await setField(page, 'peak_rps', 200);
  await page.waitForTimeout(100);
  check((await page.getAttribute('#sb-warnings', 'class')).includes('critical'), await page.getAttribute('#sb-warnings', 'class'));
  check(at.warnings.some((w) => w.severity === 'critical' && w.code === 'capacity_short'), 'the engine says critical');
});

await browser.close();
server.close();
const failed = results.filter(([, e]) => e);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
