// Loads the MNIST assets made by scripts/build_data.mjs: fetches the manifest and the four
// gzip files with progress, decompresses them with the platform's DecompressionStream,
// and checks every size and SHA-256 digest against the manifest. Works in browsers and
// in Node (both have fetch, DecompressionStream and crypto.subtle).
//
//   const mnist = await loadMnist({ baseUrl: 'data/mnist-subset/', onProgress: (f) => bar.value = f });
//   mnist.train.images  // Uint8Array, count * 784 pixels; mnist.train.labels: Uint8Array
//
// A missing, truncated or corrupt file, or a manifest that does not add up, rejects with
// a DataError whose message names the file and the problem.
import { show } from '../show.js';

const PARTS = [
  ['train', 'images'],
  ['train', 'labels'],
  ['test', 'images'],
  ['test', 'labels'],
];
const MAX_FILE_BYTES = 64 << 20;

export class DataError extends Error {}

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

async function fetchChecked(fetchFn, url, what) {
  let response;
  try {
    response = await fetchFn(url);
  } catch (error) {
    fail(`could not download ${what} (${error.message})`);
  }
  if (!response.ok)
    fail(
      `could not download ${what}: the server answered ${response.status}${response.status === 404 ? ' (missing)' : ''}`,
    );
  return response;
}

// Reads a response body while counting bytes; stops at `limit` bytes.
async function readAll(response, limit, what, onBytes) {
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      fail(`${what} is larger than the manifest says (${limit} bytes)`);
    }
    chunks.push(value);
    onBytes(value.length);
  }
  return joinChunks(chunks, total);
}

function joinChunks(chunks, total) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

async function gunzip(bytes, expectedBytes, what) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const out = new Uint8Array(expectedBytes);
  let offset = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (offset + value.length > expectedBytes)
        fail(`${what} holds more than the ${expectedBytes} bytes the manifest says`);
      out.set(value, offset);
      offset += value.length;
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    fail(`${what} is corrupt: it does not decompress (${error.message})`);
  }
  if (offset !== expectedBytes)
    fail(`${what} is truncated: it holds ${offset} bytes; the manifest says ${expectedBytes}`);
  return out;
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Node's fetch does not read file: URLs; this does (the module is loaded only there).
async function fetchFile(url) {
  const fs = await import(/* @vite-ignore */ `node:${'fs/promises'}`);
  try {
    return new Response(await fs.readFile(new URL(url)));
  } catch (error) {
    return new Response(null, { status: error.code === 'ENOENT' ? 404 : 500 });
  }
}

// baseUrl: the folder of manifest.json (absolute, or relative to the page; in Node, a
// folder relative to the working directory or a file: URL). onProgress(f) gets the
// fraction of compressed bytes downloaded, from 0 to 1.
export async function loadMnist({ baseUrl, onProgress, fetch: customFetch } = {}) {
  const nodeCwd = globalThis.process?.cwd && `file://${globalThis.process.cwd()}/`;
  const base = new URL(baseUrl, globalThis.document?.baseURI ?? globalThis.location?.href ?? nodeCwd);
  const fetchFn = customFetch ?? (base.protocol === 'file:' ? fetchFile : globalThis.fetch);
  const manifestResponse = await fetchChecked(fetchFn, new URL('manifest.json', base), 'manifest.json');
  let manifest;
  try {
    manifest = JSON.parse(await manifestResponse.text());
  } catch (error) {
    fail(`manifest.json is not valid JSON (${error.message})`);
  }
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
    const file = manifest[split][kind];
    const response = await fetchChecked(fetchFn, new URL(file.path, base), show(file.path));
    // A server may decompress on the way (Content-Encoding: gzip); then the raw bytes arrive.
    const body = await readAll(response, Math.max(file.bytes, file.rawBytes), show(file.path), (n) => {
      received += n;
      onProgress?.(Math.min(1, received / totalBytes));
    });
    let raw;
    if (body.length === file.bytes) raw = await gunzip(body, file.rawBytes, show(file.path));
    else if (body.length === file.rawBytes) raw = body;
    else fail(`${show(file.path)} is truncated: ${body.length} of ${file.bytes} bytes arrived`);
    if ((await sha256Hex(raw)) !== file.sha256)
      fail(`${show(file.path)} is corrupt: its SHA-256 digest does not match the manifest`);
    result[split][kind] = raw;
    result[split].count = manifest[split].count;
  }
  for (const split of ['train', 'test'])
    if (result[split].labels.some((label) => label > 9)) fail(`${split} labels hold a value outside 0..9`);
  onProgress?.(1);
  return result;
}
