// The one request/answer channel between threads (web/lib/rpc.js), which the page's
// engine worker and the helpers of data-parallel fit both use, over a real MessageChannel.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';

import { Rpc } from '../../web/lib/rpc.js';

// The far end answers {twice: n} with 2n, {bad} with an error carrying details, {trap}
// with a fatal error; {tell} makes it send a notice first.
function server(port) {
  port.on('message', (data) => {
    if (data.tell) port.postMessage({ events: [data.tell] });
    if (data.bad) port.postMessage({ id: data.id, error: `bad value ${JSON.stringify(data.bad)}`, details: { at: 3 } });
    else if (data.trap) port.postMessage({ id: data.id, error: 'the engine trapped', fatal: true });
    else port.postMessage({ id: data.id, result: data.twice * 2 });
  });
}

test('answers reach their own requests, errors keep their details, notices go aside, a fatal answer ends the channel', async () => {
  const { port1, port2 } = new MessageChannel();
  server(port2);
  const notices = [];
  const rpc = new Rpc(port1, { onNotice: (data) => notices.push(data) });
  assert.deepEqual(await Promise.all([1, 2, 3].map((n) => rpc.request({ twice: n }))), [2, 4, 6]);
  await assert.rejects(rpc.request({ bad: 'x' }), (error) => error.message === 'bad value "x"' && error.at === 3);
  assert.equal(await rpc.request({ twice: 5, tell: 'epoch' }), 10);
  assert.deepEqual(notices, [{ events: ['epoch'] }]);
  await assert.rejects(rpc.request({ trap: true }), /the engine trapped/);
  await assert.rejects(rpc.request({ twice: 1 }), /the engine trapped/);
  port1.close();
});

test('fail() rejects the waiting requests and every later one with its reason', async () => {
  const { port1, port2 } = new MessageChannel(); // nobody answers on port2
  const rpc = new Rpc(port1);
  const waiting = rpc.request({ twice: 1 });
  rpc.fail(new Error('the helper worker stopped'));
  await assert.rejects(waiting, /the helper worker stopped/);
  await assert.rejects(rpc.request({ twice: 2 }), /the helper worker stopped/);
  port1.close();
  port2.close();
});
