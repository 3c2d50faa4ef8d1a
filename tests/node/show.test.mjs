// show(), the one spelling of a quoted value in every error message: JSON, cut to a
// readable length, and exact for what JSON cannot spell.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as dl from '../../web/lib/index.js';
import { SHOW_LIMIT, show } from '../../web/lib/show.js';

const cases = (pairs) => {
  for (const [value, expected] of pairs) assert.equal(show(value), expected, `show(${String(expected)})`);
};

test('show spells JSON values as JSON, strings quoted', () => {
  assert.equal(dl.show, show, 'the library exports it as dl.show');
  cases([
    ['float64', '"float64"'],
    ['', '""'],
    [' 3', '" 3"'],
    ['say "hi"\n', '"say \\"hi\\"\\n"'],
    [0, '0'],
    [1.5, '1.5'],
    [-7, '-7'],
    [true, 'true'],
    [null, 'null'],
    [[1, 'a', null], '[1,"a",null]'],
    [{ a: 1, b: [2, { c: 'd' }] }, '{"a":1,"b":[2,{"c":"d"}]}'],
    [[], '[]'],
    [{}, '{}'],
  ]);
});

test('show spells what JSON cannot as JavaScript writes it, not as null or nothing', () => {
  const named = function relu() {};
  cases([
    [undefined, 'undefined'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [-0, '-0'],
    [[1, NaN, undefined, Infinity], '[1,NaN,undefined,Infinity]'],
    [{ a: undefined, b: -Infinity }, '{"a":undefined,"b":-Infinity}'],
    [12n, '12n'],
    [Symbol('units'), 'Symbol(units)'],
    [named, '<function relu>'],
    [{ f: named }, '{"f":<function relu>}'],
    [new ArrayBuffer(16), '<ArrayBuffer of 16 bytes>'],
    [new Map([[1, 2]]), '<Map of 1>'],
    [new Set([1, 2, 3]), '<Set of 3>'],
    [new Date(0), '"1970-01-01T00:00:00.000Z"'],
  ]);
  assert.equal(
    show(() => 1),
    '<function>',
  );
});

test('show spells a typed array like an array', () => {
  cases([
    [new Float32Array([1, 0.5, -2]), '[1,0.5,-2]'],
    [new Uint8Array([]), '[]'],
    [new Int32Array([3, 1, 4]), '[3,1,4]'],
  ]);
});

test('show cuts long values to the limit, ending with …', () => {
  assert.equal(SHOW_LIMIT, 72);
  const long = show('x'.repeat(1000));
  assert.equal(long, `"${'x'.repeat(SHOW_LIMIT - 2)}…`);
  assert.equal(long.length, SHOW_LIMIT);
  assert.equal(show(new Float32Array(10_000)), `[${'0,'.repeat(35)}…`);
  assert.equal(show(new Array(1e6).fill(7)).length, SHOW_LIMIT);
  assert.equal(show({ name: 'abcdefghij' }, 10), '{"name":"…');
  // Exactly at the limit: not cut.
  assert.equal(show('y'.repeat(SHOW_LIMIT - 2)), `"${'y'.repeat(SHOW_LIMIT - 2)}"`);
  // Never between the halves of a surrogate pair.
  assert.equal(show('😀'.repeat(10), 7), '"😀😀…');
});

test('show does not throw on cycles, throwing getters or proxies', () => {
  const a = { x: 1 };
  a.self = a;
  assert.equal(show(a), '{"x":1,"self":<circular>}');
  const list = [1];
  list.push(list);
  assert.equal(show(list), '[1,<circular>]');
  // The same object twice, not inside itself, is no cycle.
  const shared = { k: 1 };
  assert.equal(show([shared, shared]), '[{"k":1},{"k":1}]');
  assert.equal(
    show({
      get g() {
        throw new Error('no');
      },
    }),
    '{"g":<unreadable>}',
  );
  const proxy = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('no');
      },
    },
  );
  assert.equal(show(proxy), '{<unreadable>');
  assert.equal(show({ toJSON: () => 'mine' }), '"mine"');
});
