// Types of TensorFlow.js' other names (index.js) and tf.browser (browser_pixels.js).
import './tfjs_metrics.js';
import type { Sequential } from './index.js';
import type { Environment } from './environment.js';
import type { Tensor } from './tensor.js';

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
declare module './index.js' {
  namespace util {
    function assertShapesMatch(a: number[], b: number[], prefix?: string): void;
  }
}
