// Which pixels of an image a prediction depends on, three ways, from the engine's gradient
// of one output with respect to the input:
// - gradient: how much the output would change if a pixel changed a little; a network's
//   gradient jumps from pixel to pixel, so on its own it looks like noise;
// - SmoothGrad: the mean gradient over copies of the image with noise added, where the
//   jumps cancel out and what the copies share (the digit's strokes) remains;
// - gradient × input: the gradient times the pixel's value, an estimate of how much each
//   inked pixel adds to the output (blue) or takes from it (orange).
import * as dl from '../../lib/index.js';

// SmoothGrad's copies and their noise (a standard deviation, as a share of the 0..1 range).
export const SMOOTH_SAMPLES = 50;
export const SMOOTH_NOISE = 0.2;

// A standard normal number (Box-Muller) from a source of uniform numbers in [0, 1).
function normal(random) {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
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

// pixels: 784 bytes (0..255); output: the index of the output explained. Returns Float32Arrays
// of 784: {gradient, smoothGrad, timesInput}, the first two as absolute values.
export async function saliencyMaps(model, pixels, output, { samples = SMOOTH_SAMPLES, noise = SMOOTH_NOISE } = {}) {
  const x = Float32Array.from(pixels, (v) => v / 255);
  const one = dl.tensor(x, [1, 28, 28, 1]);
  const noisy = new Float32Array(samples * 784);
  for (let s = 0; s < samples; s++)
    for (let p = 0; p < 784; p++) noisy[s * 784 + p] = x[p] + noise * normal(Math.random);
  const copies = dl.tensor(noisy, [samples, 28, 28, 1]);
  try {
    const [plain, many] = await Promise.all([model.saliency(one, output), model.saliency(copies, output)]);
    const smooth = new Float32Array(784);
    for (let s = 0; s < samples; s++) for (let p = 0; p < 784; p++) smooth[p] += many.values[s * 784 + p] / samples;
    return {
      gradient: plain.values.map(Math.abs),
      smoothGrad: smooth.map(Math.abs),
      timesInput: plain.values.map((g, p) => g * x[p]),
    };
  } finally {
    one.dispose();
    copies.dispose();
  }
}
