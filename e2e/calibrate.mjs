// End-to-end: "Calibrate from metrics" in the release build. Uploads the synthetic week
// (tests/fixtures/calibrate/week-300s.json), checks the comparison table, the measured vs model
// p95 and the right-size, uses the calibrated scenario (the headline then equals the engine's
// plan of the CLI's calibration), Back undoes it, and a wrong file changes nothing.
// Usage: node e2e/calibrate.mjs DIST_DIR SCALING_PLAN_BIN
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, launch, ready, usd } from './lib.mjs';

const [dist = 'dist', cli = 'target/debug/scaling-plan'] = process.argv.slice(2);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'planner-calibrate-'));
const week = path.resolve('tests/fixtures/calibrate/week-300s.json');
const check = (cond, msg) => { if (!cond) throw new Error(msg); };

// The CLI's calibration of the Small tier and its plan: what the app must show after "Use".
const calibrated = path.join(tmp, 'calibrated.json');
execFileSync(cli, ['calibrate', '--metrics', week, '--tier', 'small', '--out', calibrated]);
const want = JSON.parse(execFileSync(cli, ['plan', '--scenario', calibrated]).toString());
const small = JSON.parse(execFileSync(cli, ['plan', '--tier', 'small']).toString());

const { server, url } = await serveDist(dist);
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
let failed = false;
try {
  await page.goto(url);
  await ready(page);
  await page.click('.tiers button:has-text("Small tier")');
  await page.waitForFunction((t) => document.getElementById('total').textContent === t, usd(small.monthly_total_usd));
  // The script comes from the exports worker, started once the panel is in view.
  await page.click('.fetch-script summary');
  await page.waitForFunction(() => document.getElementById('cal-script').textContent.includes('aws cloudwatch get-metric-data'), null, { timeout: 15000 })
    .catch(() => {});
  check((await page.textContent('#cal-script')).includes('aws cloudwatch get-metric-data'), 'the fetch script is shown');

  await page.setInputFiles('#cal-file', week);
  await page.waitForSelector('#cal-table');
  const rows = await page.$$eval('#cal-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  const row = (label) => rows.find((r) => r[0] === label) || [];
  check(row('Peak API requests')[1] === '15 req/s' && row('Peak API requests')[2] === '20 req/s', `peak row ${row('Peak API requests')}`);
  check(row('CPU per request')[2] === '8.76 ms', `cpu row ${row('CPU per request')}`);
  check(row('Task memory')[2] === 'kept', `memory row ${row('Task memory')}`);
  check(row('Peak API requests')[4] === '2016', 'points shown');
  const latency = await page.textContent('#cal-latency');
  // The synthetic system runs 10% slower than M/M/1 per task (175 ms); the model routes round robin
  // over 2 tasks of 0.25 vCPU under the CFS quota (95 ms, tests/calibrate.rs), so the measured
  // 192 ms is 102% above it.
  check(latency.includes('measured 192 ms, the model predicts 95 ms') && latency.includes('102% slower'), latency);
  check((await page.textContent('#cal-rightsize')).includes('a month'), 'right-size shown');
  // Nothing changed yet.
  check(await page.textContent('#total') === usd(small.monthly_total_usd), 'uploading changes nothing');

  await page.click('#cal-use');
  await page.waitForFunction((t) => document.getElementById('total').textContent === t, usd(want.monthly_total_usd));
  check(await page.inputValue('#n-peak_rps') === '20', `peak field ${await page.inputValue('#n-peak_rps')}`);
  await page.goBack();
  await page.waitForFunction((t) => document.getElementById('total').textContent === t, usd(small.monthly_total_usd));

  // A file from another command: named, nothing changes.
  const wrong = path.join(tmp, 'statistics.json');
  fs.writeFileSync(wrong, '{"Label": "CPUUtilization", "Datapoints": []}');
  await page.setInputFiles('#cal-file', wrong);
  await page.waitForSelector('#cal-error');
  const e = await page.textContent('#cal-error');
  check(e.includes('get-metric-statistics') && e.includes('Your scenario is unchanged'), e);
  check(await page.textContent('#total') === usd(small.monthly_total_usd), 'a wrong file changes nothing');
  if (errors.length) throw new Error(`console errors: ${errors.join(' | ')}`);
  console.log('ok   calibrate from metrics: table, p95, right-size, use, Back, wrong file');
} catch (err) {
  failed = true;
  console.log(`FAIL calibrate from metrics: ${err.stack || err}`);
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
