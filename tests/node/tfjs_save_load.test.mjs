// model.save(url) and loadLayersModel(url) as TensorFlow.js programs call them in Node:
// file:// folders, and http:// against a local server that takes TensorFlow.js' POST of
// model.json and model.weights.bin and serves the files back; both ways with TensorFlow.js
// 4.22 itself, weight shards, and bad URLs, answers and files refused by name.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { loadApi } from './engine.mjs';

const dl = await loadApi();
const tf = createRequire(import.meta.url)('@tensorflow/tfjs');
const root = mkdtempSync(join(tmpdir(), 'dlp-save-'));

// A server over `root`: GET serves its files, POST /upload/<name> keeps the form's files
// in <name>/, as a TensorFlow.js user's own server would; /broken/ answers 500.
let server;
let base;
before(async () => {
  server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://localhost');
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    if (url.pathname.startsWith('/broken/')) return response.writeHead(500, 'Broken on purpose').end();
    if (request.method === 'POST' && url.pathname.startsWith('/upload/')) {
      const form = await new Request(url, {
        method: 'POST',
        headers: request.headers,
        body: Buffer.concat(chunks),
      }).formData();
      const folder = join(root, url.pathname.slice('/upload/'.length));
      mkdirSync(folder, { recursive: true });
      for (const [name, file] of form) writeFileSync(join(folder, name), Buffer.from(await file.arrayBuffer()));
      return response.writeHead(200).end('{}');
    }
    const file = join(root, url.pathname);
    if (!existsSync(file)) return response.writeHead(404, 'Not Found').end();
    response.writeHead(200).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

function ourModel() {
  const model = dl.sequential({
    seed: 3,
    layers: [
      dl.layers.dense({ units: 5, activation: 'tanh', inputShape: [3] }),
      dl.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
const X = [
  [0.1, -0.4, 0.9],
  [1.5, 0.2, -0.3],
];
const ours = async (model) => Array.from(await model.predict(dl.tensor2d(X)).data());
const theirs = (model) => Array.from(model.predict(tf.tensor2d(X)).dataSync());
const close = (a, b, what) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `${what}: ${a} vs ${b}`));

test('file://: a folder with model.json and weights.bin, loaded back by its model.json or its folder', async () => {
  const model = ourModel();
  const result = await model.save(`file://${root}/first`);
  assert.ok(result.modelArtifactsInfo.weightDataBytes > 0);
  assert.deepEqual(JSON.parse(readFileSync(join(root, 'first/model.json'), 'utf8')).weightsManifest[0].paths, [
    'weights.bin',
  ]);
  const back = await dl.loadLayersModel(`file://${root}/first/model.json`);
  close(await ours(back), await ours(model), 'by model.json');
  close(await ours(await dl.loadLayersModel(`file://${root}/first`)), await ours(model), 'by the folder');
  await assert.rejects(
    dl.loadLayersModel(`file://${root}/nowhere/model.json`),
    /loadLayersModel: model\.json ".*nowhere\/model\.json" does not exist/,
  );
  writeFileSync(join(root, 'first/bad.json'), '{"modelTopology": ');
  await assert.rejects(dl.loadLayersModel(`file://${root}/first/bad.json`), /bad\.json" is not JSON/);
});

test('http://: ours saved by POST loads in TensorFlow.js, theirs in ours, and a model in two shards', async () => {
  const model = ourModel();
  const saved = await model.save(`${base}/upload/ours`);
  assert.equal(saved.responses[0].status, 200);
  const inTf = await tf.loadLayersModel(`${base}/ours/model.json`);
  close(theirs(inTf), await ours(model), 'ours in TensorFlow.js');
  close(await ours(await dl.loadLayersModel(`${base}/ours/model.json`)), await ours(model), 'ours back');

  // TensorFlow.js' own POST of its model, loaded here.
  const tfModel = tf.sequential({
    layers: [tf.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), tf.layers.dense({ units: 2 })],
  });
  await tfModel.save(`${base}/upload/theirs`);
  const fromTf = await dl.loadLayersModel(`${base}/theirs/model.json`);
  close(await ours(fromTf), theirs(tfModel), 'theirs here');

  // The same weights split into two files: joined in the manifest's order.
  const json = JSON.parse(readFileSync(join(root, 'theirs/model.json'), 'utf8'));
  const bytes = readFileSync(join(root, 'theirs', json.weightsManifest[0].paths[0]));
  mkdirSync(join(root, 'shards'));
  writeFileSync(join(root, 'shards/group1-shard1of2.bin'), bytes.subarray(0, 20));
  writeFileSync(join(root, 'shards/group1-shard2of2.bin'), bytes.subarray(20));
  json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
  writeFileSync(join(root, 'shards/model.json'), JSON.stringify(json));
  close(await ours(await dl.loadLayersModel(`${base}/shards/model.json`)), theirs(tfModel), 'two shards');
  // The same through io.http with a prefix for the weights.
  const prefixed = await dl.loadLayersModel(
    dl.io.http(`${base}/shards/model.json`, { weightPathPrefix: `${base}/shards/` }),
  );
  close(await ours(prefixed), theirs(tfModel), 'io.http');
});

test('bad URLs and answers are refused by name', async () => {
  await assert.rejects(
    dl.loadLayersModel(`${base}/missing/model.json`),
    /model\.json at ".*missing\/model\.json" answered 404 Not Found/,
  );
  mkdirSync(join(root, 'noshard'));
  const json = JSON.parse(readFileSync(join(root, 'theirs/model.json'), 'utf8'));
  json.weightsManifest[0].paths = ['gone.bin'];
  writeFileSync(join(root, 'noshard/model.json'), JSON.stringify(json));
  await assert.rejects(
    dl.loadLayersModel(`${base}/noshard/model.json`),
    /a weight file at ".*noshard\/gone\.bin" answered 404/,
  );
  writeFileSync(join(root, 'noshard/plain.json'), JSON.stringify({ hello: 1 }));
  await assert.rejects(
    dl.loadLayersModel(`${base}/noshard/plain.json`),
    /has no modelTopology and weightsManifest; is it a layers model\?/,
  );
  await assert.rejects(ourModel().save(`${base}/broken/x`), /saving to ".*broken\/x" answered 500 Broken on purpose/);
  await assert.rejects(
    ourModel().save('ftp://somewhere'),
    /save: expected an IO handler .* or a URL starting with indexeddb:\/\/, localstorage:\/\/, downloads:\/\/, file:\/\/, http:\/\/, https:\/\/; got "ftp:\/\/somewhere"/,
  );
  await assert.rejects(
    dl.loadLayersModel('downloads://x'),
    /downloads:\/\/ is for saving; load the files with io\.browserFiles/,
  );
  await assert.rejects(dl.loadLayersModel(), /loadLayersModel: expected a URL or an IO handler; got undefined/);
  await assert.rejects(dl.io.removeModel(`file://${root}/first`), /removeModel: ".*" is not in this browser's stores/);
  await assert.rejects(ourModel().save('localstorage://x'), /localstorage:\/\/ needs a browser \(localStorage\)/);
  assert.deepEqual(await dl.io.listModels(), {}, 'Node has no browser stores');
});
