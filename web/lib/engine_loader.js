// Loads the WebAssembly engine. In Node: the CommonJS build, with the .wasm bytes read
// from disk (Emscripten 3.1.6 would fetch() them, which Node cannot do for a path). In a
// page or module worker: the ES module build from `engineUrl` (a folder URL).

export const inNode = typeof process !== 'undefined' && Boolean(process.versions?.node);

export function defaultEngineUrl() {
  const base = globalThis.document?.baseURI ?? globalThis.location?.href;
  return new URL('engine/', base).href;
}

export async function loadEngineModule({ engineUrl, engineDir } = {}) {
  if (inNode) {
    // Specifiers built at run time, so that bundlers leave Node's modules alone.
    const { createRequire } = await import(/* @vite-ignore */ ['node', 'module'].join(':'));
    const { readFileSync } = await import(/* @vite-ignore */ ['node', 'fs'].join(':'));
    const { fileURLToPath } = await import(/* @vite-ignore */ ['node', 'url'].join(':'));
    const dir = engineDir ?? fileURLToPath(new URL('../public/engine/', import.meta.url));
    const createEngine = createRequire(import.meta.url)(`${dir}/dl_engine.js`);
    return createEngine({ wasmBinary: readFileSync(`${dir}/dl_engine.wasm`) });
  }
  const url = new URL('dl_engine_es.mjs', engineUrl ?? defaultEngineUrl()).href;
  const { default: createEngine } = await import(/* @vite-ignore */ url);
  return createEngine({ locateFile: (file) => new URL(file, url).href });
}
