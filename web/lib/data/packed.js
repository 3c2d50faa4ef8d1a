// Files packed by scripts/build_data.mjs and build_text.mjs: a manifest.json beside gzip
// files, each with its compressed and raw size and the SHA-256 digest of its raw bytes.
// Fetches them with progress, decompresses them with the platform's DecompressionStream
// and checks every size and digest. Works in browsers and in Node (both have fetch,
// DecompressionStream and crypto.subtle). A missing, truncated or corrupt file rejects
// with a DataError whose message names the set, the file and the problem.
import { show } from '../show.js';

export class DataError extends Error {}

export function fail(set, message) {
  throw new DataError(`${set}: ${message}`);
}

export async function fetchChecked(fetchFn, url, what, set) {
  let response;
  try {
    response = await fetchFn(url);
  } catch (error) {
    fail(set, `could not download ${what} (${error.message})`);
  }
  if (!response.ok)
    fail(
      set,
      `could not download ${what}: the server answered ${response.status}${response.status === 404 ? ' (missing)' : ''}`,
    );
  return response;
}

// Reads a response body while counting bytes; stops at `limit` bytes.
async function readAll(response, limit, what, onBytes, set) {
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      fail(set, set, `${what} is larger than the manifest says (${limit} bytes)`);
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

async function gunzip(bytes, expectedBytes, what, set) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const out = new Uint8Array(expectedBytes);
  let offset = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (offset + value.length > expectedBytes)
        fail(set, set, set, `${what} holds more than the ${expectedBytes} bytes the manifest says`);
      out.set(value, offset);
      offset += value.length;
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    fail(set, `${what} is corrupt: it does not decompress (${error.message})`);
  }
  if (offset !== expectedBytes)
    fail(set, `${what} is truncated: it holds ${offset} bytes; the manifest says ${expectedBytes}`);
  return out;
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Node's fetch does not read file: URLs; this does (the module is loaded only there).
export async function fetchFile(url) {
  const fs = await import(/* @vite-ignore */ `node:${'fs/promises'}`);
  try {
    return new Response(await fs.readFile(new URL(url)));
  } catch (error) {
    return new Response(null, { status: error.code === 'ENOENT' ? 404 : 500 });
  }
}

// {base, fetchFn} for a folder: absolute, or relative to the page; in Node, a folder
// relative to the working directory or a file: URL.
export function folder(baseUrl, customFetch) {
  const nodeCwd = globalThis.process?.cwd && `file://${globalThis.process.cwd()}/`;
  const base = new URL(baseUrl, globalThis.document?.baseURI ?? globalThis.location?.href ?? nodeCwd);
  return { base, fetchFn: customFetch ?? (base.protocol === 'file:' ? fetchFile : globalThis.fetch) };
}

// The folder's manifest.json, parsed.
export async function fetchManifest({ base, fetchFn }, set) {
  const response = await fetchChecked(fetchFn, new URL('manifest.json', base), 'manifest.json', set);
  try {
    return JSON.parse(await response.text());
  } catch (error) {
    fail(set, `manifest.json is not valid JSON (${error.message})`);
  }
}

// The raw bytes of `file` ({path, bytes, rawBytes, sha256} from a manifest), checked;
// onBytes(n) is called as compressed bytes arrive.
export async function fetchPacked({ base, fetchFn }, file, set, onBytes = () => {}) {
  const response = await fetchChecked(fetchFn, new URL(file.path, base), show(file.path), set);
  // A server may decompress on the way (Content-Encoding: gzip); then the raw bytes arrive.
  const body = await readAll(response, Math.max(file.bytes, file.rawBytes), show(file.path), onBytes, set);
  let raw;
  if (body.length === file.bytes) raw = await gunzip(body, file.rawBytes, show(file.path), set);
  else if (body.length === file.rawBytes) raw = body;
  else fail(set, `${show(file.path)} is truncated: ${body.length} of ${file.bytes} bytes arrived`);
  if ((await sha256Hex(raw)) !== file.sha256)
    fail(set, `${show(file.path)} is corrupt: its SHA-256 digest does not match the manifest`);
  return raw;
}
