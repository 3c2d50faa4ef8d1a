// Keras' sample_weight as fit takes it (model.js): from a Tensor, array or typed array to
// an engine tensor; the engine checks the shape and the values.
import { show } from './show.js';
import { Tensor, idOf, tensor } from './tensor.js';

// Keras' sample_weight for fit (and validationData's third element): a Tensor, or an array
// or typed array of one weight per sample (N) or per step (N, T: nested, or flat with
// N * T values). Resolves with the engine tensor's id; a tensor made here is added to
// `made` (the caller disposes it). The engine checks the shape, (N) or (N, T) for an
// output of T steps, and that the weights are finite and >= 0.
export async function sampleWeightId(w, n, what, made) {
  if (w instanceof Tensor) return idOf(w, what);
  let t;
  if (ArrayBuffer.isView(w) || (Array.isArray(w) && w.length > 0 && !Array.isArray(w[0]))) {
    const steps = Number.isInteger(n) && n > 0 && w.length % n === 0 ? w.length / n : 0;
    t = tensor(ArrayBuffer.isView(w) ? Float32Array.from(w) : w, steps > 1 ? [n, steps] : [w.length]);
  } else if (Array.isArray(w) && w.length > 0) {
    t = tensor(w);
  } else {
    throw new Error(
      `${what} must be a Tensor, an array or a typed array of weights, (N) or (N, steps); got ${show(w)}`,
    );
  }
  made.push(t);
  return idOf(t, what);
}

// evaluate takes no sampleWeight yet: refused rather than ignored.
export function noSampleWeight(w, call) {
  if (w != null)
    throw new Error(`${call}: sampleWeight is not supported here; fit takes it (and validationData's third element)`);
}
