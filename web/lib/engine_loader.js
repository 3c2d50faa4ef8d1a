// Loads the WebAssembly engine. In Node: the CommonJS build, with the .wasm bytes read
// from disk (Emscripten 3.1.6 would fetch() them, which Node cannot do for a path). In a
// page or module worker: the ES module build from `engineUrl` (a folder URL).

export const inNode = typeof process !== 'undefined' && Boolean(process.versions?.node);

// The smallest module that uses a SIMD instruction: (func (result v128) (v128.const 0)).
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 11,
]);

// The smallest module that uses an exception-handling instruction: (func try end).
const EXCEPTIONS_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 7, 1, 5, 0, 6, 64, 11, 11,
]);

// Whether this WebAssembly runtime has fixed-width SIMD, and the exception handling the
// SIMD build is compiled with (every browser with SIMD but a few 2021 versions has it).
export function simdSupported() {
  try {
    return WebAssembly.validate(SIMD_PROBE) && WebAssembly.validate(EXCEPTIONS_PROBE);
  } catch {
    return false;
  }
}

// The engine keeps a failed call's message instead of throwing across its own frames (see
// bindings/errors.h); every constructor and method of its classes, and its free
// functions that can fail (classReport, runOp, gradients, randomTensor, applyModel), is followed here
// by a look at it, which becomes an Error with the engine's message (and, for a model whose layer cannot be built,
// layerIndex, option and the layers built before it). A refused constructor's handle is
// deleted before the Error is thrown. For a module loaded some other way (a classic
// script tag), call it on the module once.
export function throwEngineErrors(engine) {
  const check = () => {
    if (!engine.hasError()) return;
    const error = new Error(engine.takeError());
    const place = engine.takeErrorPlace();
    if (place) Object.assign(error, place);
    throw error;
  };
  for (const name of ['Tensor', 'Model', 'FitSession', 'VariableOptimizer']) {
    const Class = engine[name];
    if (!Class) continue;
    for (const key of Object.getOwnPropertyNames(Class.prototype)) {
      const method = Class.prototype[key];
      if (key === 'constructor' || typeof method !== 'function') continue;
      Class.prototype[key] = function (...args) {
        const result = method.apply(this, args);
        check();
        return result;
      };
    }
    function Checked(...args) {
      const handle = new Class(...args);
      try {
        check();
      } catch (error) {
        handle.delete();
        throw error;
      }
      return handle;
    }
    Checked.prototype = Class.prototype;
    engine[name] = Checked;
  }
  // The free functions that can fail: classReport, and the op table's calls (a lite
  // engine has no op table).
  for (const name of ['classReport', 'runOp', 'gradients', 'randomTensor', 'initialTensor', 'applyModel']) {
    const call = engine[name];
    if (typeof call !== 'function') continue;
    engine[name] = (...args) => {
      const result = call(...args);
      check();
      return result;
    };
  }
  return engine;
}

export function defaultEngineUrl() {
  const base = globalThis.document?.baseURI ?? globalThis.location?.href;
  return new URL('engine/', base).href;
}

// simd: true, false, or undefined to detect. The module says which it is in its `simd`
// constant ("wasm-simd128" or "scalar"). lite: in a browser with SIMD, the smaller module
// without the sequence layers (a tutorial's first widget; its catalog lacks them).
// In Node, the engine loaded at once, without a promise, as TensorFlow.js' backends are
// there when a program starts: the .wasm compiled and instantiated synchronously (Node
// allows it at any size). null where that cannot be (a browser; a Node without
// process.getBuiltinModule, before 20.16).
export function loadEngineModuleNow({ engineDir, simd } = {}) {
  if (!inNode || typeof process.getBuiltinModule !== 'function') return null;
  const { createRequire } = process.getBuiltinModule('module');
  const { readFileSync } = process.getBuiltinModule('fs');
  const { fileURLToPath } = process.getBuiltinModule('url');
  const suffix = (simd ?? simdSupported()) ? '' : '_nosimd';
  const dir = engineDir ?? fileURLToPath(new URL('../public/engine/', import.meta.url));
  const bytes = readFileSync(`${dir}/dl_engine${suffix}.wasm`);
  const engine = {
    wasmBinary: bytes,
    instantiateWasm(imports, receive) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
      receive(instance);
      return instance.exports;
    },
  };
  // Emscripten fills the object it is given; with the instance made at once, it has run.
  createRequire(import.meta.url)(`${dir}/dl_engine${suffix}.js`)(engine).catch(() => {});
  return engine.calledRun ? throwEngineErrors(engine) : null;
}

export async function loadEngineModule({ engineUrl, engineDir, simd, lite = false } = {}) {
  const withSimd = simd ?? simdSupported();
  const suffix = withSimd ? '' : '_nosimd';
  if (inNode) {
    // Specifiers built at run time, so that bundlers leave Node's modules alone.
    const { createRequire } = await import(/* @vite-ignore */ ['node', 'module'].join(':'));
    const { readFileSync } = await import(/* @vite-ignore */ ['node', 'fs'].join(':'));
    const { fileURLToPath } = await import(/* @vite-ignore */ ['node', 'url'].join(':'));
    const dir = engineDir ?? fileURLToPath(new URL('../public/engine/', import.meta.url));
    const createEngine = createRequire(import.meta.url)(`${dir}/dl_engine${suffix}.js`);
    return throwEngineErrors(await createEngine({ wasmBinary: readFileSync(`${dir}/dl_engine${suffix}.wasm`) }));
  }
  const url = new URL(`dl_engine_es${withSimd && lite ? '_lite' : suffix}.mjs`, engineUrl ?? defaultEngineUrl()).href;
  const { default: createEngine } = await import(/* @vite-ignore */ url);
  return throwEngineErrors(await createEngine({ locateFile: (file) => new URL(file, url).href }));
}
