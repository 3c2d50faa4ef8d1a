// Types of TensorFlow.js' other names (index.js) and tf.browser (browser_pixels.js).
import './tfjs_metrics.js';
import type { Sequential } from './index.js';
import type { Environment } from './environment.js';
import type { Tensor } from './tensor.js';

/** TensorFlow.js' Callback: a class whose hooks a program overrides. */
export declare class Callback {
  params?: object;
  model?: Sequential;
  setParams(params: object): void;
  setModel(model: Sequential): void;
}
type Hook = (...args: any[]) => void | Promise<void>;
/** TensorFlow.js' CustomCallback({onTrainBegin, onEpochEnd, ...}). */
export declare class CustomCallback extends Callback {
  constructor(
    args: Partial<
      Record<
        'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd' | 'onYield',
        Hook
      >
    >,
  );
}

/** tf.LayersModel: the class Sequential and Model share (for instanceof). */
export declare const LayersModel: typeof Sequential;
/** tf.ENV: the environment (env()). */
export declare const ENV: Environment;
export declare const models: { modelFromJSON(json: object | string): Promise<Sequential> };
type Pixels = ImageData | HTMLCanvasElement | HTMLImageElement | HTMLVideoElement | ImageBitmap;
export declare namespace browser {
  function fromPixels(
    image: Pixels | { data: ArrayLike<number>; width: number; height: number },
    numChannels?: 1 | 3 | 4,
  ): Tensor;
  function toPixels(image: Tensor, canvas?: HTMLCanvasElement): Promise<Uint8ClampedArray>;
}
/** A training log by either spelling: "val_accuracy" finds TensorFlow.js' "val_acc" and back. */
export declare function logValue<T>(logs: Record<string, T>, name: string): T | undefined;
/** TensorFlow.js' spelling of a log name given in Keras' ("val_accuracy" is "val_acc"). */
export declare function tfjsLogName(name: string): string;
declare module './index.js' {
  interface Sequential {
    /** TensorFlow.js' metricsNames once compiled: "loss", then the metrics' log names ("acc"). */
    readonly metricsNames: string[] | undefined;
  }
  namespace util {
    function assertShapesMatch(a: number[], b: number[], prefix?: string): void;
  }
}
