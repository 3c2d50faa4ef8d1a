// TensorFlow.js' tf.browser: pixels to a tensor and back. fromPixels(image, numChannels)
// reads an ImageData, canvas, image, bitmap or video frame into an int32 tensor (height,
// width, channels) of 0..255; toPixels(tensor, canvas) draws a (height, width) or
// (height, width, 1 | 3 | 4) tensor, floats in 0..1 or int32 in 0..255, and resolves
// with its RGBA bytes. Browsers only (a canvas draws the image).
import { show } from './show.js';
import { Tensor, tensor } from './tensor.js';

// The image's RGBA bytes and size.
function rgba(image) {
  if (typeof ImageData !== 'undefined' && image instanceof ImageData)
    return { data: image.data, width: image.width, height: image.height };
  if (
    image &&
    typeof image === 'object' &&
    image.data &&
    Number.isInteger(image.width) &&
    Number.isInteger(image.height)
  )
    return image;
  const width = image?.videoWidth || image?.naturalWidth || image?.width;
  const height = image?.videoHeight || image?.naturalHeight || image?.height;
  if (typeof document === 'undefined' || !Number.isInteger(width) || !Number.isInteger(height) || !width || !height)
    throw new Error(
      `browser.fromPixels: expected ImageData, a canvas, an image, an ImageBitmap or a video with a size; got ${show(image)}`,
    );
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(image, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

export function fromPixels(image, numChannels = 3) {
  if (![1, 3, 4].includes(numChannels))
    throw new Error(`browser.fromPixels: numChannels must be 1, 3 or 4; got ${show(numChannels)}`);
  const { data, width, height } = rgba(image);
  const values = new Int32Array(width * height * numChannels);
  for (let p = 0; p < width * height; p++)
    for (let c = 0; c < numChannels; c++) values[p * numChannels + c] = data[p * 4 + c];
  return tensor(values, [height, width, numChannels], 'int32');
}

export async function toPixels(image, canvas) {
  if (!(image instanceof Tensor)) throw new Error(`browser.toPixels: expected a Tensor; got ${show(image)}`);
  const [height, width, depth = 1] = image.shape;
  if (![2, 3].includes(image.rank) || ![1, 3, 4].includes(depth))
    throw new Error(
      `browser.toPixels: expected a tensor of shape (height, width) or (height, width, 1 | 3 | 4); got ${show(image.shape)}`,
    );
  const values = await image.data();
  const [low, high, scale] = image.dtype === 'float32' ? [0, 1, 255] : [0, 255, 1];
  const bad = values.findIndex((v) => !(v >= low && v <= high));
  if (bad >= 0)
    throw new Error(
      `browser.toPixels: ${image.dtype} values must be in ${low}..${high}; got ${show(values[bad])} at index ${bad}`,
    );
  const bytes = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const at = (c) => values[p * depth + c] * scale;
    const [r, g, b] = depth === 1 ? [at(0), at(0), at(0)] : [at(0), at(1), at(2)];
    bytes.set([r, g, b, depth === 4 ? at(3) : 255], p * 4);
  }
  if (canvas) {
    canvas.width = width;
    canvas.height = height;
    canvas.getContext('2d').putImageData(new ImageData(bytes, width, height), 0, 0);
  }
  return bytes;
}
