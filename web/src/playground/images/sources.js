// Two ways to make images for a set without files: a small drawing pad (drawings are
// scaled and centred as the digit pad's are) and the camera (getUserMedia), which captures
// bursts of frames, as Teachable Machine does, and can feed the model live.
import { h } from '../dom.js';
import { inkOn, padPixels } from '../panels/pad.js';
import { pixelsOf } from './decode.js';

const PAD = 168;

// A pad to draw one example on: {element, pixels(shape) (null while empty), clear()}.
export function drawingPad(onStroke = () => {}) {
  const canvas = h('canvas', {
    width: PAD,
    height: PAD,
    class: 'set-pad',
    role: 'img',
    'aria-label': 'drawing pad for your classes',
  });
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  inkOn(canvas, { lineWidth: 12, onEnd: onStroke });
  return {
    element: canvas,
    pixels: (shape) => padPixels(canvas, shape),
    clear: () => ctx.clearRect(0, 0, PAD, PAD),
  };
}

// The camera: {element, start(), stop(), frame(shape) (the current frame as a set's
// image), running}. Errors (no camera, permission refused) are thrown from start().
export function camera() {
  const video = h('video', {
    class: 'camera',
    autoplay: true,
    muted: true,
    playsInline: true,
    width: 160,
    height: 120,
    'aria-label': 'camera',
  });
  let stream = null;
  const api = {
    element: video,
    get running() {
      return Boolean(stream);
    },
    async start() {
      if (stream) return;
      if (!navigator.mediaDevices?.getUserMedia)
        throw new Error('this browser gives no access to a camera here (it needs https or localhost)');
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: false });
      } catch (error) {
        const reason =
          error.name === 'NotAllowedError'
            ? 'the camera was not allowed'
            : error.name === 'NotFoundError'
              ? 'no camera was found'
              : error.message || error.name;
        throw new Error(`camera: ${reason}`);
      }
      video.srcObject = stream;
      await video.play().catch(() => {});
      // The first frame: until it comes the video has no size.
      for (let i = 0; i < 50 && !video.videoWidth; i++) await new Promise((r) => setTimeout(r, 40));
    },
    stop() {
      stream?.getTracks().forEach((t) => t.stop());
      stream = null;
      video.srcObject = null;
    },
    frame([size, , channels]) {
      if (!stream || !video.videoWidth) throw new Error('camera: it is not running');
      return pixelsOf(video, video.videoWidth, video.videoHeight, { size, channels });
    },
  };
  return api;
}
