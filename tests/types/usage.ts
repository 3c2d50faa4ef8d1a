// Compiled (not run) by `tsc --noEmit` in the test run: the declarations in
// web/lib/index.d.ts must accept the API as the README and tutorials use it.
import * as dl from '../../web/lib/index.js';

async function graph(): Promise<number[][]> {
  const a = dl.input({ shape: [4], name: 'a' });
  const b = dl.input({ shape: [2] });
  const h = dl.layers.dense({ units: 4, activation: 'relu' }).apply(a);
  const joined = dl.layers.concatenate({ axis: -1 }).apply([dl.layers.add().apply([a, h]), b]);
  const model = dl.model({ inputs: [a, b], outputs: dl.layers.dense({ units: 1 }).apply(joined) });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const x = { a: dl.zeros([2, 4]), b: dl.zeros([2, 2]) };
  await model.fit(x, dl.zeros([2, 1]), { epochs: 1 });
  console.log(model.getLayer(0).name, model.layers.length);
  // Weights and structure (weights.d.ts).
  const kernel: dl.LayerVariable = model.weights[0];
  kernel.val.assign(dl.zeros(kernel.shape));
  kernel.write(kernel.read()).read().dispose();
  const names: string[] = [...model.trainableWeights, ...model.nonTrainableWeights].map(
    (w) => `${w.name} ${w.trainable}`,
  );
  const layer = model.getLayer('dense');
  layer.setWeights(layer.getWeights());
  layer.trainable = !layer.trainable;
  const shapes = [...model.inputs, ...model.outputs, h].map((t) => t.shape);
  console.log(names, shapes, model.inputLayers[0].batchInputShape, model.outputLayers[0].name);
  return (await model.predict([x.a, x.b]).array()) as number[][];
}

// A model of two outputs: losses, weights and targets by output name; predict gives a list.
async function twoOutputs(): Promise<number> {
  const x = dl.input({ shape: [4] });
  const h = dl.layers.dense({ units: 8, activation: 'relu' }).apply(x);
  const cls = dl.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h);
  const reg = dl.layers.dense({ units: 1, name: 'reg' }).apply(h);
  const model = dl.model({ inputs: x, outputs: [cls, reg] });
  await model.compile({
    optimizer: 'adam',
    loss: { cls: 'categoricalCrossentropy', reg: 'meanSquaredError' },
    lossWeights: { reg: 0.5 },
    metrics: { cls: ['accuracy'] },
  });
  const y = { cls: dl.zeros([2, 3]), reg: dl.zeros([2, 1]) };
  const { history } = await model.fit(dl.zeros([2, 4]), y, { epochs: 1, validationData: [dl.zeros([2, 4]), y] });
  const [probabilities, value]: dl.Tensor[] = model.predict(dl.zeros([2, 4]));
  const values = await model.predictValues(dl.zeros([2, 4]));
  const names: string[] | undefined = model.metricsNames;
  const trained: number | number[] = await model.trainOnBatch(dl.zeros([2, 4]), y);
  console.log(model.outputNames, history.cls_loss, values[1].shape, value.shape, names, trained);
  console.log(dl.logValue(history, 'val_cls_accuracy'), dl.tfjsLogName('val_accuracy'));
  const constrained = dl.layers.dense({
    units: 3,
    kernelInitializer: dl.initializers.varianceScaling({ scale: 2, mode: 'fanIn' }),
    biasInitializer: 'leCunNormal',
    kernelConstraint: dl.constraints.maxNorm({ maxValue: 3 }),
    biasConstraint: 'nonNeg',
  });
  console.log(constrained, dl.initializers.identity({ gain: 2 }).apply([2, 2]).shape);
  const withInput = dl.sequential();
  withInput.add(dl.layers.inputLayer({ inputShape: [4] }));
  withInput.add(dl.layers.globalMaxPool1d({}));
  const hook = new dl.CustomCallback({ onEpochEnd: (epoch: number) => console.log(epoch) });
  dl.io.registerSaveRouter((url) => (url.startsWith('memo://') ? dl.io.withSaveHandler(async () => null) : null));
  console.log(hook, dl.io.getSaveHandlers('memo://a').length);
  return (await probabilities.data())[0];
}

