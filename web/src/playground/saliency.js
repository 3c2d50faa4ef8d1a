// Which pixels of an image a prediction depends on, three ways, from the engine's gradient
// of one output with respect to the input:
// - gradient: how much the output would change if a pixel changed a little; a network's
//   gradient jumps from pixel to pixel, so on its own it looks like noise;
// - SmoothGrad: the mean gradient over copies of the image with noise added: where the
//   gradients of nearby images disagree they cancel out, what they share remains;
// - gradient × input: the gradient times the pixel's value, an estimate of how much each
//   inked pixel adds to the output (blue) or takes from it (orange).
import * as dl from '../../lib/layers_api.js';

// SmoothGrad's copies and their noise (a standard deviation, as a share of the 0..1 range).
export const SMOOTH_SAMPLES = 50;
export const SMOOTH_NOISE = 0.2;

// `samples` copies of an image (values in 0..1) with Gaussian noise of standard deviation
// `noise`, drawn from `seed`: SmoothGrad's inputs.
export function noisyCopies(x, { samples = SMOOTH_SAMPLES, noise = SMOOTH_NOISE, seed = 1 } = {}) {
  const random = dl.data.seededRandom(seed);
  const out = new Float32Array(samples * x.length);
  for (let s = 0; s < samples; s++)
    for (let p = 0; p < x.length; p++) out[s * x.length + p] = x[p] + noise * random.normal();
  return out;
}

// The mean absolute difference between neighbouring pixels, over the map's mean absolute
// value: how speckled a map is, whatever its scale.
export function roughness(values, rows, cols) {
  let steps = 0;
  let count = 0;
  let total = 0;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const v = Math.abs(values[r * cols + c]);
      total += v;
      if (c + 1 < cols) {
        steps += Math.abs(v - Math.abs(values[r * cols + c + 1]));
        count++;
      }
      if (r + 1 < rows) {
        steps += Math.abs(v - Math.abs(values[(r + 1) * cols + c]));
        count++;
      }
    }
  return steps / count / Math.max(total / (rows * cols), 1e-12);
}

// Per pixel of an (h, w, c) map: the largest absolute value over its channels, or (sum)
// the channels' sum. One channel: the map itself (absolute, unless sum).
function perPixel(values, channels, sum = false) {
  const out = new Float32Array(values.length / channels);
  for (let p = 0; p < out.length; p++)
    for (let c = 0; c < channels; c++) {
      const v = values[p * channels + c];
      if (sum) out[p] += v;
      else out[p] = Math.max(out[p], Math.abs(v));
    }
  return out;
}

// pixels: an image's bytes (0..255) of `shape` (h, w, c; MNIST's by default); output: the
// index of the output explained. Returns Float32Arrays of h x w: {gradient, smoothGrad,
// timesInput}, the first two as absolute values (the largest over a colour image's
// channels), the third summed over the channels.
export async function saliencyMaps(
  model,
  pixels,
  output,
  { samples = SMOOTH_SAMPLES, noise = SMOOTH_NOISE, seed = 1, shape = [28, 28, 1] } = {},
) {
  const x = Float32Array.from(pixels, (v) => v / 255);
  const size = x.length;
  const one = dl.tensor(x, [1, ...shape]);
  const copies = dl.tensor(noisyCopies(x, { samples, noise, seed }), [samples, ...shape]);
  try {
    const [plain, many] = await Promise.all([model.saliency(one, output), model.saliency(copies, output)]);
    const smooth = new Float32Array(size);
    for (let s = 0; s < samples; s++) for (let p = 0; p < size; p++) smooth[p] += many.values[s * size + p] / samples;
    const channels = shape[2];
    return {
      gradient: perPixel(plain.values, channels),
      smoothGrad: perPixel(smooth, channels),
      timesInput: perPixel(
        plain.values.map((g, p) => g * x[p]),
        channels,
        true,
      ),
    };
  } finally {
    one.dispose();
    copies.dispose();
  }
}
