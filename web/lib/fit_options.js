// fit's options that the library handles itself, before the engine sees the rest
// (epochs, batchSize, ...), so that an unknown option's message lists them all.
import { show } from './show.js';

// TensorFlow.js' fit options that change nothing here: verbose (fit prints nothing; use
// callbacks), yieldEvery (fit yields to the page every few milliseconds by itself),
// stepsPerEpoch and validationSteps (TensorFlow.js' fit on tensors ignores them too;
// they are for fitDataset).
export const TFJS_IGNORED = ['verbose', 'yieldEvery', 'stepsPerEpoch', 'validationSteps'];

// Taken by model.js (callbacks, validationData, initialEpoch, sampleWeight, the ignored
// ones) and by Core.fit (startPaused, pace, workers, splitBatches).
const LIBRARY_FIT_OPTIONS = [
  'validationData',
  'callbacks',
  'initialEpoch',
  'startPaused',
  'pace',
  'workers',
  'splitBatches',
  ...TFJS_IGNORED,
  'sampleWeight',
];

// Runs `start` (the engine's fitSession); the engine's error for an unknown fit option
// names only the engine's options, so the library's are added to its list.
export function withLibraryFitOptions(start) {
  try {
    return start();
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('fit: unknown option'))
      error.message += `, ${LIBRARY_FIT_OPTIONS.join(', ')}`;
    throw error;
  }
}

// fit's initialEpoch, as TensorFlow.js takes it: epochs - initialEpoch epochs run.
export function checkInitialEpoch(initialEpoch, epochs) {
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs)
    throw new Error(
      `fit: initialEpoch must be a whole number from 0 to epochs - 1 (${epochs - 1}); got ${show(initialEpoch)}`,
    );
  return initialEpoch;
}

// fit's tensors in the engine from their ids (tensor(id, what) looks one up): x, y,
// validationData's [x, y, sample weights], and options.sampleWeight, taken out of the
// engine's options. used: the tensors to hold while training; handles: fitSession's
// arguments after x, y and the options (validation x, y, sample weights and validation
// sample weights, null when absent).
export function fitTensors(tensor, xId, yId, validationData, { sampleWeight, ...engineOptions }) {
  const used = [tensor(xId, 'fit: x'), tensor(yId, 'fit: y')];
  const [vx, vy, vw] = (validationData ?? []).map((id, k) =>
    tensor(id, `fit: validation ${['x', 'y', 'sampleWeight'][k]}`),
  );
  const w = sampleWeight == null ? null : tensor(sampleWeight, 'fit: sampleWeight');
  const handles = [vx, vy, w, vw].map((t) => t?.handle ?? null);
  used.push(...[vx, vy, w, vw].filter(Boolean));
  return { engineOptions, used, handles };
}
