// TensorFlow.js' tf.data: a Dataset is a recipe for a stream of elements, read one at a
// time through an asynchronous iterator, so that data larger than memory, or made on the
// fly, can train a model (model.fitDataset). Sources: data.array, data.generator,
// data.zip, data.csv (csv_dataset.js); steps: map, mapAsync, filter, batch, shuffle, take,
// skip, repeat, prefetch, concatenate; ends: forEachAsync, toArray, iterator. Each
// iteration starts afresh from the source. batch stacks numbers, arrays and tensors into
// tensors, keeping the elements' structure ({xs, ys}, [a, b]).
import { Tensor, tensor } from '../tensor.js';
import { show } from '../show.js';
import { seededRandom } from './random.js';

const count = (n, what, min = 0) => {
  if (!(Number.isInteger(n) && n >= min) && n !== Infinity)
    throw new Error(`dataset.${what}: expected a whole number >= ${min}; got ${show(n)}`);
  return n;
};
const callable = (f, what) => {
  if (typeof f !== 'function') throw new Error(`dataset.${what}: expected a function; got ${show(f)}`);
  return f;
};

export class Dataset {
  // source(): an async iterator of the elements; size: how many, when known.
  constructor(source, size = null) {
    this.source = source;
    this.size = size;
  }

  // TensorFlow.js' iterator: {next(): Promise<{value, done}>}, starting afresh each time.
  async iterator() {
    const it = this.source();
    return { next: () => it.next() };
  }

  async *[Symbol.asyncIterator]() {
    yield* this.source();
  }

  // A new dataset from an async generator over this one.
  derive(step, size = null) {
    const self = this;
    return new Dataset(() => step(self.source()), size);
  }

  map(f) {
    callable(f, 'map');
    return this.derive(async function* (it) {
      for await (const x of it) yield made(f(x));
    }, this.size);
  }

  mapAsync(f) {
    callable(f, 'mapAsync');
    return this.derive(async function* (it) {
      for await (const x of it) yield made(await f(x));
    }, this.size);
  }

  filter(predicate) {
    callable(predicate, 'filter');
    return this.derive(async function* (it) {
      for await (const x of it) if (predicate(x)) yield x;
    });
  }

  take(n) {
    count(n, 'take');
    return this.derive(
      async function* (it) {
        if (n <= 0) return;
        let i = 0;
        for await (const x of it) {
          yield x;
          if (++i >= n) return;
        }
      },
      this.size === null ? null : Math.min(this.size, n),
    );
  }

  skip(n) {
    count(n, 'skip');
    return this.derive(
      async function* (it) {
        let i = 0;
        for await (const x of it) if (i++ >= n) yield x;
      },
      this.size === null ? null : Math.max(0, this.size - n),
    );
  }

  // count times over (every time: Infinity, or no count).
  repeat(times = Infinity) {
    count(times, 'repeat');
    const self = this;
    return new Dataset(
      async function* () {
        for (let i = 0; i < times; i++) {
          let any = false;
          for await (const x of self.source()) {
            any = true;
            yield x;
          }
          if (!any) return;
        }
      },
      this.size === null ? null : times === Infinity ? (this.size === 0 ? 0 : Infinity) : this.size * times,
    );
  }

  concatenate(other) {
    if (!(other instanceof Dataset)) throw new Error(`dataset.concatenate: expected a Dataset; got ${show(other)}`);
    const self = this;
    return new Dataset(
      async function* () {
        yield* self.source();
        yield* other.source();
      },
      this.size === null || other.size === null ? null : this.size + other.size,
    );
  }

  // Elements drawn at random from a buffer of bufferSize, refilled from the stream; seeded,
  // and in a new order each iteration unless reshuffleEachIteration is false.
  shuffle(bufferSize, seed, reshuffleEachIteration = true) {
    count(bufferSize, 'shuffle', 1);
    const base = seed ?? Math.floor(Math.random() * 2 ** 31);
    let iteration = 0;
    return this.derive(async function* (it) {
      const random = seededRandom(reshuffleEachIteration ? base + 7919 * iteration++ : base);
      const buffer = [];
      for await (const x of it) {
        buffer.push(x);
        if (buffer.length >= bufferSize) {
          const i = Math.floor(random() * buffer.length);
          [buffer[i], buffer[buffer.length - 1]] = [buffer[buffer.length - 1], buffer[i]];
          yield buffer.pop();
        }
      }
      while (buffer.length) {
        const i = Math.floor(random() * buffer.length);
        [buffer[i], buffer[buffer.length - 1]] = [buffer[buffer.length - 1], buffer[i]];
        yield buffer.pop();
      }
    }, this.size);
  }

  // Groups of batchSize elements stacked into tensors (the last group smaller, unless
  // smallLastBatch is false).
  batch(batchSize, smallLastBatch = true) {
    count(batchSize, 'batch', 1);
    return this.derive(
      async function* (it) {
        let group = [];
        for await (const x of it) {
          group.push(x);
          if (group.length === batchSize) {
            yield await stackElements(group);
            group = [];
          }
        }
        if (group.length && smallLastBatch) yield await stackElements(group);
      },
      this.size === null ? null : smallLastBatch ? Math.ceil(this.size / batchSize) : Math.floor(this.size / batchSize),
    );
  }

  // Reads up to bufferSize elements ahead while the consumer works.
  prefetch(bufferSize) {
    count(bufferSize, 'prefetch', 1);
    return this.derive(async function* (it) {
      const ahead = [];
      const pull = () => ahead.push(it.next());
      for (let i = 0; i < bufferSize; i++) pull();
      while (true) {
        const { value, done } = await ahead.shift();
        if (done) return;
        pull();
        yield value;
      }
    }, this.size);
  }

