// Paced training: fit's `pace` (batches per second at most) and setPace while it runs, so
// that a page can slow 2D training down enough to watch; refused when not a rate.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Meter } from '../../web/lib/timing.js';
import { loadApi, rejectsWith, xorData, xorModel } from './engine.mjs';

const dl = await loadApi();

test('fit with a pace runs at most that many batches per second, and setPace changes it while it runs', async () => {
  const model = xorModel();
  const [x, y] = xorData();
  // 4 samples, batch 1: 4 batches an epoch; 3 epochs at 20 batches/s take at least 0.55 s.
  let start = performance.now();
  await model.fit(x, y, { epochs: 3, batchSize: 1, pace: 20 });
  const paced = performance.now() - start;
  assert.ok(paced >= 550, `12 batches at 20/s took ${paced.toFixed(0)} ms`);
  // Started at 2 per second, then full speed after the first batch: far faster than 6 s.
  start = performance.now();
  let first = true;
  await model.fit(x, y, {
    epochs: 3,
    batchSize: 1,
    pace: 2,
    callbacks: {
      onBatchEnd: async () => {
        if (first) await model.setPace(null);
        first = false;
      },
    },
  });
  const released = performance.now() - start;
  assert.ok(released < 2000, `with the pace lifted after one batch, 12 batches took ${released.toFixed(0)} ms`);
  await rejectsWith(
    model.fit(x, y, { epochs: 1, pace: 0 }),
    /fit: pace must be null \(full speed\) or batches per second from 0 to 10000; got 0/,
  );
  await rejectsWith(model.setPace(5), /setPace: the model is not training; start fit first/);
  [x, y].forEach((t) => t.dispose());
  await model.dispose();
});

test('the throughput meter reads the run’s speed when other work stalls the batches now and then', () => {
  // Batches of 1 ms and 10 samples, with a stall of 300 ms (a view redrawn in the same
  // engine) after every 50: 500 samples per 350 ms, 1,429 samples/s over the run.
  let time = 0;
  const meter = new Meter(() => time);
  const readings = [];
  for (let batch = 1; batch <= 2000; batch++) {
    time += 1;
    meter.add(10);
    if (batch % 50 === 0) time += 300;
    if (batch === 3) assert.equal(meter.samplesPerSecond, null, 'no figure during warm-up');
    if (time > 3000) readings.push(meter.samplesPerSecond);
  }
  const run = (2000 * 10 * 1000) / time;
  const [low, high] = [Math.min(...readings), Math.max(...readings)];
  assert.ok(
    low > run * 0.8 && high < run * 1.25,
    `readings ${low.toFixed(0)} to ${high.toFixed(0)}; the run ${run.toFixed(0)}`,
  );
  // Without stalls it reads the batches' own speed: 10 samples a millisecond.
  const steady = new Meter(() => time);
  for (let batch = 0; batch < 100; batch++) {
    time += 1;
    steady.add(10);
  }
  assert.ok(Math.abs(steady.samplesPerSecond - 10000) < 1e-6 && Math.abs(steady.batchMs - 1) < 1e-9);
});
