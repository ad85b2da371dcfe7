// Builds the page's wasm (the `bridge-planner` binary) into trunk's staging directory. Called
// by scripts/post-build.mjs; trunk itself builds only the exports worker.
//
// Why not trunk's own rust pipeline: the release page is cut into chunks by wasm-split between
// cargo and wasm-bindgen, a step trunk has no place for.
//   release: cargo (--features split, linked with --emit-relocs so the cut can follow every
//            call) -> wasm-split-cli (main module, the chunks of src/ui/below.rs and
//            src/ui/codec.rs and src/ui/inputs.rs, chunks of the code two of them share, a
//            loader)
//            -> wasm-bindgen (--keep-lld-exports: the chunks import the main module's
//            functions by those names) -> wasm-opt -Oz on the main module and each chunk.
//   debug:   cargo -> wasm-bindgen, nothing cut, nothing optimised (`trunk serve` stays quick).
// Every output is named NAME-<hash>.EXT with one hash of the whole build: the main module's glue
// and the loader import each other, so a hash per file could not name both.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const BIN = 'bridge-planner';
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const TARGET = 'wasm32-unknown-unknown';
// The wasm features rustc enables by default for wasm32-unknown-unknown (and so the ones
// wasm-opt may keep using); browsers that run the planner have all of them.
const WASM_FEATURES = ['bulk-memory', 'nontrapping-float-to-int', 'sign-ext', 'reference-types',
  'multivalue', 'mutable-globals'].map((f) => `--enable-${f}`);

// The project's own tools, never whatever else PATH holds: binaryen 132 from npm (Debian's
// wasm-opt 108 cannot read this wasm), wasm-split-cli and wasm-bindgen from cargo (setup.sh
// installs each at its pinned version). A tool missing or at another version fails the build.
const TOOL_PATH = [path.join(ROOT, 'node_modules', '.bin'), path.join(process.env.HOME || '', '.cargo', 'bin'),
  process.env.PATH || ''].join(path.delimiter);
const WASM_OPT = path.join(ROOT, 'node_modules', '.bin', 'wasm-opt');

function fail(message) {
  throw new Error(`page-wasm: ${message} (bash scripts/setup.sh installs the build's tools)`);
}

// Each step's wall time, [tool, ms], printed at the end of a build (ARCHITECTURE.md's
// "Release build" cites them).
export const timings = [];

function run(cmd, args, opts = {}) {
  console.log(`page-wasm: ${cmd} ${args.join(' ')}`);
  const env = { ...process.env, PATH: TOOL_PATH };
  const start = performance.now();
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env, ...opts });
  } catch (e) {
    if (e.code === 'ENOENT') fail(`${cmd} is not installed`);
    throw new Error(`page-wasm: ${path.basename(cmd)} failed (exit ${e.status}); its output is above`);
  }
  timings.push([path.basename(cmd), performance.now() - start]);
}

function version(cmd, flag = '--version') {
  try {
    return execFileSync(cmd, [flag], { env: { ...process.env, PATH: TOOL_PATH } }).toString().trim();
  } catch (e) {
    return fail(`${cmd} is not installed`);
  }
}

// wasm-bindgen's CLI must be the version of the wasm-bindgen crate in Cargo.lock, and wasm-opt
// binaryen's release 132.
function checkTools(release) {
  const lock = fs.readFileSync(path.join(ROOT, 'Cargo.lock'), 'utf8');
  const want = lock.match(/name = "wasm-bindgen"\nversion = "([^"]+)"/)[1];
  if (!version('wasm-bindgen').includes(want)) fail(`wasm-bindgen is not ${want} (Cargo.lock)`);
  if (!release) return;
  if (!version(WASM_OPT).includes('version 132')) fail(`${WASM_OPT} is not binaryen 132`);
  version('wasm-split-cli', '--help'); // it has no --version; setup.sh pins it
}

// Where cargo writes: CARGO_TARGET_DIR (as trunk honours it), else ./target.
const TARGET_DIR = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');

function cargoBuild(release) {
  const args = ['rustc', '--locked', '--target', TARGET, '--bin', BIN];
  if (!release) {
    run('cargo', args, { cwd: ROOT });
    return path.join(TARGET_DIR, TARGET, 'debug', `${BIN}.wasm`);
  }
  // Only the final link gets --emit-relocs (cargo rustc passes these to the binary alone): the
  // relocations let wasm-split follow every call. The stable toolchain's prebuilt std; the
  // dependencies are the exports worker's (trunk's build, same target directory).
  run('cargo', [...args, '--release', '--features', 'split', '--', '-C', 'link-arg=--emit-relocs'], { cwd: ROOT });
  return path.join(TARGET_DIR, TARGET, 'release', `${BIN}.wasm`);
}

