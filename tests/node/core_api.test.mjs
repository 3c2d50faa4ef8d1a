// TensorFlow.js' core API on the engine, against TensorFlow.js itself (its cpu backend,
// run in the same test): gradients of a table of functions, variables with
// optimizer.minimize in the guide's programs, and errors and memory. (The ops themselves:
// core_ops.test.mjs.)
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

import { assertSame, loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
await tf.setBackend('cpu');

const X = [
  [
    [-1.5, 0.25, 2, -0.75, 1, 3],
    [2, 3],
  ],
];

// Functions of one or two tensors: their gradients by dl.grads and by tf.grads.
const FUNCTIONS = [
  ['x*x + x', (lib) => (x) => x.mul(x).add(x).sum()],
  ['a cast passes the gradient on', (lib) => (x) => x.mul(2).cast('int32').cast('float32').sum()],
  [
    'softmax cross-entropy',
    (lib) => (x) =>
      lib
        .logSoftmax(x)
        .mul(
          lib.tensor([
            [0, 1, 0],
            [1, 0, 0],
          ]),
        )
        .sum()
        .neg(),
  ],
  ['matMul and relu', (lib) => (x, w) => x.matMul(w).relu().square().mean()],
  [
    'broadcast row',
    (lib) => (x, w) =>
      x
        .sub(w.slice([0, 0], [1, 2]).reshape([2, 1]))
        .tanh()
        .sum(),
  ],
  ['max, where and gather', (lib) => (x) => x.max(1).add(x.gather(lib.tensor([2, 0], [2], 'int32'), 1).sum())],
  [
    'sigmoid, log and pow',
    (lib) => (x) =>
      x
        .sigmoid()
        .log()
        .add(x.square().add(1).pow(lib.scalar(1.5)))
        .sum(),
  ],
  [
    'transpose, concat and mean',
    (lib) => (x) =>
      lib
        .concat([x, x.transpose().reshape([2, 3])], 0)
        .mean(0)
        .exp()
        .sum(),
  ],
];

test('gradients of any computation are TensorFlow.js’ gradients of the same functions', () => {
  const inputs = (lib) => [lib.tensor(X[0][0], X[0][1]), lib.tensor([0.5, -1, 2, 0.25, 1.5, -0.5], [3, 2])];
  for (const [name, f] of FUNCTIONS) {
    const arity = f(dl).length;
    const ours = dl.grads(f(dl))(inputs(dl).slice(0, arity));
    const theirs = tf.grads(f(tf))(inputs(tf).slice(0, arity));
    ours.forEach((g, i) => assertSame(g, theirs[i], `${name}: gradient ${i}`));
  }
  const x = dl.tensor(X[0][0], X[0][1]);
  const { value, grad } = dl.valueAndGrad((t) => t.square().sum())(x);
  assert.equal(value.arraySync(), 16.875);
  assert.deepEqual(Array.from(grad.dataSync()), [-3, 0.5, 4, -1.5, 2, 6]);
  // dy weighs the result's values.
  const weighed = dl.grad((t) => t.square())(x, dl.tensor([1, 0, 0, 0, 0, 2], [2, 3]));
  assert.deepEqual(
    Array.from(weighed.dataSync(), (v) => v + 0),
    [-3, 0, 0, 0, 0, 12],
  );
});

// The TensorFlow.js guide's curve fit, as written there: y = a x^2 + b x + c by sgd.
function fitCurve(lib, steps) {
  const [a, b, c] = [0.3, -0.2, 0.9].map((v) => lib.variable(lib.scalar(v)));
  const f = (x) => a.mul(x.square()).add(b.mul(x)).add(c);
  const loss = (pred, label) => pred.sub(label).square().mean();
  const optimizer = lib.train.sgd(0.05);
  const xs = lib.tensor1d([-1, -0.5, 0, 0.5, 1]);
  const ys = lib.tensor1d([3.1, 1.4, 0.8, 1.1, 2.6]);
  const losses = [];
  for (let i = 0; i < steps; i++) losses.push(optimizer.minimize(() => loss(f(xs), ys), true).dataSync()[0]);
  return { losses, coefficients: [a, b, c].map((v) => v.dataSync()[0]) };
}

test('the guide’s curve fit with minimize and a two-layer MLP with variables follow TensorFlow.js step by step', () => {
  const ours = fitCurve(dl, 200);
  const theirs = fitCurve(tf, 200);
  ours.losses.forEach((l, i) =>
    assert.ok(Math.abs(l - theirs.losses[i]) < 1e-4, `step ${i}: ${l} vs ${theirs.losses[i]}`),
  );
  ours.coefficients.forEach((v, i) => assert.ok(Math.abs(v - theirs.coefficients[i]) < 1e-4, `coefficient ${i}`));
  assert.ok(ours.losses.at(-1) < ours.losses[0] / 10, `the loss fell: ${ours.losses[0]} -> ${ours.losses.at(-1)}`);

  // XOR by a 2-8-1 network of variables, adam, sigmoid cross-entropy written out.
  const mlp = (lib, prefix) => {
    const w1 = lib.variable(
      lib.tensor(
        [...Array(16)].map((_, i) => Math.sin(i + 1)),
        [2, 8],
      ),
      true,
      `${prefix}w1`,
    );
    const b1 = lib.variable(lib.zeros([8]), true, `${prefix}b1`);
    const w2 = lib.variable(
      lib.tensor(
        [...Array(8)].map((_, i) => Math.cos(i * 3)),
        [8, 1],
      ),
      true,
      `${prefix}w2`,
    );
    const b2 = lib.variable(lib.zeros([1]), true, `${prefix}b2`);
    const x = lib.tensor([0, 0, 0, 1, 1, 0, 1, 1], [4, 2]);
    const y = lib.tensor([0, 1, 1, 0], [4, 1]);
    const optimizer = lib.train.adam(0.05);
    const losses = [];
    for (let i = 0; i < 150; i++) {
      const cost = optimizer.minimize(
        () => {
          const logits = x.matMul(w1).add(b1).tanh().matMul(w2).add(b2);
          const p = logits.sigmoid();
          return y
            .mul(p.add(1e-7).log())
            .add(
              lib
                .scalar(1)
                .sub(y)
                .mul(
                  lib
                    .scalar(1 + 1e-7)
                    .sub(p)
                    .log(),
                ),
            )
            .mean()
            .neg();
        },
        true,
        [w1, b1, w2, b2],
      );
      losses.push(cost.dataSync()[0]);
      cost.dispose();
    }
    return losses;
  };
  const a = mlp(dl, 'ours');
  const b = mlp(tf, 'theirs');
  a.forEach((l, i) => assert.ok(Math.abs(l - b[i]) < 2e-3, `MLP step ${i}: ${l} vs TensorFlow.js ${b[i]}`));
  assert.ok(a.at(-1) < 0.1, `XOR learnt: loss ${a.at(-1)}`);
});

test('bad input to ops and gradients is refused naming the op, the shapes and what was expected', () => {
  const x = dl.tensor([1, 2, 3]);
  assert.throws(
    () => x.add(dl.tensor([1, 2])),
    /add: shapes \[3\] and \[2\] cannot be broadcast together; each dimension must match or be 1/,
  );
  assert.throws(
    () => dl.matMul(dl.zeros([2, 3]), dl.zeros([2, 3])),
    /matMul: the inner sizes differ: a \[2,3\] has 3 columns, b \[2,3\] has 2 rows/,
  );
  assert.throws(() => x.sum(2), /sum: axis 2 is outside a tensor of rank 1; expected -1 to 0/);
  assert.throws(() => x.reshape([2, 2]), /reshape: a tensor of shape \[3\] \(3 values\) cannot become \[2,2\]/);
  assert.throws(
    () => dl.grad((t) => dl.tensor([1, 2, 3]).sum())(x),
    /grad: f's result does not depend on input 0, so it has no gradient there/,
  );
  assert.throws(
    () => dl.grad((t) => t.sum())(dl.tensor([1, 2], [2], 'int32')),
    /grad: input 0 is int32; gradients are taken with respect to float32 tensors/,
  );
  assert.throws(() => dl.grad((t) => [t])(x), /grad: f must return a Tensor; got Array/);
  const v = dl.variable(dl.tensor([1, 2]), true, 'bad-input-v');
  assert.throws(
    () => v.assign(dl.tensor([1, 2, 3])),
    /assign: the new value has shape \[3\]; variable "bad-input-v" has shape \[2\]/,
  );
  assert.throws(
    () => dl.variable(dl.tensor([1]), true, 'bad-input-v'),
    /there is a variable named "bad-input-v" already/,
  );
  assert.throws(
    () => dl.train.sgd(0.1).minimize(() => x.sum(), false, [v]),
    /variableGrads: f's result depends on none of the variables \["bad-input-v"\]/,
  );
  assert.throws(
    () => dl.train.sgd(0.1).minimize(() => v.mul(2), false, [v]),
    /variableGrads: f must return a scalar \(the loss\); got shape \[2\]/,
  );
  assert.throws(
    () => dl.train.sgd(0.1).applyGradients({ nosuch: x }),
    /applyGradients: there is no variable named "nosuch"/,
  );
  assert.throws(() => dl.scalar(3).sum(0), /sum: a scalar has no axis 0; expected a tensor of rank 1 or more/);
  assert.throws(() => dl.concat([dl.scalar(1), dl.scalar(2)]), /concat: a scalar has no axis 0/);
  assert.throws(() => dl.scalar(1).argMax(), /argMax: a scalar has no axis 0/);
  // The function's result is the caller's tensor: it is not freed.
  const same = dl.grad((t) => t)(x);
  assert.equal(x.disposed, false);
  assert.deepEqual(Array.from(same.dataSync()), [1, 1, 1]);
  // NaN passes through ops as in TensorFlow.js; isNaN finds it.
  assert.deepEqual(Array.from(dl.tensor([NaN, 1]).log().isNaN().dataSync()), [1, 0]);
  v.dispose();
  // The tape is stopped after a failure: a later gradient works.
  assert.deepEqual(
    Array.from(
      dl
        .grad((t) => t.square().sum())(x)
        .dataSync(),
    ),
    [2, 4, 6],
  );
});

test('variables, assign, tidy, keep and memory as TensorFlow.js defines them; the heap flat over 10,000 minimize steps', async () => {
  const v = dl.variable(dl.tensor([1, 2]), true, 'memory-v');
  v.assign(dl.tensor([5, 6]));
  assert.deepEqual(Array.from(v.dataSync()), [5, 6]);
  let inner;
  const kept = dl.tidy(() => {
    inner = dl.keep(v.mul(2));
    return v.add(1);
  });
  assert.equal(inner.disposed, false, 'keep: tidy leaves it');
  assert.equal(v.disposed, false, 'a variable outlives tidy');
  dl.dispose([inner, kept]);

  const w = dl.variable(dl.zeros([64, 8]), true, 'memory-w');
  const x = dl.tensor(
    [...Array(32 * 64)].map((_, i) => Math.sin(i)),
    [32, 64],
  );
  const y = dl.tensor(
    [...Array(32 * 8)].map((_, i) => Math.cos(i)),
    [32, 8],
  );
  const optimizer = dl.train.adam(0.01);
  const step = () => optimizer.minimize(() => x.matMul(w).sub(y).square().mean(), false, [w]);
  for (let i = 0; i < 200; i++) step();
  const before = dl.memory().numTensors;
  const heap = (await dl.engineMemory()).heapInUse;
  for (let i = 0; i < 10000; i++) step();
  assert.equal(dl.memory().numTensors, before, 'no tensor left behind');
  const after = (await dl.engineMemory()).heapInUse;
  assert.ok(after <= heap + 4096, `the engine's heap stayed flat: ${heap} -> ${after} bytes`);
  optimizer.dispose();
  dl.dispose([v, w, x, y]);
});

test('customGrad: the gradient is gradFunc’s, through other ops and a second custom op, as in TensorFlow.js', () => {
  // TensorFlow.js' own example: y = x^2 whose gradient is said to be dy * |x|.
  const custom = (lib) =>
    lib.customGrad((x, save) => {
      save([x]);
      return { value: x.square(), gradFunc: (dy, saved) => [dy.mul(saved[0].abs())] };
    });
  // A clipped identity that saves a tensor it made, of two inputs.
  const gate = (lib) =>
    lib.customGrad((a, b, save) => {
      const open = a.greater(b).cast('float32');
      save([open]);
      return { value: a.mul(b), gradFunc: (dy, [o]) => [dy.mul(o), dy.mul(o).mul(-1)] };
    });
  const programs = [
    ['the example', (lib) => (x) => custom(lib)(x)],
    ['after and before other ops', (lib) => (x) => custom(lib)(x.mul(2)).add(x.square()).sin().sum()],
    ['two custom ops', (lib) => (x) => gate(lib)(custom(lib)(x), x.add(1)).add(custom(lib)(x).mul(3)).sum()],
  ];
  const input = (lib) => lib.tensor([-1, -2, 3, 0.5]);
  for (const [name, program] of programs)
    assertSame(dl.grad(program(dl))(input(dl)), tf.grad(program(tf))(input(tf)), name);
  const before = dl.memory().numTensors;
  dl.tidy(() => {
    dl.grad(programs[2][1](dl))(input(dl));
  });
  assert.equal(dl.memory().numTensors, before, 'nothing left behind, saved tensors included');
  // Outside a gradient, a custom op is its value.
  assert.deepEqual(Array.from(custom(dl)(dl.tensor([3])).dataSync()), [9]);
  assert.throws(
    () => dl.grad((x) => dl.customGrad(() => ({ value: x, gradFunc: () => [] }))(x))(dl.tensor([1])),
    /customGrad: gradFunc must return one Tensor per input \(1\); got \[\]/,
  );
});
