// Time in the training loop: yielding to the event loop between slices of batches, the
// throughput meter, and the check of a pace (batches per second at most).
import { show } from './show.js';

// Yields to the event loop: setImmediate in Node, a MessageChannel elsewhere (setTimeout
// would be clamped to 4 ms when nested).
const waiting = [];
let channel = null;
export function yieldToEventLoop() {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
}

export const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

// How long fit may run batches before it lets other messages in.
export const SLICE_MS = 8;
// How far behind its slots a paced fit may fall and still run batches back to back to
// catch up (after a pause or a busy moment it starts afresh instead).
export const CATCH_UP_MS = 50;
// Throughput: the first batches after fit starts or resumes are warm-up (first calls into
// new code, the compiler tiering up) and are not counted; a figure is given only once
// batches have run for MIN_MS after them (the browser's clock is coarsened to 0.1 ms, and
// one small batch can take less), and is renewed over windows of WINDOW_MS. Until then
// samplesPerSecond and batchMs are null: no figure rather than a wrong one.
const WARM_UP_BATCHES = 3;
const MIN_MS = 25;
const WINDOW_MS = 500;

export class Meter {
  constructor() {
    this.samplesPerSecond = null;
    this.batchMs = null;
    this.restart();
  }

  // After a start, a pause or a step: warm-up again, the last figure stays until renewed.
  restart() {
    this.warmUp = WARM_UP_BATCHES;
    this.start = now();
    this.samples = 0;
    this.batches = 0;
  }

  add(samples) {
    if (this.warmUp > 0) {
      this.warmUp -= 1;
      this.start = now();
      return;
    }
    this.samples += samples;
    this.batches += 1;
    const elapsed = now() - this.start;
    if (elapsed < MIN_MS) return;
    this.samplesPerSecond = (this.samples * 1000) / elapsed;
    this.batchMs = elapsed / this.batches;
    if (elapsed >= WINDOW_MS) {
      this.start = now();
      this.samples = 0;
      this.batches = 0;
    }
  }
}

// A pace is null (full speed) or a rate of batches per second.
export function checkPace(pace, call) {
  if (pace !== null && !(typeof pace === 'number' && Number.isFinite(pace) && pace > 0 && pace <= 10000))
    throw new Error(`${call}: pace must be null (full speed) or batches per second from 0 to 10000; got ${show(pace)}`);
}