async function example(): Promise<number> {
  await dl.ready({ worker: true });
  const model = dl.sequential({
    seed: 1,
    layers: [
      dl.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }),
      dl.layers.conv2d({ filters: 8, kernelSize: [3, 3], padding: 'same', activation: 'relu' }),
      dl.layers.batchNormalization({ momentum: 0.9 }),
      dl.layers.maxPooling2d({ poolSize: 2 }),
      dl.layers.averagePooling2d({ poolSize: [2, 2], strides: 1 }),
      dl.layers.globalAveragePooling2d(),
      dl.layers.dense({ units: 128, kernelRegularizer: dl.regularizers.l2() }),
      dl.layers.leakyReLU({ alpha: 0.2 }),
      dl.layers.reLU({ maxValue: 6 }),
      dl.layers.dropout({ rate: 0.2 }),
      dl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: dl.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = dl.tensor(new Float32Array(784), [1, 784]);
  const y = dl.tensor([[0, 1, 0, 0, 0, 0, 0, 0, 0, 0]]);
  const history: dl.History = await model.fit(x, y, {
    epochs: 1,
    batchSize: 32,
    callbacks: [
      { onBatchEnd: (batch, logs, info) => console.log(batch, logs.loss, info.samplesPerSecond) },
      dl.callbacks.earlyStopping({ patience: 2 }),
    ],
  });
  await model.pause();
  const event: dl.BatchEvent = await model.step();
  await model.setLearningRate(0.01);
  await model.resume();
  model.stopTraining = true;
  const { metrics, confusionMatrix } = await model.evaluateMetrics(x, y);
  const prediction: dl.Values = await model.predictValues(x);
  const output: dl.Tensor = model.predict(x, { batchSize: 64 });
  const classes: Int32Array | Float32Array | Uint8Array = await output.argMax(-1).data();
  const top: number[] = output.max(1).arraySync() as number[];
  const [lossTensor, accuracyTensor] = model.evaluate(x, y) as dl.Tensor[];
  const right: number = (await dl
    .equal(output.argMax(-1), dl.tensor1d([0, 1], 'int32'))
    .sum()
    .array()) as number;
  const held: dl.MemoryInfo = dl.memory();
  dl.dispose([output, lossTensor, accuracyTensor]);
  const maps = await model.activations(x);
  const stats = await model.layerStatistics({ bins: 10 });
  await model.dispose();
  x.dispose();
  return (
    history.history.loss[0] +
    event.logs.loss +
    metrics.accuracy +
    (confusionMatrix?.[0] ?? 0) +
    prediction.values[0] +
    maps.length +
    stats[0].weights.mean
  );
}

// Transfer learning and search, as the README shows them.
async function transfer(model: dl.Sequential, x: dl.Tensor, y: dl.Tensor): Promise<number> {
  const tuned = await model.replaceHead({ remove: 2, add: [dl.layers.dense({ units: 5, activation: 'softmax' })] });
  const copied: number = await dl.copyLeadingWeights(model, tuned, { limit: 3 });
  const image = await tuned.maximizeActivation({ layer: 0, unit: 2, steps: 50 });
  const result = await dl.search({
    space: { learningRate: { min: 1e-4, max: 1e-2, log: true }, units: [8, 32] },
    method: 'random',
    trials: 4,
    makeModel: (params) => dl.sequential({ layers: [dl.layers.dense({ units: params.units, inputShape: [2] })] }),
    data: { x, y, xVal: x, yVal: y },
  });
  const bayesian = await dl.search({
    space: { learningRate: { min: 1e-4, max: 1e-2, log: true }, optimizer: ['adam', 'sgd'] },
    method: 'bayesian',
    trials: 6,
    initialTrials: 3,
    makeModel: () => tuned,
    data: { x, y, xVal: x, yVal: y },
    onTrial: (trial, all, surrogate) => {
      const curve = surrogate?.slice('learningRate', 32);
      const ei: number = curve ? Math.max(...curve.ei) : 0;
      return trial.value + all.length + ei;
    },
  });
  const improvement: number = dl.bayesian.expectedImprovement(0.5, 0.1, 0.6);
  const cv = await dl.crossValidate({
    makeModel: () => tuned,
    x: { values: new Float32Array(4), shape: [2, 2] },
    y: { values: new Float32Array(2), shape: [2, 1] },
    k: 2,
  });
  return copied + image.value + (result.best?.value ?? 0) + (bayesian.best?.value ?? 0) + improvement + cv.mean;
}

function tensors(): dl.Tensor {
  const labels = dl.tensor1d([1, 0, 2], 'int32');
  const kept = dl.tidy(() => {
    const images = dl.tensor4d(new Float32Array(2 * 4), [2, 2, 2, 1]);
    dl.dispose([images, dl.tensor3d([[[1]]])]);
    return dl.oneHot(labels, 3);
  });
  dl.dispose({ labels });
  return kept;
}

void example;
void twoOutputs;
void tensors;
void transfer;

async function workersAndCatalog(): Promise<number> {
  const { workers } = await dl.ready({ workers: 'auto' });
  const started = await dl.setWorkers(2);
  dl.onEngineFailure((error) => console.warn(error.message));
  const model = dl.sequential({ layers: [dl.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const x = dl.tensor(new Float32Array(4), [2, 2]);
  await model.fit(x, dl.tensor(new Float32Array(2), [2, 1]), {
    workers: 2,
    splitBatches: 'never',
    callbacks: { onBatchEnd: (_batch, _logs, info) => console.log(info.cores) },
  });
  await model.setWeights((await model.getWeights()).map((w) => w.values));
  const report = await dl.metrics.classificationReport([0, 1], [0, 1], 2);
  const units = dl.layerSpec('dense')?.options.length ?? 0;
  return workers + started + report.macro.f1 + units + dl.catalog().limits.tensorValues + dl.snake('aB').length;
}

void workersAndCatalog;

function utilAndConcat(): number {
  const indices = [0, 1, 2];
  dl.util.shuffle(indices);
  return dl.concat([dl.tensor1d([1]), dl.tensor1d([2])], 0).shape[0] + dl.util.sizeFromShape([2, 2]);
}

void utilAndConcat;

// Sequence layers (layers.d.ts): an LSTM's states and attention's scores come as lists.
function sequences(): dl.LayerConfig {
  const ids = dl.input({ shape: [16] });
  const e = dl.layers.embedding({ inputDim: 100, outputDim: 8, maskZero: true }).apply(ids);
  const [out, h, c] = dl.layers.lstm({ units: 8, returnSequences: true, returnState: true }).apply(e);
  const both = dl.layers.bidirectional({ layer: dl.layers.gru({ units: 4, resetAfter: true }) }).apply(out);
  const [att, scores] = dl.layers
    .multiHeadAttention({ numHeads: 2, keyDim: 4, useCausalMask: true, returnAttentionScores: true })
    .apply([both, both]);
  const conv = dl.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'causal', activation: 'gelu' }).apply(att);
  const pooled = dl.layers.globalMaxPooling1d().apply(conv);
  console.log(h.shape, c.shape, scores.shape);
  dl.model({ inputs: ids, outputs: dl.layers.concatenate().apply([pooled, h]) });
  return dl.layers.timeDistributed({ layer: dl.layers.dense({ units: 3 }) });
}

void sequences;

// The core API (tensor_ops.d.ts, gradients.d.ts): ops, gradients, variables and minimize.
function coreApi(): number {
  const w = dl.variable(dl.zeros([2, 1]), true, 'w');
  const x = dl.tensor2d([1, 2, 3, 4], [2, 2]);
  const optimizer = dl.train.adam(0.01);
  const cost = optimizer.minimize(() => x.matMul(w).sub(1).square().mean(), true, [w]);
  const g: dl.Tensor = dl.grad((t) => dl.sigmoid(t).sum())(x);
  const { mean, variance } = dl.moments(x, 0);
  const parts: dl.Tensor[] = dl.split(x, 2, 1);
  dl.tidy(() => dl.keep(dl.where(x.greater(2), x, dl.zerosLike(x))));
  dl.model({ inputs: dl.input({ shape: [2] }), outputs: dl.input({ shape: [2] }) }).compile({
    optimizer,
    loss: 'meanSquaredError',
  });
  const loss = dl.losses.softmaxCrossEntropy(dl.oneHot([1, 0], 2), x, undefined, 0.1, dl.losses.Reduction.MEAN);
  return (cost?.size ?? 0) + g.size + mean.size + variance.size + parts.length + loss.size;
}

void coreApi;

// Layers written in JavaScript (custom_layers.d.ts), model.apply on Tensors, save and load.
class Doubler extends dl.layers.Layer {
  build(inputShape: (number | null)[]): void {
    this.addWeight('k', [Number(inputShape[1])], 'float32', dl.initializers.ones());
  }
  call(inputs: dl.Tensor | dl.Tensor[]): dl.Tensor {
    return (Array.isArray(inputs) ? inputs[0] : inputs).mul(2);
  }
  static get className(): string {
    return 'Doubler';
  }
}
dl.serialization.registerClass(Doubler);

async function customLayers(): Promise<number> {
  const model = dl.sequential({ layers: [dl.layers.dense({ units: 2, inputShape: [3] })] });
  model.add(new Doubler());
  const y: dl.Tensor = model.apply(dl.ones([1, 3]), { training: true });
  await model.save(dl.io.withSaveHandler(async () => ({})));
  const back = await dl.loadLayersModel(dl.io.fromMemory({}));
  return y.size + back.layers.length;
}

void customLayers;

// TensorFlow.js' helpers: a buffer filled value by value, util, the environment.
async function helpers(): Promise<number> {
  const b = dl.buffer([2, 3], 'int32');
  b.set(5, 1, 2);
  const t = b.toTensor();
  const back: dl.TensorBuffer = await t.buffer();
  const order: Uint32Array = dl.util.createShuffledIndices(4);
  const started: number = dl.util.now();
  const ok: boolean = (await dl.setBackend('wasm')) && dl.env().getBool('IS_NODE');
  await dl.print(t);
  return back.get(1, 2) + order.length + started + (ok ? 1 : 0) + dl.version.tfjs.length;
}

// Saving and loading by URL, as TensorFlow.js programs do.
async function byUrl(model: dl.Sequential): Promise<number> {
  await model.save('localstorage://my-model');
  const back = await dl.loadLayersModel('http://localhost/model.json', { weightPathPrefix: 'http://localhost/w/' });
  const listed = await dl.io.listModels();
  const info = await dl.io.copyModel('localstorage://my-model', 'indexeddb://copy');
  const files = await dl.loadLayersModel(dl.io.browserFiles([]));
  return Object.keys(listed).length + info.weightDataBytes + back.layers.length + files.layers.length;
}

// tf.data and fitDataset, as TensorFlow.js programs write them.
async function datasets(model: dl.Sequential): Promise<number> {
  const rows = dl.data
    .array([{ xs: [1, 2], ys: [0] }])
    .map((r) => r)
    .shuffle(10, 1)
    .batch(4);
  const history = await model.fitDataset(rows, { epochs: 2, validationData: rows });
  const csv = dl.data.csv('file:///tmp/a.csv', { columnConfigs: { y: { isLabel: true } } });
  const names = await csv.columnNames();
  return history.epoch.length + names.length;
}

// TensorFlow.js' metric functions.
function scoreBoth(y: dl.Tensor, p: dl.Tensor): dl.Tensor[] {
  return [dl.metrics.binaryAccuracy(y, p), dl.metrics.r2Score(y, p), dl.metrics.mse(y, p)];
}

// TensorFlow.js' other names.
function otherNames(model: dl.Sequential, canvas: HTMLCanvasElement): boolean {
  const pixels: dl.Tensor = dl.browser.fromPixels(canvas, 3);
  dl.util.assertShapesMatch(pixels.shape, [1, 1, 3]);
  return (
    model instanceof dl.LayersModel && dl.ENV.getBool('IS_BROWSER') && dl.train.adam() instanceof dl.train.Optimizer
  );
}
