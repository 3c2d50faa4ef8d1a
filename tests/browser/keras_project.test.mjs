// "Download as a Keras project" from the page: the zip arrives, its data.npz holds the
// images and labels the page trained and tested on (read by NumPy), its script parses.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { strFromU8, unzipSync } from 'fflate';

import { harnessForFile, openPlayground } from './harness.mjs';

const harness = harnessForFile();

test('the Keras project downloads from the code view with the exact MNIST rows the page uses', async () => {
  const { page, problems } = await openPlayground(harness, '?preset=mlp&only=3,5&per=100', {
    width: 1440,
    height: 900,
  });
  const page0 = await page.evaluate(() => {
    const d = window.playground.app.data;
    return {
      train: d.trainCount,
      test: d.testCount,
      firstImage: Array.from(d.trainImages.subarray(0, 784)),
      labels: Array.from(d.trainLabels.subarray(0, 10)),
    };
  });
  assert.equal(page0.train, 200);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.btn-keras-project')]);
  assert.equal(download.suggestedFilename(), 'playground-keras.zip');
  const zip = unzipSync(readFileSync(await download.path()));
  assert.deepEqual(Object.keys(zip).sort(), [
    'README.txt',
    'data.npz',
    'model/model.json',
    'model/weights.bin',
    'train.py',
  ]);
  const script = strFromU8(zip['train.py']);
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: script });
  assert.match(script, /x_train = x_train\.astype\('float32'\) \/ 255/);
  assert.match(script, /y_train = keras\.utils\.to_categorical\(y_train, 10\)/);
  const dir = mkdtempSync(join(tmpdir(), 'dlp-page-project-'));
  writeFileSync(join(dir, 'data.npz'), zip['data.npz']);
  const seen = JSON.parse(
    execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        "import json, numpy as np; d = np.load('data.npz'); print(json.dumps({'x': list(d['x_train'].shape), 'dtype': str(d['x_train'].dtype), 'test': int(d['x_test'].shape[0]), 'classes': sorted(set(d['y_train'].tolist()) | set(d['y_test'].tolist())), 'first': d['x_train'][0].ravel().tolist(), 'labels': d['y_train'][:10].tolist()}))",
      ],
      { cwd: dir, encoding: 'utf8' },
    ),
  );
  assert.deepEqual(seen.x, [200, 28, 28, 1]);
  assert.equal(seen.dtype, 'uint8');
  assert.equal(seen.test, page0.test);
  assert.deepEqual(seen.classes, [3, 5]);
  assert.deepEqual(seen.first, page0.firstImage);
  assert.deepEqual(seen.labels, page0.labels);
  assert.match(await page.textContent('.panel-code'), /Downloaded playground-keras\.zip: train\.py, data\.npz/);
  assert.deepEqual(problems, []);
  await page.close();
});
