// The JavaScript fuzz targets, shared by scripts/fuzz_js.mjs (which mutates the seeds) and
// the test that replays kept inputs. A target returns null when the real loader accepted
// the input or refused it with its own error, and a description of anything else: another
// error, or a refusal whose message prints a value mangled.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

import * as dl from '../../web/lib/index.js';
import {
  decodeLayers,
  decodeState,
  encodeLayers,
  encodeState,
  layersFromConfigs,
} from '../../web/src/playground/state.js';

const text = (bytes) => new TextDecoder().decode(bytes);
const bytesOf = (s) => new TextEncoder().encode(s);

// What is wrong with a message that quotes values, or null: every value a message quotes
// goes through show() (web/lib/show.js), so an object never reads [object Object] and an
// empty value never vanishes ("got ;"). Quoted strings (which may hold any text, cut with
// '…') are set aside first.
export function mangled(message) {
  const outside = message.replace(/"(?:[^"\\…]|\\.)*["…]/g, '""');
  if (outside.includes('[object ')) return `a value printed as [object …]: ${message}`;
  if (/\bgot\s*(?:[;,.)]|$)/.test(outside)) return `an empty value printed bare: ${message}`;
  return null;
}

// An error the loader meant (its own error class, or the engine's plain Error) with a
// message that prints its values as they are: null; else what is wrong.
function expected(error, ...classes) {
  const meant =
    classes.some((c) => error instanceof c) ||
    (error?.constructor === Error && typeof error.message === 'string' && error.message.length > 0);
  if (meant) return mangled(String(error.message));
  return `${error?.constructor?.name ?? typeof error}: ${error?.message ?? error}`;
}

export const TARGETS = {
  async model_file({ json, weights }) {
    try {
      const model = await dl.io.importModel({ modelJson: text(json), weights: weights.slice().buffer });
      await model.dispose();
      return null;
    } catch (error) {
      return expected(error, dl.io.ModelFormatError);
    }
  },

  async mnist(files) {
    const fetch = async (url) => {
      const name = new URL(url).pathname.slice(1);
      const body = files[name];
      return body ? new Response(body, { status: 200 }) : new Response(null, { status: 404 });
    };
    try {
      await dl.data.loadMnist({ baseUrl: 'http://fuzz.invalid/', fetch });
      return null;
    } catch (error) {
      return expected(error, dl.data.DataError);
    }
  },

  // The playground's address (also the iframe's and the widget's settings): any query
  // string loads, with what it could not use listed; what it did use must be a valid state
  // (it survives encoding and decoding unchanged, with no complaint).
  async page_address({ query }) {
    try {
      const { state, problems } = decodeState(text(query));
      // Each complaint names the setting it is about (not, say, a TypeError's text).
      const unclear = problems.find(
        (p) => !/^(data|noise|optimizer|lr|loss|batch|epochs|l1|l2|val|seed|logits|layers?|unknown preset)[ :]/.test(p),
      );
      if (unclear) return `an unclear complaint: ${unclear}`;
      const garbled = problems.map(mangled).find(Boolean);
      if (garbled) return garbled;
      const again = decodeState(encodeState(state));
      if (again.problems.length) return `accepted a state that does not decode again: ${again.problems.join('; ')}`;
      if (JSON.stringify(again.state) !== JSON.stringify(state)) return 'the state changed through encoding';
      return null;
    } catch (error) {
      return `${error?.constructor?.name}: ${error?.message}`;
    }
  },

  // A widget's model attribute: a JSON array of layers, shown in the builder or refused.
  async layer_list({ json }) {
    let configs;
    try {
      configs = JSON.parse(text(json));
    } catch {
      return null;
    }
    try {
      const layers = layersFromConfigs(configs);
      if (layers === null) return null;
      const again = decodeLayers(encodeLayers(layers));
      return JSON.stringify(again) === JSON.stringify(layers) ? null : 'the layers changed through encoding';
    } catch (error) {
      return `${error?.constructor?.name}: ${error?.message}`;
    }
  },

  async csv({ file }) {
    try {
      dl.data.parseCsv(text(file));
      return null;
    } catch (error) {
      return error instanceof dl.data.CsvError
        ? mangled(error.message)
        : `${error?.constructor?.name}: ${error?.message}`;
    }
  },
};