  async forEachAsync(f) {
    callable(f, 'forEachAsync');
    for await (const x of this.source()) await f(x);
  }

  async toArray() {
    if (this.size === Infinity) throw new Error('dataset.toArray: this dataset never ends (repeat() without a count)');
    const all = [];
    for await (const x of this.source()) all.push(x);
    return all;
  }
}

// ---- batching ----

// The tensors a map step or batch made are the dataset's: batch frees them once stacked,
// fitDataset once trained on (release); tensors of a source, such as data.array's, are
// the caller's and stay.
const MADE = Symbol('made by a dataset step');
export function release(x) {
  if (x instanceof Tensor) {
    if (x[MADE]) x.dispose();
  } else if (Array.isArray(x)) x.forEach(release);
  else if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) Object.values(x).forEach(release);
}
function made(x) {
  if (x instanceof Tensor) x[MADE] = true;
  else if (Array.isArray(x)) x.forEach(made);
  else if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) Object.values(x).forEach(made);
  return x;
}

const isNumeric = (x) =>
  typeof x === 'number' ||
  typeof x === 'boolean' ||
  ArrayBuffer.isView(x) ||
  (Array.isArray(x) && x.length > 0 && x.every((v) => isNumeric(v) && !(v instanceof Tensor)));

// The shape of nested numbers.
function shapeOf(x) {
  if (typeof x === 'number' || typeof x === 'boolean') return [];
  if (ArrayBuffer.isView(x)) return [x.length];
  return [x.length, ...shapeOf(x[0])];
}

function flatInto(x, out) {
  if (typeof x === 'number' || typeof x === 'boolean') out.push(Number(x));
  else for (const v of x) flatInto(v, out);
}

// One batch from a group of elements of the same structure (tensors are read, so that
// batching works in a page whose engine is in a worker).
async function stackElements(group) {
  const first = group[0];
  if (first instanceof Tensor) {
    const shape = first.shape;
    for (const t of group)
      if (!(t instanceof Tensor) || t.shape.join() !== shape.join())
        throw new Error(`dataset.batch: elements must have the same shape; got ${show(shape)} and ${show(t?.shape)}`);
    const values = new Float32Array(group.length * first.size);
    const read = await Promise.all(group.map((t) => t.data()));
    read.forEach((v, i) => values.set(v, i * first.size));
    for (const t of group) if (t[MADE]) t.dispose();
    return made(tensor(values, [group.length, ...shape], first.dtype));
  }
  if (isNumeric(first)) {
    const shape = shapeOf(first);
    const values = [];
    for (const x of group) {
      if (!isNumeric(x) || shapeOf(x).join() !== shape.join())
        throw new Error(
          `dataset.batch: elements must have the same shape; got ${show(shape)} and ${show(isNumeric(x) ? shapeOf(x) : x)}`,
        );
      flatInto(x, values);
    }
    return made(tensor(values, [group.length, ...shape], typeof first === 'boolean' ? 'bool' : 'float32'));
  }
  if (Array.isArray(first)) return Promise.all(first.map((_, k) => stackElements(group.map((x) => x[k]))));
  if (first && typeof first === 'object') {
    const keys = Object.keys(first);
    const parts = await Promise.all(keys.map((key) => stackElements(group.map((x) => x[key]))));
    return Object.fromEntries(keys.map((key, i) => [key, parts[i]]));
  }
  if (typeof first === 'string') return group.slice();
  throw new Error(`dataset.batch: cannot batch ${show(first)}; expected numbers, arrays, tensors or objects of them`);
}

// ---- sources ----

// The items of an array, in order.
export function array(items) {
  if (!Array.isArray(items)) throw new Error(`data.array: expected an array; got ${show(items)}`);
  return new Dataset(async function* () {
    yield* items;
  }, items.length);
}

// The values a generator function yields (sync or async), from a fresh call each iteration.
export function generator(make) {
  callable(make, 'generator');
  return new Dataset(async function* () {
    const it = make();
    if (!it || (typeof it.next !== 'function' && !it[Symbol.asyncIterator] && !it[Symbol.iterator]))
      throw new Error(`data.generator: the function must return an iterator (a generator); got ${show(it)}`);
    if (it[Symbol.asyncIterator] || it[Symbol.iterator]) yield* it;
    else
      while (true) {
        const { value, done } = await it.next();
        if (done) return;
        yield value;
      }
  });
}

// Datasets side by side: an array or an object of datasets gives elements of that form;
// ends with the shortest.
export function zip(datasets) {
  const isArray = Array.isArray(datasets);
  const entries = Object.entries(datasets ?? {});
  if (
    (!isArray && (typeof datasets !== 'object' || datasets === null)) ||
    entries.some(([, d]) => !(d instanceof Dataset))
  )
    throw new Error(`data.zip: expected an array or an object of Datasets; got ${show(datasets)}`);
  const sizes = entries.map(([, d]) => d.size);
  return new Dataset(
    async function* () {
      const its = entries.map(([, d]) => d.source());
      while (true) {
        const steps = await Promise.all(its.map((it) => it.next()));
        if (steps.some((s) => s.done)) return;
        const values = steps.map((s) => s.value);
        yield isArray ? values : Object.fromEntries(entries.map(([key], i) => [key, values[i]]));
      }
    },
    sizes.includes(null) ? null : Math.min(...sizes),
  );
}
