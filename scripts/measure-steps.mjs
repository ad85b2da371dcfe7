// What each wasm step of the release build buys (a measurement, not a test): from one cargo
// wasm of the page, the steps of scripts/page-wasm.mjs run as the build runs them and with one
// left out, side by side: the first-load wasm (the main module: fetched, compiled and run before
// the first chart) and the chunks fetched after the first chart, raw, gzipped and Brotli, and
// each variant's wall time.
// Usage: node scripts/measure-steps.mjs RAW_WASM (cargo's wasm of the page, --features split)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { releaseSteps, timings } from './page-wasm.mjs';
import { brotli } from './serve-dist.mjs';

const raw = process.argv[2];
if (!raw || !fs.existsSync(raw)) throw new Error(`measure-steps: no wasm at ${raw}`);
const VARIANTS = [
  ['the build (every step)', {}],
  ['without wasm-split (one wasm)', { split: false }],
  ['without wasm-opt', { opt: false }],
];
const sizes = (files) => {
  const bufs = files.map((f) => fs.readFileSync(f));
  const total = (f) => bufs.reduce((a, b) => a + f(b), 0);
  return [total((b) => b.length), total((b) => zlib.gzipSync(b, { level: 9 }).length), total((b) => brotli(b).length)];
};
const fmt = ([r, gz, br]) => `${r.toLocaleString('en')} B (${gz.toLocaleString('en')} gz, ${br.toLocaleString('en')} br)`;
// A LEB128 number at `at`: [value, next offset].
function leb(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}
// The wasm without the linker's relocation sections (`linking`, `reloc.*`): cargo writes them
// for wasm-split alone (--emit-relocs), and wasm-opt keeps custom sections, so a build without
// wasm-split would not have them.
function withoutRelocs(file) {
  const buf = fs.readFileSync(file);
  const parts = [buf.subarray(0, 8)];
  for (let at = 8; at < buf.length;) {
    const [size, body] = leb(buf, at + 1);
    const end = body + size;
    let keep = true;
    if (buf[at] === 0) {
      const [len, nameAt] = leb(buf, body);
      const name = buf.subarray(nameAt, nameAt + len).toString('utf8');
      keep = name !== 'linking' && !name.startsWith('reloc.');
    }
    if (keep) parts.push(buf.subarray(at, end));
    at = end;
  }
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'measure-steps-')), 'page.wasm');
  fs.writeFileSync(out, Buffer.concat(parts));
  return out;
}

const rows = [];
for (const [name, options] of VARIANTS) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-steps-'));
  const before = timings.length;
  const out = releaseSteps(options.split === false ? withoutRelocs(raw) : raw, work, options);
  const ms = timings.slice(before).reduce((a, [, t]) => a + t, 0);
  const chunks = out.extra.filter((f) => f.endsWith('.wasm')).map((f) => path.join(work, f));
  rows.push([name, sizes([path.join(work, out.wasm)]), chunks.length ? sizes(chunks) : null, ms]);
  fs.rmSync(work, { recursive: true, force: true });
}
console.log();
console.log(`${'variant'.padEnd(40)} ${'first-load wasm'.padEnd(40)} ${'chunks after the first chart'.padEnd(40)} time`);
const full = rows[0][1];
for (const [name, first, chunks, ms] of rows) {
  const ratio = `x${(first[1] / full[1]).toFixed(2)} gz`;
  console.log(`${name.padEnd(40)} ${`${fmt(first)} ${ratio}`.padEnd(40)} ${(chunks ? fmt(chunks) : '-').padEnd(40)} ${(ms / 1000).toFixed(1)} s`);
}