// Valid inputs for each target, the fuzzer's starting points.
export async function seedInputs(name) {
  await dl.ready();
  // A graph of a layer of several outputs (an LSTM's states) and attention.
  const statesGraph = () => {
    const x = dl.input({ shape: [4, 3] });
    const [seq, h] = dl.layers.lstm({ units: 3, returnSequences: true, returnState: true }).apply(x);
    const attended = dl.layers.multiHeadAttention({ numHeads: 1, keyDim: 2 }).apply([seq, seq]);
    const pooled = dl.layers.globalAveragePooling1d().apply(dl.layers.layerNormalization().apply(attended));
    return dl.model({ inputs: x, outputs: dl.layers.concatenate().apply([pooled, h]) });
  };
  if (name === 'model_file') {
    const models = [
      dl.sequential({
        layers: [
          dl.layers.dense({ units: 3, activation: 'relu', inputShape: [4] }),
          dl.layers.dense({ units: 2, activation: 'softmax' }),
        ],
      }),
      dl.sequential({
        layers: [
          dl.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [5, 5, 1] }),
          dl.layers.batchNormalization(),
          dl.layers.maxPooling2d({ poolSize: 2 }),
          dl.layers.flatten(),
          dl.layers.dense({ units: 2 }),
        ],
      }),
      // Sequences: ids through an Embedding with masks, 1D convolution, recurrent layers.
      dl.sequential({
        layers: [
          dl.layers.embedding({ inputDim: 7, outputDim: 3, maskZero: true, inputShape: [6] }),
          dl.layers.conv1d({ filters: 2, kernelSize: 2, padding: 'same' }),
          dl.layers.bidirectional({ layer: dl.layers.lstm({ units: 2, returnSequences: true }), mergeMode: 'ave' }),
          dl.layers.gru({ units: 2 }),
          dl.layers.dense({ units: 2, activation: 'softmax' }),
        ],
      }),
      statesGraph(),
    ];
    models[0].compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const seeds = [];
    for (const model of models) {
      const artifacts = await dl.io.exportModel(model);
      seeds.push({ json: bytesOf(dl.io.modelJson(artifacts)), weights: new Uint8Array(artifacts.weightData) });
      await model.dispose();
    }
    return seeds;
  }
  if (name === 'mnist') {
    const count = 3;
    const images = Uint8Array.from({ length: count * 784 }, (_, i) => (i * 7) % 256);
    const labels = Uint8Array.from([3, 1, 4]);
    const file = (raw, path) => {
      const gz = gzipSync(raw);
      return [
        gz,
        { path, bytes: gz.length, rawBytes: raw.length, sha256: createHash('sha256').update(raw).digest('hex') },
      ];
    };
    const parts = {};
    const split = (prefix) => {
      const [gi, fi] = file(images, `${prefix}-images.bin`);
      const [gl, fl] = file(labels, `${prefix}-labels.bin`);
      parts[fi.path] = new Uint8Array(gi);
      parts[fl.path] = new Uint8Array(gl);
      return { count, imageShape: [28, 28, 1], classCounts: [], images: fi, labels: fl };
    };
    const manifest = {
      format: 'mnist-u8-gzip/1',
      name: 'fuzz',
      classes: 10,
      train: split('train'),
      test: split('test'),
    };
    return [{ 'manifest.json': bytesOf(JSON.stringify(manifest)), ...parts }];
  }
  if (name === 'page_address')
    return [
      'preset=cnn',
      'data=circle&noise=0.1&layers=dense-4-tanh~dense-2-tanh~dense-1-sigmoid&optimizer=adam&lr=0.03&loss=binaryCrossentropy&batch=10&epochs=40&l1=0&l2=0.001&val=0.2&seed=7&logits=false',
      'data=mnist&layers=conv2d-32-3-1-valid-relu~maxPooling2d-2-2-same~dropout-0.25~flatten~batchNormalization~dense-10-softmax',
    ].map((q) => ({ query: bytesOf(q) }));
  if (name === 'layer_list')
    return [
      [
        { type: 'conv2d', filters: 6, kernelSize: [5, 5], strides: 1, padding: 'same', activation: 'relu' },
        { type: 'averagePooling2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dropout', rate: 0.5 },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
      [{ type: 'dense', units: 3, activation: 'leaky_relu' }, { type: 'batchNormalization' }],
    ].map((layers) => ({ json: bytesOf(JSON.stringify(layers)) }));
  return [
    { file: bytesOf('height,"weight, kg",species\n1.5,60,cat\n1.7,72,dog\n1.6,65,cat\n1.8,80,dog\n') },
    { file: bytesOf('1;2;0.5\n3;4;1.25\n5;6;2.75\n7;8;3.5\n') },
  ];
}
