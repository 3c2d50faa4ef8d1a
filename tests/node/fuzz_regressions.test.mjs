// Replays the JavaScript fuzz targets on their seeds and on every input the fuzzer kept
// (tests/fuzz/js/<target>/): each must be accepted or refused with the loader's error.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

import { TARGETS, seedInputs } from '../fuzz/js_targets.mjs';
import { projectRoot } from './engine.mjs';

for (const [name, target] of Object.entries(TARGETS)) {
  test(`the ${name} loader handles its seeds and every kept fuzz input`, async () => {
    const inputs = await seedInputs(name);
    const dir = `${projectRoot}tests/fuzz/js/${name}`;
    const kept = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
    for (const file of kept) {
      const parts = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'));
      inputs.push(
        Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
      );
    }
    for (const [i, input] of inputs.entries())
      assert.equal(
        await target(input),
        null,
        `input ${i} (${i < inputs.length - kept.length ? 'seed' : kept[i - (inputs.length - kept.length)]})`,
      );
  });
}
