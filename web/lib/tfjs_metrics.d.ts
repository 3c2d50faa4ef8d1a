// Types of tfjs_metrics.js: TensorFlow.js' tf.metrics, merged into dl.metrics.
import type { Tensor, TensorLike } from './tensor.js';

type Metric = (yTrue: Tensor | TensorLike, yPred: Tensor | TensorLike) => Tensor;
declare module './index.js' {
  namespace metrics {
    const binaryAccuracy: Metric;
    const categoricalAccuracy: Metric;
    const sparseCategoricalAccuracy: Metric;
    const precision: Metric;
    const recall: Metric;
    const meanSquaredError: Metric;
    const meanAbsoluteError: Metric;
    const meanAbsolutePercentageError: Metric;
    const binaryCrossentropy: Metric;
    const categoricalCrossentropy: Metric;
    const sparseCategoricalCrossentropy: Metric;
    const cosineProximity: Metric;
    const r2Score: Metric;
    const MSE: Metric;
    const mse: Metric;
    const MAE: Metric;
    const mae: Metric;
    const MAPE: Metric;
    const mape: Metric;
    const cosine: Metric;
  }
}
