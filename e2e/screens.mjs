// Screenshots of the app at a desktop, a tablet and a phone size (not a test): the first screen
// of each goes to docs/ for the README; full pages go to e2e/out/ for review.
// Usage: node e2e/screens.mjs DIST_DIR [DOCS_DIR]
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, ready, seen } from './lib.mjs';

const [dist = 'dist', docs = 'docs'] = process.argv.slice(2);
const out = 'e2e/out';
fs.mkdirSync(out, { recursive: true });
fs.mkdirSync(docs, { recursive: true });
const sizes = [
  { name: '1440', viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 },
  { name: '820', viewport: { width: 820, height: 1180 }, deviceScaleFactor: 2 },
  { name: '390', viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
];
const { server, url } = await serveDist(dist);
const browser = await launch();
for (const size of sizes) {
  const { name, ...options } = size;
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await ready(page);
  // The right-size runs once its panel is seen.
  await page.waitForSelector('#chart-pareto', { state: 'attached' });
  await seen(page, 'chart-pareto');
  await page.waitForSelector('#opt-best');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.selectOption('#baseline-pick', 'small');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(docs, `screen-${name}.png`) });
  await page.screenshot({ path: path.join(out, `full-${name}.png`), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  console.log(`${name}: ${options.viewport.width}x${options.viewport.height}, page height ${await page.evaluate(() => document.documentElement.scrollHeight)} px, sideways overflow ${overflow} px${errors.length ? `, errors: ${errors.join(' | ')}` : ''}`);
  if (name === '1440') {
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: path.join(out, 'report.pdf'), format: 'A4' });
    await page.screenshot({ path: path.join(out, 'print-1440.png'), fullPage: true });
  }
  await context.close();
}
await browser.close();
server.close();
