// Loads the MNIST (or Fashion-MNIST) assets made by scripts/build_data.mjs: the manifest
// and the four gzip files, each checked (packed.js).
//
//   const mnist = await loadMnist({ baseUrl: 'data/mnist-subset/', onProgress: (f) => bar.value = f });
//   mnist.train.images  // Uint8Array, count * 784 pixels; mnist.train.labels: Uint8Array
//
// A missing, truncated or corrupt file, or a manifest that does not add up, rejects with
// a DataError whose message names the file and the problem.
import { show } from '../show.js';
import { DataError, fetchManifest, fetchPacked, folder } from './packed.js';

export { DataError };

const PARTS = [
  ['train', 'images'],
  ['train', 'labels'],
  ['test', 'images'],
  ['test', 'labels'],
];
const MAX_FILE_BYTES = 64 << 20;

function fail(message) {
  throw new DataError(`MNIST: ${message}`);
}

function checkManifest(m) {
  if (typeof m !== 'object' || m === null) fail('manifest.json is not an object');
  if (m.format !== 'mnist-u8-gzip/1') fail(`manifest.json has format ${show(m.format)}; expected "mnist-u8-gzip/1"`);
  for (const [split, kind] of PARTS) {
    const s = m[split];
    if (!s || !Number.isInteger(s.count) || s.count < 1)
      fail(`manifest.json: ${split}.count must be a whole number >= 1`);
    const f = s[kind];
    if (!f || typeof f.path !== 'string' || !/^[\w.-]+$/.test(f.path))
      fail(`manifest.json: ${split}.${kind}.path is missing or not a plain file name`);
    if (!Number.isInteger(f.bytes) || f.bytes < 1 || f.bytes > MAX_FILE_BYTES)
      fail(`manifest.json: ${split}.${kind}.bytes must be from 1 to ${MAX_FILE_BYTES}`);
    const expected = kind === 'images' ? s.count * 784 : s.count;
    if (f.rawBytes !== expected)
      fail(`manifest.json: ${split}.${kind}.rawBytes is ${show(f.rawBytes)}; ${s.count} ${kind} need ${expected}`);
    if (typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256))
      fail(`manifest.json: ${split}.${kind}.sha256 is not a SHA-256 digest`);
  }
}

// baseUrl: the folder of manifest.json (absolute, or relative to the page; in Node, a
// folder relative to the working directory or a file: URL). onProgress(f) gets the
// fraction of compressed bytes downloaded, from 0 to 1.
export async function loadMnist({ baseUrl, onProgress, fetch: customFetch } = {}) {
  const where = folder(baseUrl, customFetch);
  const manifest = await fetchManifest(where, 'MNIST');
  checkManifest(manifest);
  const totalBytes = PARTS.reduce((sum, [split, kind]) => sum + manifest[split][kind].bytes, 0);
  let received = 0;
  onProgress?.(0);
  const result = {
    name: manifest.name,
    description: manifest.description,
    classes: manifest.classes,
    train: {},
    test: {},
  };
  for (const [split, kind] of PARTS) {
    result[split][kind] = await fetchPacked(where, manifest[split][kind], 'MNIST', (n) => {
      received += n;
      onProgress?.(Math.min(1, received / totalBytes));
    });
    result[split].count = manifest[split].count;
  }
  for (const split of ['train', 'test'])
    if (result[split].labels.some((label) => label > 9)) fail(`${split} labels hold a value outside 0..9`);
  onProgress?.(1);
  return result;
}
