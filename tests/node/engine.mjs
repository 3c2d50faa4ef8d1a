// Loads the real WebAssembly build for Node tests. Emscripten 3.1.6's loader would
// fetch() the .wasm under Node 20, so the bytes are handed to it directly.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

export const enginePath = `${root}web/public/engine/`;
export const projectRoot = root;

export async function loadEngine() {
  const createEngine = require(`${enginePath}dl_engine.js`);
  return createEngine({ wasmBinary: readFileSync(`${enginePath}dl_engine.wasm`) });
}
