import fs from 'node:fs';
import { serveDist, launch, ready } from './lib.mjs';
const [w, h, dpr] = (process.argv[2] || '1440x900x1').split('x').map(Number);
const only = process.argv[3];
fs.mkdirSync('e2e/out', { recursive: true });
const { server, url } = await serveDist('dist');
const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: dpr });
const page = await ctx.newPage();
page.on('pageerror', (e) => console.log('pageerror', String(e)));
await page.goto(url); await ready(page); await page.waitForSelector('#opt-best');
await page.selectOption('#baseline-pick', 'small'); await page.waitForTimeout(300);
const sections = await page.$$eval('.results > section, aside.controls', (els) => els.map((e, i) => e.className.split(' ')[0] || `s${i}`));
for (const [i, name] of sections.entries()) {
  if (only && !only.split(',').includes(name)) continue;
  const el = (await page.$$('.results > section, aside.controls'))[i];
  if (!(await el.isVisible())) continue;
  await el.screenshot({ path: `e2e/out/${w}-${name}.png` });
}
console.log(sections.join(' '));
await browser.close(); server.close();
