// Loads the bench-only WebAssembly module (build/wasm/dl_bench*.js, from
// bindings/bench_bindings.cpp): the GEMM's timing and its check against the reference,
// on the same engine library as the module users download, which does not carry them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { simdSupported } from '../web/lib/engine_loader.js';

const dir = fileURLToPath(new URL('../build/wasm/', import.meta.url));

export async function loadBenchModule({ simd } = {}) {
  const name = `dl_bench${(simd ?? simdSupported()) ? '' : '_nosimd'}`;
  const createBench = createRequire(import.meta.url)(`${dir}${name}.js`);
  return createBench({ wasmBinary: readFileSync(`${dir}${name}.wasm`) });
}
