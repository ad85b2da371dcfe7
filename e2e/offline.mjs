// End-to-end: the planner as an installed, offline app. Served with the published site's
// headers (CSP, caching). Checks: no console warning or error on load; the manifest makes it
// installable; after one visit it opens and works with the network off, from a share link; a
// new release is offered and the page reloads into it, keeping the scenario.
// Usage: node e2e/offline.mjs DIST_DIR SCALING_PLAN_BIN
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveDist, launch, ready, usd } from './lib.mjs';

const [dist = 'dist', cli = 'target/debug/scaling-plan'] = process.argv.slice(2);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'planner-offline-'));
// A copy: the update test publishes a "new release" into it.
const site = path.join(tmp, 'site');
fs.cpSync(dist, site, { recursive: true });

function engineTotal(tier, edit) {
  const s = JSON.parse(execFileSync(cli, ['scenario', '--tier', tier]).toString());
  edit(s);
  const file = path.join(tmp, `s-${Math.random()}.json`);
  fs.writeFileSync(file, JSON.stringify(s));
  return JSON.parse(execFileSync(cli, ['plan', '--scenario', file]).toString()).monthly_total_usd;
}

const { server, url, setRoot } = await serveDist(site);
const browser = await launch();
const results = [];
async function test(name, fn) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const messages = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => messages.push(`pageerror: ${e}`));
  try {
    await fn(page, context, messages);
    if (messages.length) throw new Error(`console: ${messages.join(' | ')}`);
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
const total = (page) => page.textContent('#total');
// Resolves once the service worker of this page is active, i.e. every file is in its cache.
const offlineReady = (page) => page.evaluate(async () => {
  const reg = await navigator.serviceWorker.ready;
  const cache = await caches.open((await caches.keys()).find((k) => k.startsWith('planner-')));
  return { scope: reg.scope, cached: (await cache.keys()).map((r) => new URL(r.url).pathname) };
});
const files = fs.readdirSync(dist, { recursive: true }).filter((f) => fs.statSync(path.join(dist, f)).isFile());

await test('no console warning or error on load; installable (manifest, icons)', async (page, context, messages) => {
  await page.goto(url);
  await ready(page);
  await offlineReady(page);
  await page.waitForTimeout(200);
  check(messages.length === 0, `on load: ${messages.join(' | ')}`);
  const manifestHref = await page.getAttribute('link[rel="manifest"]', 'href');
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, manifestHref), 'utf8'));
  check(manifest.name && manifest.display === 'standalone' && manifest.start_url === './', JSON.stringify(manifest));
  for (const want of [192, 512]) {
    const icon = manifest.icons.find((i) => i.sizes === `${want}x${want}` && i.type === 'image/png');
    const png = fs.readFileSync(path.join(dist, icon.src));
    check(png.readUInt32BE(16) === want && png.readUInt32BE(20) === want, `${icon.src} is ${want}x${want}`);
  }
  // Chromium's own verdict on installability.
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // A test browser context is incognito, where Chromium never offers to install; nothing else may be missing.
  const missing = installabilityErrors.filter((e) => e.errorId !== 'in-incognito');
  check(missing.length === 0, `not installable: ${JSON.stringify(missing)}`);
});

await test('after one visit: opens offline from a share link, a slider moves the total', async (page, context) => {
  await page.goto(url);
  await ready(page);
  const { cached } = await offlineReady(page);
  for (const f of files.filter((f) => f !== 'sw.js')) check(cached.includes(`/${f}`), `${f} not cached (${cached.join(', ')})`);
  await page.fill('#n-peak_rps', '333');
  await page.dispatchEvent('#n-peak_rps', 'change');
  // The share box follows once the input pauses (like the address bar).
  await page.waitForFunction((old) => document.getElementById('share-link').value !== old, await page.inputValue('#share-link'), { timeout: 3000 }).catch(() => {});
  await page.waitForTimeout(400);
  const link = await page.inputValue('#share-link');
  check(/#s=v\d+\./.test(link), link);
  await context.setOffline(true);
  check(await page.evaluate(() => navigator.onLine) === false, 'network is off');
  await page.goto('about:blank');
  await page.goto(link);
  await ready(page);
  check(await total(page) === usd(engineTotal('medium', (s) => { s.traffic.peak_rps = 333; })), `offline total ${await total(page)}`);
  await page.focus('#f-peak_rps');
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(100);
  const peak = Number(await page.inputValue('#n-peak_rps'));
  check(peak > 333, `the slider moved (${peak})`);
  const want = usd(engineTotal('medium', (s) => { s.traffic.peak_rps = peak; }));
  check(await total(page) === want, `after 7 steps offline (peak ${peak}): ${await total(page)} != ${want}`);
  // The exports come from the exports worker (a second wasm), cached on the first visit too.
  await page.click('#tab-taskdef\\.json');
  await page.waitForSelector('#export-text[aria-busy="false"][data-file="taskdef.json"]', { state: 'attached', timeout: 15000 });
  const td = JSON.parse(await page.textContent('#export-text'));
  check(td.family && td.containerDefinitions.length > 0 && td.cpu === '512', `taskdef.json offline: ${JSON.stringify(td).slice(0, 200)}`);
  await page.waitForTimeout(400); // the address bar follows 200 ms after the last move
  await page.reload();
  await ready(page);
  check(await total(page) === want, 'an offline reload keeps the moved scenario');
});

await test('control: without the service worker the same offline visit fails', async (page, context, messages) => {
  await page.goto(url);
  await ready(page);
  await page.evaluate(async () => { for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister(); });
  await context.setOffline(true);
  const opened = await page.goto(url).then(() => true, () => false);
  check(!opened, 'the page opened offline without its service worker');
  messages.length = 0; // the failed navigation's own messages
});

await test('a new release: the page offers it, reloads into it and keeps the scenario', async (page) => {
  await page.goto(url);
  await ready(page);
  await offlineReady(page);
  await page.reload(); // now controlled by the service worker
  await ready(page);
  await page.fill('#n-peak_rps', '250');
  await page.dispatchEvent('#n-peak_rps', 'change');
  await page.waitForTimeout(300);
  const before = await total(page);
  check(!(await page.$('#update-offer')), 'no offer without a new release');
  // Publish release 2: another index.html, hence another sw.js (post-build would do the same).
  const next = path.join(tmp, 'release-2');
  fs.cpSync(site, next, { recursive: true });
  const index = path.join(next, 'index.html');
  fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replace('<head>', '<head>\n<meta name="release" content="2">'));
  const sw = path.join(next, 'sw.js');
  fs.writeFileSync(sw, fs.readFileSync(sw, 'utf8').replace(/const VERSION = '[^']*'/, "const VERSION = 'release-2'"));
  setRoot(next);
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  await page.waitForSelector('#update-offer', { timeout: 15000 });
  check(!(await page.$('meta[name="release"]')), 'still on release 1 until the user agrees');
  await Promise.all([page.waitForEvent('load'), page.click('#update-reload')]);
  await ready(page);
  check(await page.$('meta[name="release"]'), 'reloaded into release 2');
  check(await total(page) === before, `scenario kept: ${await total(page)} vs ${before}`);
  setRoot(site);
});

await browser.close();
server.close();
fs.rmSync(tmp, { recursive: true, force: true });
const failed = results.filter((r) => r[1]).length;
console.log(`offline: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
