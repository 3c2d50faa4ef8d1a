// Activation maximization: gradient ascent on the input, from noise, towards what makes
// one unit of a layer (an output class, or a convolution filter's mean response) as large
// as it can be, kept plausible by L2 decay and an occasional blur. The engine gives the
// gradient (unitGradient); the steps are taken here.
import { tensor } from './tensor.js';
import { seededRandom } from './data/random.js';
import { show } from './show.js';

// A 3x3 box blur of each channel of an (h, w, c) image, in place.
function blur(values, h, w, c) {
  const copy = Float32Array.from(values);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < c; k++) {
        let sum = 0;
        let count = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy < 0 || xx < 0 || yy >= h || xx >= w) continue;
            sum += copy[(yy * w + xx) * c + k];
            count++;
          }
        values[(y * w + x) * c + k] = sum / count;
      }
}

// model: a built Sequential. layer: an index or name (default the last); unit: which of
// its units (or channels). Returns {shape, values, value}: the image (one sample of the
// model's input shape, values in [low, high]) and the unit's value for it.
export async function maximizeActivation(
  model,
  { layer = -1, unit = 0, steps = 150, rate = 0.05, l2 = 0.01, blurEvery = 4, low = 0, high = 1, seed = 1 } = {},
) {
  const built = await model.build();
  const info = built.layers;
  const index =
    typeof layer === 'string' ? info.findIndex((l) => l.name === layer) : layer < 0 ? info.length + layer : layer;
  if (!info[index])
    throw new Error(
      `maximizeActivation: no layer ${show(layer)}; expected an index from 0 to ${info.length - 1} or one of ${info.map((l) => l.name).join(', ')}`,
    );
  for (const [name, v] of Object.entries({ steps, rate, l2, blurEvery }))
    if (!(Number.isFinite(v) && v >= 0))
      throw new Error(`maximizeActivation: ${name} must be a number >= 0; got ${show(v)}`);
  const shape = built.inputShape;
  const size = shape.reduce((a, b) => a * b, 1);
  const random = seededRandom(seed);
  const x = Float32Array.from({ length: size }, () => low + (high - low) * (0.45 + 0.1 * random()));
  const image = shape.length === 3;
  for (let step = 0; step < steps; step++) {
    const t = tensor(x, [1, ...shape]);
    let g;
    try {
      g = (await model.unitGradient(t, index, unit)).values;
    } finally {
      t.dispose();
    }
    // Steps of a fixed size whatever the gradient's scale: the gradient over its RMS.
    let rms = 0;
    for (const v of g) rms += v * v;
    rms = Math.sqrt(rms / size) + 1e-12;
    for (let i = 0; i < size; i++) x[i] = Math.min(high, Math.max(low, x[i] * (1 - l2) + (rate * g[i]) / rms));
    if (image && blurEvery && step % blurEvery === blurEvery - 1) blur(x, ...shape);
  }
  const t = tensor(x, [1, ...shape]);
  try {
    // Activations come per application of a layer: its first carries the layer's name.
    const out = (await model.activations(t)).find((a) => a.layer === info[index].name);
    const channels = out.shape.at(-1);
    let sum = 0;
    for (let p = unit; p < out.values.length; p += channels) sum += out.values[p];
    return { shape, values: x, value: sum / (out.values.length / channels) };
  } finally {
    t.dispose();
  }
}
