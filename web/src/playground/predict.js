// Predictions as every view reads them: one sample through the current model (the drawing
// pad, the embed's predict command) and the class a row of outputs stands for (also the
// test-set evaluation behind the gallery and the confusion matrix).
import * as dl from '../../lib/layers_api.js';

// The class a model's outputs name: the largest of several or, for one output, whether
// it passes the middle (0.5 for a probability, 0 for a logit).
export function classOf(outputs, fromLogits) {
  if (outputs.length === 1) return Number(outputs[0] > (fromLogits ? 0 : 0.5));
  let best = 0;
  for (let c = 1; c < outputs.length; c++) if (outputs[c] > outputs[best]) best = c;
  return best;
}

// One sample (an image's pixels, 0..255, or the features) through app's current model:
// {probabilities, digit} for a classifier, {value} for regression. Emits 'prediction'
// with `from` naming who asked.
export async function predictSample(app, input, from) {
  const shape = app.info.inputShape;
  const x = app.isImages
    ? dl.tensorFromBytes(Uint8Array.from(input), [1, ...shape])
    : dl.tensor(Array.from(input), [1, ...shape]);
  try {
    // The engine turns logits into probabilities (a model compiled with fromLogits).
    const { values } = await app.model.predictValues(x, { probabilities: true });
    const detail =
      app.task === 'regression'
        ? { value: values[0] }
        : { probabilities: Array.from(values), digit: classOf(values, false) };
    app.emit('prediction', { ...detail, from });
    return detail;
  } finally {
    x.dispose();
  }
}
