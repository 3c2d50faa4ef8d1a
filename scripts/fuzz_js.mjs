// A seeded mutation fuzzer for the JavaScript loaders: it feeds the real code mutated
// valid files (bit flips, truncation, splices, huge numbers, wrong types) and checks that
// each is either accepted or refused with the loader's own error, whose message prints the
// values it quotes as they are (through show(); never [object Object]). Anything else (a
// TypeError, a RangeError, a hang of the engine, a mangled value) is a finding, kept in
// tests/fuzz/js/ for the test run to replay.
// Usage: node scripts/fuzz_js.mjs [seconds per target] [seed] [targets, comma-separated;
// all by default]
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import * as dl from '../web/lib/index.js';
import { TARGETS, seedInputs } from '../tests/fuzz/js_targets.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const budget = Number(process.argv[2] ?? 60);
const seed = Number(process.argv[3] ?? 1);
const only = process.argv[4]?.split(',');

// mulberry32, so that a run can be repeated from its seed.
function random(state) {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Members of every object (and of every function), which a lookup in a plain object finds.
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).concat(['prototype', 'name', 'length', 'call']);

const text = (bytes) => new TextDecoder().decode(bytes);
const bytesOf = (s) => new TextEncoder().encode(s);

// One mutation of a byte array.
function mutate(bytes, rnd, others) {
  const pick = (n) => Math.floor(rnd() * n);
  const out = bytes.slice();
  switch (pick(9)) {
    case 0: // flip a few bits
      for (let i = 0, n = 1 + pick(8); i < n && out.length; i++) out[pick(out.length)] ^= 1 << pick(8);
      return out;
    case 1: // truncate
      return out.slice(0, pick(out.length + 1));
    case 2: {
      // splice in a piece of another input
      const other = others[pick(others.length)];
      const at = pick(out.length + 1);
      const from = pick(other.length + 1);
      return new Uint8Array([...out.slice(0, at), ...other.slice(from, from + pick(64)), ...out.slice(at)]);
    }
    case 3: {
      // a number in JSON-like text becomes huge, negative or fractional
      const s = text(out);
      const numbers = [...s.matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)];
      if (!numbers.length) return out;
      const m = numbers[pick(numbers.length)];
      const choice = ['1e308', '-1', '0', '4294967296', '1.5', '99999999999', 'NaN', '-0'][pick(8)];
      return bytesOf(s.slice(0, m.index) + choice + s.slice(m.index + m[0].length));
    }
    case 4: {
      // a JSON value becomes another type
      const s = text(out);
      const spots = [...s.matchAll(/:\s*("[^"]*"|-?[\d.e]+|\[[^\]]*\]|true|false|null)/g)];
      if (!spots.length) return out;
      const m = spots[pick(spots.length)];
      const choice = ['"x"', '[]', '{}', 'null', 'true', '[1,2,3]', '-5', '""'][pick(8)];
      return bytesOf(`${s.slice(0, m.index)}: ${choice}${s.slice(m.index + m[0].length)}`);
    }
    case 5: // duplicate a stretch
      if (!out.length) return out;
      {
        const at = pick(out.length);
        const piece = out.slice(at, at + pick(256));
        return new Uint8Array([...out.slice(0, at), ...piece, ...piece, ...out.slice(at + piece.length)]);
      }
    case 6: {
      // a word becomes a name that objects already have, an empty one or a number word
      const s = text(out);
      const words = [...s.matchAll(/[A-Za-z_]+/g)];
      if (!words.length) return out;
      const m = words[pick(words.length)];
      const choice = ['constructor', '__proto__', 'toString', 'hasOwnProperty', '', 'NaN', 'Infinity', 'undefined'][
        pick(8)
      ];
      return bytesOf(s.slice(0, m.index) + choice + s.slice(m.index + m[0].length));
    }
    case 7: {
      // a string value (a class name, a dtype, an activation…) becomes a name that every
      // object already has, which a plain table lookup would find
      const s = text(out);
      const strings = [...s.matchAll(/"((?:[^"\\]|\\.)*)"/g)];
      if (!strings.length) return out;
      const m = strings[pick(strings.length)];
      return bytesOf(
        `${s.slice(0, m.index)}"${PROTOTYPE_NAMES[pick(PROTOTYPE_NAMES.length)]}"${s.slice(m.index + m[0].length)}`,
      );
    }
    default: // overwrite bytes with random ones
      for (let i = 0, n = 1 + pick(16); i < n && out.length; i++) out[pick(out.length)] = pick(256);
      return out;
  }
}

const outDir = `${root}tests/fuzz/js`;
let findings = 0;
for (const [name, target] of Object.entries(TARGETS)) {
  if (only && !only.includes(name)) continue;
  const seeds = await seedInputs(name);
  mkdirSync(`${outDir}/${name}`, { recursive: true });
  const rnd = random(seed);
  const end = Date.now() + budget * 1000;
  let runs = 0;
  const seen = new Set();
  // The engine's heap in use after a first pass over the seeds: refused inputs must not
  // leave anything behind, so it should be the same at the end.
  for (const input of seeds) await target(input);
  const heapBefore = (await dl.engineMemory()).heapInUse;
  while (Date.now() < end) {
    const base = seeds[Math.floor(rnd() * seeds.length)];
    const input = {};
    const keys = Object.keys(base);
    for (const key of keys) input[key] = base[key];
    // Mutate one or two of the input's files, one to three times each.
    for (let m = 0; m < 1 + Math.floor(rnd() * 2); m++) {
      const key = keys[Math.floor(rnd() * keys.length)];
      let bytes = input[key];
      for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++)
        bytes = mutate(
          bytes,
          rnd,
          keys.map((x) => base[x]),
        );
      input[key] = bytes;
    }
    runs += 1;
    const problem = await target(input);
    // One kept input per kind of problem is enough to replay it.
    const kind = problem?.replace(/\d+/g, 'N');
    if (problem && !seen.has(kind)) {
      seen.add(kind);
      findings += 1;
      const file = `${outDir}/${name}/finding-${seed}-${runs}.json`;
      writeFileSync(
        file,
        JSON.stringify(
          Object.fromEntries(Object.entries(input).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        ),
      );
      console.log(`fuzz_js: ${name}: ${problem} (kept in ${file})`);
    }
  }
  const heapAfter = (await dl.engineMemory()).heapInUse;
  console.log(
    `fuzz_js: ${name}: ${runs} inputs in ${budget} s; engine heap in use ${heapBefore} -> ${heapAfter} bytes`,
  );
  if (heapAfter - heapBefore > 64 * 1024) {
    findings += 1;
    console.log(`fuzz_js: ${name}: the engine's heap grew by ${heapAfter - heapBefore} bytes: something leaks`);
  }
}
console.log(`fuzz_js: ${findings} findings`);
process.exit(findings ? 1 : 0);
