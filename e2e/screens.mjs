// Screenshots of the app at a desktop, a tablet and a phone size (not a test): the first screen
// of each goes to docs/ for the README; full pages go to e2e/out/ for review. The printed
// report (A4, every panel built and every chart drawn, as the Print button does) goes to
// e2e/out/report.pdf, and its pages as images (pdftoppm, 80 dpi) to docs/report-page-N.png.
// Usage: node e2e/screens.mjs DIST_DIR [DOCS_DIR]
import { execFileSync } from 'node:child_process';
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
// The report as printed: every panel built (scrolled through once), the growth path computed,
// every chart drawn (beforeprint), then A4 pages as images.
async function printed(page) {
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForSelector('#cal-file', { state: 'attached' });
  await page.waitForSelector('#growth-summary', { state: 'attached' });
  await page.waitForSelector('#rs-growth');
  await page.evaluate(() => { window.scrollTo(0, 0); window.dispatchEvent(new Event('beforeprint')); });
  await page.emulateMedia({ media: 'print' });
  await page.waitForTimeout(500);
  const pdf = path.join(out, 'report.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  await page.screenshot({ path: path.join(out, 'print-1440.png'), fullPage: true });
  for (const f of fs.readdirSync(docs).filter((f) => /^report-page-\d+\.png$/.test(f))) fs.rmSync(path.join(docs, f));
  execFileSync('pdftoppm', ['-png', '-r', '80', pdf, path.join(docs, 'report-page')]);
  // pdftoppm numbers pages with as many digits as the last page needs: report-page-1.png.
  for (const f of fs.readdirSync(docs).filter((f) => /^report-page-0+\d+\.png$/.test(f))) {
    fs.renameSync(path.join(docs, f), path.join(docs, f.replace(/-0+(\d)/, '-$1')));
  }
  console.log(`report: ${fs.readdirSync(docs).filter((f) => f.startsWith('report-page-')).length} A4 pages`);
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
}

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
  if (name === '1440') await printed(page);
  await context.close();
}
await browser.close();
server.close();
