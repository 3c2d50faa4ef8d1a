// The engine's op table (engine/ops) and its tape as the real WebAssembly module exposes
// them (runOp, startTape, gradients): a gradient through the bindings, errors as
// JavaScript Errors with the engine's message, and the engine's heap flat after thousands
// of recorded ops. (The JavaScript API does not use them yet.)
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadEngineModule } from '../../web/lib/engine_loader.js';

test('the op table and its tape through the module: gradients, errors as Errors, and a flat heap', async () => {
  const engine = await loadEngineModule();
  const tensor = (shape, values) => {
    const t = new engine.Tensor(shape);
    t.write(Float32Array.from(values), 0);
    return t;
  };
  const x = tensor([3], [-1.5, 0.25, 2]);
  engine.startTape(1);
  const square = engine.runOp('mul', [x, x], '', [1]);
  const y = engine.runOp('add', [square, x], '', [1]);
  // An op made for no open tape is not recorded.
  engine.runOp('exp', [x], '', []).delete();
  const total = engine.runOp('sum', [y], '{"axes": [], "keepDims": false}', [1]);
  assert.equal(engine.tapeSize(), 3);
  const [dx] = engine.gradients(total, [x], null, 1);
  assert.deepEqual(Array.from(dx.read()), [-2, 1.5, 5], 'd(x*x + x)/dx = 2x + 1');
  engine.stopTape(1);
  assert.equal(engine.tapeSize(), 0);
  assert.throws(
    () => engine.runOp('matMul', [x, x], '', []),
    /^Error: matMul: expected a and b of rank 2 or more; got shapes \[3\] and \[3\]$/,
  );
  assert.throws(() => engine.runOp('sum', [x], '{"axis": 1}', []), /unknown op setting "axis"; expected one of axes,/);
  assert.throws(
    () => engine.runOp('softmaxx', [x], '', []),
    /unknown tensor operation "softmaxx"; expected one of neg/,
  );
  assert.throws(
    () => engine.runOp('oneHot', [x], '{"depth": 3}', []),
    /oneHot: label -1.5 at index 0 is outside the classes; expected a whole number from 0 to 2/,
  );
  for (const t of [square, y, total, dx]) t.delete();
  // Thousands of ops, recorded and not, leave nothing behind once their tensors are freed.
  let before = 0;
  for (let i = 0; i < 2050; i++) {
    // The first products allocate the matrix kernel's packing buffers, kept for later ones.
    if (i === 50) before = engine.heapInUse();
    engine.startTape(2);
    const a = engine.runOp('exp', [x], '', [2]);
    const column = engine.runOp('reshape', [a], '{"shape": [3, 1]}', [2]);
    const row = engine.runOp('reshape', [a], '{"shape": [1, 3]}', [2]);
    const b = engine.runOp('matMul', [column, row], '', [2]);
    const [g] = engine.gradients(b, [x], null, 2);
    engine.stopTape(2);
    for (const t of [a, column, row, b, g]) t.delete();
  }
  assert.ok(engine.heapInUse() - before < 4096, `the heap grew by ${engine.heapInUse() - before} bytes`);
  x.delete();
});
