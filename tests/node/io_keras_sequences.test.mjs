// Keras 3 files of sequence models (tests/fixtures/keras, written by hand in Keras 3's
// format): an Embedding -> Bidirectional(LSTM) -> GRU -> Dense Sequential and a small
// transformer block (Embedding, keras_hub's PositionEmbedding, MultiHeadAttention,
// LayerNormalization) import with Keras 3's meanings: options left out take Keras 3's
// defaults (sigmoid gates, GRU reset_after) and 'hard_sigmoid' is Keras 3's relu6(x + 3) / 6;
// TensorFlow.js' files keep TensorFlow.js' meanings. Each import predicts as the same model
// built through our API with the same weights.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { dl, fixture } from './tfjs_graphs.mjs';
import { fromKeras, kerasFlavour } from '../../web/lib/io/keras.js';

// Ids in [1, n) with the first sample's last two steps padding (0).
const ids = (samples, steps, n) => {
  const v = new Float32Array(samples * steps);
  for (let i = 0; i < v.length; i++) v[i] = 1 + ((i * 7 + 3) % (n - 1));
  v[steps - 1] = 0;
  v[steps - 2] = 0;
  return dl.tensor(v, [samples, steps]);
};

async function expectSameAs(imported, built, x) {
  const weights = await built.getWeights();
  const theirs = await imported.getWeights();
  assert.deepEqual(
    theirs.map((w) => w.shape),
    weights.map((w) => w.shape),
    'the same weights, in the same order and shapes',
  );
  await imported.setWeights(weights.map((w) => w.values));
  const a = await imported.predict(x).data();
  const b = await built.predict(x).data();
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-6, `output ${i}: ${a[i]} vs ${b[i]}`);
}

test('who wrote a topology: TensorFlow.js, Keras 2 or Keras 3', () => {
  assert.equal(kerasFlavour({ keras_version: 'tfjs-layers 4.22.0', class_name: 'Sequential' }), 'tfjs');
  assert.equal(kerasFlavour({ keras_version: '2.13.1', class_name: 'Functional' }), 'keras2');
  assert.equal(kerasFlavour({ keras_version: '3.6.0', class_name: 'Functional' }), 'keras3');
  assert.equal(kerasFlavour(JSON.parse(fixture('keras3_recurrent_config.json'))), 'keras3');
  assert.equal(kerasFlavour({ class_name: 'Sequential', config: {} }), 'tfjs');
});

test("left-out options take Keras 3's defaults only in Keras' files; Keras 3's hard_sigmoid is its own", () => {
  const config = { units: 4 };
  assert.deepEqual(fromKeras('GRU', config, 'g', 'tfjs'), { type: 'gru', units: 4 });
  assert.deepEqual(fromKeras('GRU', config, 'g', 'keras3'), {
    type: 'gru',
    units: 4,
    recurrentActivation: 'sigmoid',
    resetAfter: true,
  });
  assert.equal(fromKeras('LSTM', config, 'l', 'keras2').recurrentActivation, 'sigmoid');
  const hard = { units: 4, recurrent_activation: 'hard_sigmoid', activation: 'hard_sigmoid' };
  for (const flavour of ['tfjs', 'keras2'])
    assert.equal(fromKeras('LSTM', hard, 'l', flavour).recurrentActivation, 'hard_sigmoid', flavour);
  const keras3 = fromKeras('LSTM', hard, 'l', 'keras3');
  assert.equal(keras3.recurrentActivation, 'hard_sigmoid_keras');
  assert.equal(keras3.activation, 'hard_sigmoid_keras');
  // Inside a wrapper too.
  const wrapped = fromKeras('Bidirectional', { layer: { class_name: 'GRU', config: { units: 2 } } }, 'b', 'keras3');
  assert.equal(wrapped.layer.resetAfter, true);
  assert.equal(
    fromKeras('keras_hub>PositionEmbedding', { sequence_length: 4 }, 'p', 'keras3').type,
    'positionEmbedding',
  );
});

test("hard_sigmoid_keras is relu6(x + 3) / 6, hard_sigmoid TensorFlow.js' clip(0.2 x + 0.5)", async () => {
  const x = [-4, -2, 0, 1, 2.4, 4];
  for (const [activation, f] of [
    ['hard_sigmoid', (v) => Math.min(1, Math.max(0, 0.2 * v + 0.5))],
    ['hard_sigmoid_keras', (v) => Math.min(6, Math.max(0, v + 3)) / 6],
  ]) {
    const model = dl.sequential({ layers: [dl.layers.activation({ activation, inputShape: [6] })] });
    const y = await model.predict(dl.tensor(x, [1, 6])).data();
    x.forEach((v, i) => assert.ok(Math.abs(y[i] - f(v)) < 1e-6, `${activation}(${v}) = ${y[i]}`));
    await model.dispose();
  }
});

