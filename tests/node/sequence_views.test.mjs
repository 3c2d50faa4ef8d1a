// The sequence views' computations (web/src/playground/sequence_probe.js) against the
// engine: an LSTM's steps recomputed from its weights equal the layer's outputs, attention
// scores recomputed from the layer's weights equal those the layer returns, the 2D
// projection finds a known plane, and sampling follows temperature and top-k.
import assert from 'node:assert/strict';
import test from 'node:test';

import * as dl from '../../web/lib/index.js';
import {
  attentionScores,
  lossPerPosition,
  lstmSteps,
  project2d,
  sampleNext,
  topK,
} from '../../web/src/playground/sequence_probe.js';

await dl.ready();

const largest = (a, b) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
const weightsOf = async (model, layer) =>
  Object.fromEntries((await model.getWeights()).filter((w) => w.layer === layer).map((w) => [w.name, w.values]));

for (const recurrentActivation of ['hard_sigmoid', 'sigmoid']) {
  test(`an LSTM's steps (${recurrentActivation}) recomputed from its weights equal the engine's outputs`, async () => {
    const steps = 7;
    const model = dl.sequential({
      seed: 4,
      layers: [
        dl.layers.embedding({ inputDim: 12, outputDim: 5, inputShape: [steps] }),
        dl.layers.lstm({ units: 6, returnSequences: true, recurrentActivation }),
      ],
    });
    const ids = dl.tensor([[3, 1, 4, 1, 5, 9, 2]]);
    const [embedded, output] = await model.activations(ids);
    const w = await weightsOf(model, output.layer);
    const mine = lstmSteps(
      embedded.values,
      steps,
      { kernel: w.kernel, recurrent: w.recurrent_kernel, bias: w.bias },
      6,
      { recurrentActivation },
    );
    const difference = largest(mine.h, output.values);
    assert.ok(difference < 1e-5, `largest difference ${difference}`);
    assert.ok(mine.f.every((v) => v >= 0 && v <= 1));
    // The other gate function does not match: the comparison can fail.
    const other = recurrentActivation === 'sigmoid' ? 'hard_sigmoid' : 'sigmoid';
    const wrong = lstmSteps(
      embedded.values,
      steps,
      { kernel: w.kernel, recurrent: w.recurrent_kernel, bias: w.bias },
      6,
      {
        recurrentActivation: other,
      },
    );
    assert.ok(largest(wrong.h, output.values) > 100 * difference, `${largest(wrong.h, output.values)}`);
    model.dispose();
  });
}

test('attention scores recomputed from the layer’s weights equal the scores it returns', async () => {
  const steps = 6;
  const ids = dl.input({ shape: [steps] });
  const x = dl.layers.embedding({ inputDim: 20, outputDim: 8 }).apply(ids);
  const [, scores] = dl.layers
    .multiHeadAttention({ numHeads: 2, keyDim: 4, useCausalMask: true, returnAttentionScores: true })
    .apply([x, x]);
  const model = dl.model({ inputs: ids, outputs: scores, seed: 2 });
  const input = dl.tensor([[1, 7, 3, 19, 4, 4]]);
  const [embedded] = await model.activations(input);
  const engine = await model.predict(input).data();
  const w = Object.fromEntries((await model.getWeights()).map((t) => [t.name, t.values]));
  const mine = attentionScores(
    embedded.values,
    embedded.values,
    steps,
    { queryKernel: w['query/kernel'], queryBias: w['query/bias'], keyKernel: w['key/kernel'], keyBias: w['key/bias'] },
    2,
    4,
    true,
  );
  const flat = Float32Array.from(mine.flatMap((head) => Array.from(head)));
  const difference = largest(flat, engine);
  assert.ok(difference < 1e-5, `largest difference ${difference}`);
  // Causal: no query sees a later key.
  assert.equal(mine[0][0 * steps + 1], 0);
  model.dispose();
});

test('the 2D projection of points on a tilted plane keeps their distances; loss per position; sampling', () => {
  // Points in 3D on the plane spanned by (1, 1, 0) and (0, 0, 1), scaled differently.
  const rows = 40;
  const table = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    const [a, b] = [Math.sin(r) * 3, Math.cos(r * 1.7)];
    table.set([a, a, b], r * 3);
  }
  const { points, shares } = project2d(table, rows, 3);
  assert.ok(shares[0] + shares[1] > 0.999, `the plane holds all the variance: ${shares}`);
  const distance = (p, i, j, w) => Math.hypot(...Array.from({ length: w }, (_, a) => p[i * w + a] - p[j * w + a]));
  for (const [i, j] of [
    [0, 1],
    [3, 17],
    [5, 39],
  ])
    assert.ok(Math.abs(distance(points, i, j, 2) - distance(table, i, j, 3)) < 1e-4);

  // Two samples of three steps over three classes.
  const probabilities = Float32Array.from([
    0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4, 0.5, 0.25, 0.25, 0.2, 0.2, 0.6, 0.1, 0.1, 0.8,
  ]);
  const { loss, accuracy } = lossPerPosition(probabilities, [0, 1, 0, 0, 1, 2], 2, 3, 3);
  assert.ok(Math.abs(loss[0] - -(Math.log(0.7) + Math.log(0.5)) / 2) < 1e-6);
  assert.deepEqual(accuracy, [1, 0.5, 0.5]);
  assert.deepEqual(
    topK(Float32Array.from([0.1, 0.6, 0.3]), 2).map((c) => c.id),
    [1, 2],
  );

  const row = Float32Array.from([0.5, 0.3, 0.15, 0.05]);
  assert.equal(sampleNext(row, { temperature: 0 }), 1, 'temperature 0 takes the most likely (not padding)');
  let state = 1;
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
  const draws = Array.from({ length: 2000 }, () => sampleNext(row, { temperature: 1, topK: 2, random }));
  assert.ok(
    draws.every((id) => id === 1 || id === 2),
    'top-k 2 keeps the two most likely',
  );
  const share = draws.filter((id) => id === 1).length / draws.length;
  assert.ok(Math.abs(share - 0.3 / 0.45) < 0.04, `at temperature 1 the odds are the model's: ${share}`);
  const cold = Array.from({ length: 2000 }, () => sampleNext(row, { temperature: 0.3, topK: 2, random }));
  assert.ok(cold.filter((id) => id === 1).length / 2000 > share + 0.1, 'a low temperature sharpens');
});
