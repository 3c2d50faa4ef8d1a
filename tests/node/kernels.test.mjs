// The matrix product of the real WebAssembly builds against its reference, the same check
// the native tests run: the SIMD build packs panels with WebAssembly shuffles that the
// native build (SSE) never executes. The check lives in the bench-only module (the same
// engine library, linked with tools/gemm_benchmark.cpp); the engine users download has
// no benchmark code (also checked here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadBenchModule } from '../../scripts/bench_module.mjs';
import { loadEngineModule } from '../../web/lib/engine_loader.js';
import { projectRoot } from './engine.mjs';

// m, n, k: not multiples of the 4 x 8 tile; k = 770 and 800 take several blocks of K.
const SHAPES = [
  [1, 1, 1],
  [3, 7, 17],
  [17, 67, 7],
  [67, 17, 300],
  [5, 9, 257],
  [130, 9, 3],
  [33, 40, 513],
  [12, 24, 770],
  [200, 72, 800],
];

for (const simd of [true, false])
  test(`sgemm ${simd ? 'with' : 'without'} SIMD equals the reference for every transpose, within 1e-4 sqrt(k)`, async () => {
    const engine = await loadBenchModule({ simd });
    const bad = [];
    for (const [m, n, k] of SHAPES)
      for (const ta of [false, true])
        for (const tb of [false, true])
          for (const accumulate of [false, true]) {
            const error = engine.sgemmScaledError(m, n, k, ta, tb, accumulate);
            if (!(error <= 1e-4)) bad.push(`${m}x${n}x${k} transA ${ta} transB ${tb} acc ${accumulate}: ${error}`);
          }
    assert.deepEqual(bad, []);
  });

test('the engine module pages download carries no benchmark code; the bench module is built from the same engine', async () => {
  const engine = await loadEngineModule({ simd: true });
  const bench = await loadBenchModule({ simd: true });
  assert.deepEqual(
    ['measureSgemmGflops', 'measureSgemmShapeGflops', 'sgemmScaledError'].filter((name) => name in engine),
    [],
  );
  assert.equal(typeof engine.warmUpKernels, 'function');
  assert.equal(bench.simd, engine.simd);
  const wasm = readFileSync(`${projectRoot}web/public/engine/dl_engine.wasm`);
  assert.equal(wasm.includes('sgemmScaledError'), false, 'the name of a benchmark function is in dl_engine.wasm');
});
