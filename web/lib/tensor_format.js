// A tensor written out as TensorFlow.js' print() and toString() write it: "Tensor", then
// (verbose) its dtype, rank and shape, then the values four spaces in, in nested brackets;
// from rank 2 each column padded to its widest value; more than 20 entries along an axis
// shown as the first three, "...", and the last three; numbers to at most 7 decimals. Its
// oddities are kept (a single row's closing line), so that a program prints the same here.
const LIMIT = 20;
const EDGE = 3;

const text = (v, dtype) => (dtype === 'bool' ? (v ? 'true' : 'false') : String(parseFloat(Number(v).toFixed(7))));

// The widest value of each column of the last axis (rank 2 and more; else none).
function widths(values, shape, dtype) {
  const columns = shape.at(-1) ?? 1;
  const out = new Array(columns).fill(0);
  if (shape.length < 2) return out;
  values.forEach((v, i) => (out[i % columns] = Math.max(out[i % columns], text(v, dtype).length)));
  return out;
}

// The lines of one block of values of this shape (rank >= 1).
function lines(values, shape, dtype, pad, last) {
  const n = shape[0];
  const cell = (i) => text(values[i], dtype).padEnd(pad[i] ?? 0);
  if (shape.length === 1) {
    const shown = (from, to) => Array.from({ length: to - from }, (_, k) => cell(from + k)).join(', ');
    return [n > LIMIT ? `[${shown(0, EDGE)}, ..., ${shown(n - EDGE, n)}]` : `[${shown(0, n)}]`];
  }
  const stride = n ? values.length / n : 0;
  const rows =
    n > LIMIT
      ? [...Array(EDGE).keys(), null, ...Array.from({ length: EDGE }, (_, k) => n - EDGE + k)]
      : [...Array(n).keys()];
  const out = rows.flatMap((r) =>
    r === null ? ['...'] : lines(values.slice(r * stride, (r + 1) * stride), shape.slice(1), dtype, pad, r === n - 1),
  );
  const comma = shape.length === 2 ? ',' : '';
  out[0] = `[${n > 0 ? out[0] + comma : ''}`;
  for (let i = 1; i < out.length - 1; i++) out[i] = ` ${out[i]}${comma}`;
  out[out.length - 1] = ` ${out.at(-1)}]${last ? '' : `,\n${'\n'.repeat(shape.length - 2)}`}`;
  return out;
}

export function formatTensor(values, shape, dtype, verbose = false) {
  const head = ['Tensor'];
  if (verbose) head.push(`  dtype: ${dtype}`, `  rank: ${shape.length}`, `  shape: [${shape}]`, '  values:');
  const body =
    shape.length === 0
      ? [dtype === 'bool' ? text(values[0], dtype) : String(values[0])]
      : lines(values, shape, dtype, widths(values, shape, dtype), true);
  return [...head, body.map((line) => `    ${line}`).join('\n')].join('\n');
}
