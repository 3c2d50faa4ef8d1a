// Random tensors as TensorFlow.js makes them (randomUniform, randomNormal,
// truncatedNormal), drawn by the engine's generator (engine/ops/random.h): seeded, the
// same numbers in every build.
import { show } from './show.js';
import { Tensor, dispose, fill } from './tensor.js';

// Random tensors, from the engine's generator: seeded, the same numbers each time; without a
// seed, a new one per call.
export const seedOf = (seed, name) => {
  if (seed === undefined || seed === null) return Math.floor(Math.random() * 2 ** 32);
  if (!Number.isInteger(seed) || seed < 0)
    throw new Error(`${name}: seed must be a whole number >= 0; got ${show(seed)}`);
  return seed;
};
function random(name, kind, shape, a, b, dtype = 'float32', seed) {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`${name}: shape must be an array of whole numbers >= 1; got ${show(shape)}`);
  if (dtype !== 'float32' && dtype !== 'int32')
    throw new Error(`${name}: dtype must be float32 or int32; got ${show(dtype)}`);
  const out = new Tensor(shape);
  fill([out], [], 'randomTensor', [kind, shape, a, b, seedOf(seed, name), out.id]);
  if (dtype === 'float32') return out;
  // Whole numbers: the values rounded down.
  const floored = out.floor();
  const whole = floored.toInt();
  dispose([out, floored]);
  return whole;
}
export const randomUniform = (shape, minval = 0, maxval = 1, dtype, seed) =>
  random('randomUniform', 'uniform', shape, minval, maxval, dtype, seed);
export const randomNormal = (shape, mean = 0, stdDev = 1, dtype, seed) =>
  random('randomNormal', 'normal', shape, mean, stdDev, dtype, seed);
export const truncatedNormal = (shape, mean = 0, stdDev = 1, dtype, seed) =>
  random('truncatedNormal', 'truncatedNormal', shape, mean, stdDev, dtype, seed);
