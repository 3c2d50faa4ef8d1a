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
// one small batch can take less). The figure is over the batches of the last WINDOW_MS,
// a sliding window: the page's views run in the same engine between slices of batches, a
// redraw can take a tenth of a second, and windows that started afresh each half second
// read from a fifth to ten times the run's speed depending on whether a redraw fell in
// them. Until then samplesPerSecond and batchMs are null: no figure rather than a wrong one.
const WARM_UP_BATCHES = 3;
const MIN_MS = 25;
const WINDOW_MS = 2000;

export class Meter {
  // clock: milliseconds now (a test gives its own).
  constructor(clock = now) {
    this.clock = clock;
    this.samplesPerSecond = null;
    this.batchMs = null;
    this.restart();
  }

  // After a start, a pause or a step: warm-up again, the last figure stays until renewed.
  restart() {
    this.warmUp = WARM_UP_BATCHES;
    // The end of each counted batch and its samples, from `head` on: the entry at head
    // starts the window (the end of the batch before its first), its samples not counted.
    this.ends = [];
    this.counts = [];
    this.head = 0;
    this.samples = 0;
  }

  add(samples) {
    const time = this.clock();
    if (this.warmUp > 0) {
      this.warmUp -= 1;
      this.ends = [time];
      this.counts = [0];
      this.head = 0;
      this.samples = 0;
      return;
    }
    this.ends.push(time);
    this.counts.push(samples);
    this.samples += samples;
    // Batches older than the window leave it; the last of them starts it.
    while (this.head + 2 < this.ends.length && time - this.ends[this.head + 1] >= WINDOW_MS) {
      this.head += 1;
      this.samples -= this.counts[this.head];
    }
    // The entries before head are dropped now and then, not at every batch.
    if (this.head > 4096) {
      this.ends = this.ends.slice(this.head);
      this.counts = this.counts.slice(this.head);
      this.head = 0;
    }
    const elapsed = time - this.ends[this.head];
    if (elapsed < MIN_MS) return;
    this.samplesPerSecond = (this.samples * 1000) / elapsed;
    this.batchMs = elapsed / (this.ends.length - 1 - this.head);
  }
}

// A pace is null (full speed) or a rate of batches per second.
export function checkPace(pace, call) {
  if (pace !== null && !(typeof pace === 'number' && Number.isFinite(pace) && pace > 0 && pace <= 10000))
    throw new Error(`${call}: pace must be null (full speed) or batches per second from 0 to 10000; got ${show(pace)}`);
}