test('a Keras 3 Embedding -> Bidirectional(LSTM) -> GRU -> Dense predicts as the same model built here', async () => {
  const imported = await dl.io.modelFromJSON(fixture('keras3_recurrent_config.json'));
  const built = dl.sequential({
    layers: [
      dl.layers.embedding({ inputDim: 20, outputDim: 8, maskZero: true, inputShape: [5] }),
      dl.layers.bidirectional({
        layer: { type: 'lstm', units: 6, returnSequences: true, recurrentActivation: 'sigmoid' },
      }),
      dl.layers.gru({ units: 4, recurrentActivation: 'hard_sigmoid_keras', resetAfter: true }),
      dl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  const description = imported.description();
  assert.equal(description.layers[2].recurrentActivation, 'hard_sigmoid_keras');
  assert.equal(description.layers[2].resetAfter, true);
  assert.equal((await imported.getWeights()).length, 1 + 2 * 3 + 3 + 2);
  await expectSameAs(imported, built, ids(3, 5, 20));
  assert.deepEqual(imported.predict(ids(3, 5, 20)).shape, [3, 3]);
  await imported.dispose();
  await built.dispose();
});

test("a Keras 3 transformer block (keras_hub's PositionEmbedding, MultiHeadAttention, LayerNormalization) predicts as built here", async () => {
  const imported = await dl.io.modelFromJSON(fixture('keras3_transformer_config.json'));
  const tokens = dl.input({ shape: [6] });
  const tok = dl.layers.embedding({ inputDim: 30, outputDim: 8 }).apply(tokens);
  const sum = dl.layers.add().apply([tok, dl.layers.positionEmbedding({ sequenceLength: 6 }).apply(tok)]);
  const attended = dl.layers.multiHeadAttention({ numHeads: 2, keyDim: 4, valueDim: 4 }).apply([sum, sum]);
  const normed = dl.layers.layerNormalization({ epsilon: 0.001 }).apply(dl.layers.add().apply([sum, attended]));
  const out = dl.layers
    .dense({ units: 2, activation: 'softmax' })
    .apply(dl.layers.globalAveragePooling1d().apply(normed));
  const built = dl.model({ inputs: tokens, outputs: out });
  assert.equal((await imported.getWeights()).length, 1 + 1 + 8 + 2 + 2);
  await expectSameAs(imported, built, ids(2, 6, 30));
  await imported.dispose();
  await built.dispose();
});

test("the Keras code view writes what our layer computes: TensorFlow.js' hard_sigmoid as its formula, Keras 3's defaults overridden", async () => {
  const { kerasLayer } = await import('../../web/src/playground/codegen.js');
  const state = { l1: 0, l2: 0 };
  assert.equal(
    kerasLayer({ type: 'lstm', units: 8, returnSequences: true }, state),
    'layers.LSTM(8, return_sequences=True, recurrent_activation=lambda x: keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0))',
  );
  assert.equal(
    kerasLayer({ type: 'gru', units: 4, recurrentActivation: 'sigmoid', resetAfter: true }, state),
    'layers.GRU(4, return_sequences=False)',
  );
  assert.equal(
    kerasLayer({ type: 'gru', units: 4, recurrentActivation: 'hard_sigmoid_keras' }, state),
    "layers.GRU(4, return_sequences=False, recurrent_activation='hard_sigmoid', reset_after=False)",
  );
});

test('the code views write wrapped layers and sequence options: Keras 3 that parses, JavaScript that makes the same layer', async () => {
  const { execFileSync } = await import('node:child_process');
  const { jsLayer, kerasCallArguments, kerasLayer } = await import('../../web/src/playground/codegen.js');
  const state = { l1: 0, l2: 0 };
  const layers = [
    { type: 'embedding', inputDim: 50, outputDim: 8, maskZero: true },
    {
      type: 'bidirectional',
      layer: { type: 'lstm', units: 8, returnSequences: true, goBackwards: true },
      mergeMode: null,
    },
    { type: 'timeDistributed', layer: { type: 'dense', units: 3, activation: 'softmax' } },
    { type: 'conv1d', filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2 },
    { type: 'multiHeadAttention', numHeads: 2, keyDim: 4, useCausalMask: true },
    {
      type: 'cropping2D',
      cropping: [
        [1, 1],
        [2, 0],
      ],
    },
    { type: 'gru', units: 4, resetAfter: true, recurrentActivation: 'sigmoid' },
  ];
  const keras = layers.map((l) => kerasLayer(l, state));
  assert.equal(
    keras[1],
    'layers.Bidirectional(layers.LSTM(8, return_sequences=True, go_backwards=True, recurrent_activation=lambda x: keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)), merge_mode=None)',
  );
  assert.equal(keras[2], "layers.TimeDistributed(layers.Dense(3, activation='softmax'))");
  assert.equal(keras[0], 'layers.Embedding(50, 8, mask_zero=True)');
  // Keras 3 takes the causal mask when the layer is called.
  assert.equal(
    `${keras[4]}(h, h${kerasCallArguments(layers[4])})`,
    'layers.MultiHeadAttention(2, 4)(h, h, use_causal_mask=True)',
  );
  const script = keras.map((k, i) => `l${i} = ${k}`).join('\n');
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: script });
  // The JavaScript, run, makes a layer of the same options.
  const sorted = (v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .filter((k) => typeof v[k] !== 'function' && !['strides', 'activation', 'returnSequences'].includes(k))
            .sort()
            .map((k) => [k, sorted(v[k])]),
        )
      : v;
  for (const l of layers) {
    const made = new Function('dl', `return ${jsLayer(l, -1, state, {})};`)(dl);
    assert.deepEqual(sorted(made), sorted(l), jsLayer(l, -1, state, {}));
  }
});