// `split`: the chunks import the main module's functions by the names the linker gave them, so
// wasm-bindgen must keep those exports.
function bindgen(input, outDir, split) {
  const args = ['--target', 'web', '--no-typescript', '--weak-refs', '--out-dir', outDir, '--out-name', BIN];
  if (split) args.push('--keep-lld-exports', '--no-demangle');
  run('wasm-bindgen', [...args, input]);
}

/// The release steps after cargo, from its wasm (`raw`) to the page's files in `work`:
/// { glue, wasm, extra: [names] } (names relative to work). `split` (wasm-split, and
/// wasm-bindgen's --keep-lld-exports it needs) and `opt` (wasm-opt) can be left out:
/// scripts/measure-steps.mjs measures what each buys; the build runs both.
export function releaseSteps(raw, work, { split = true, opt = true } = {}) {
  let main = raw;
  const extra = [];
  if (split) {
    const cut = path.join(work, 'cut');
    run('wasm-split-cli', [raw, cut, '--out-name', BIN]);
    main = path.join(cut, `${BIN}.wasm`);
    for (const f of fs.readdirSync(cut)) {
      if (f === `${BIN}.wasm`) continue;
      fs.copyFileSync(path.join(cut, f), path.join(work, f));
      extra.push(f);
    }
  }
  bindgen(main, work, split);
  if (opt) {
    for (const f of [`${BIN}_bg.wasm`, ...extra.filter((f) => f.endsWith('.wasm'))]) {
      const file = path.join(work, f);
      // PAGE_WASM_NAMES=1 keeps the function names (larger; for a profile, never for release).
      const names = process.env.PAGE_WASM_NAMES === '1' ? ['--debuginfo'] : [];
      run(WASM_OPT, ['-Oz', ...names, ...WASM_FEATURES, file, '-o', file]);
    }
  }
  return { glue: `${BIN}.js`, wasm: `${BIN}_bg.wasm`, extra };
}

// Returns the page's files in `work`: { glue, wasm, extra: [names] } (names relative to work).
function buildInto(work, release) {
  checkTools(release);
  const raw = cargoBuild(release);
  if (!release) {
    bindgen(raw, work, false);
    return { glue: `${BIN}.js`, wasm: `${BIN}_bg.wasm`, extra: [] };
  }
  return releaseSteps(raw, work);
}

// NAME.EXT -> NAME-<hash>.EXT (NAME_bg.wasm -> NAME-<hash>_bg.wasm, as trunk names them).
function hashedName(name, hash) {
  const m = name.match(/^(.*?)(_bg)?(\.[a-z0-9]+)$/);
  const stem = m[1].replace(/^_+/, '').replace(/[._]+/g, '-');
  return `${stem}-${hash}${m[2] || ''}${m[3]}`;
}

/// Builds the page into `dir` and returns what index.html needs: the glue and wasm file names.
export function buildPage(dir, release) {
  const work = fs.mkdtempSync(path.join(TARGET_DIR, 'page-wasm-'));
  try {
    const out = buildInto(work, release);
    const names = [out.glue, out.wasm, ...out.extra];
    const sha = crypto.createHash('sha256');
    for (const n of names) sha.update(`${n}\0`).update(fs.readFileSync(path.join(work, n)));
    const hash = sha.digest('hex').slice(0, 16);
    const renamed = Object.fromEntries(names.map((n) => [n, hashedName(n, hash)]));
    for (const n of names) {
      let data = fs.readFileSync(path.join(work, n));
      if (n.endsWith('.js')) {
        // The glue imports the loader, and the loader imports the glue and fetches the chunk:
        // `from "./NAME"` and `new URL("./NAME"`. Not every "./NAME": the wasm's own import
        // module is called "./__wasm_split.js", and the glue's import object keeps that key.
        let text = data.toString('utf8');
        for (const [from, to] of Object.entries(renamed)) {
          for (const q of ['"', "'"]) {
            text = text.split(`from ${q}./${from}${q}`).join(`from ${q}./${to}${q}`);
            text = text.split(`new URL(${q}./${from}${q}`).join(`new URL(${q}./${to}${q}`);
          }
        }
        for (const f of names) {
          if (new RegExp(`(from |new URL\\()["']\\./${f.replace(/[.]/g, '\\.')}["']`).test(text)) {
            throw new Error(`page-wasm: ${n} still names ${f} unhashed`);
          }
        }
        data = Buffer.from(text, 'utf8');
      }
      fs.writeFileSync(path.join(dir, renamed[n]), data);
    }
    return { glue: renamed[out.glue], wasm: renamed[out.wasm], chunks: out.extra.map((n) => renamed[n]) };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
