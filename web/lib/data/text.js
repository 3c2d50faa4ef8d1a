// Text and sequences as training sets: the text sets made by scripts/build_text.mjs (the
// King James Bible, words of seven languages), a vocabulary of characters, windows of
// running text for a language model, toy sequence tasks and noisy sums of sines, all
// generated with a seed. Every set is {train, test, vocabulary?, task, ...} with
// train/test = {x, y, n} as flat Float32Arrays, like the 2D sets' (toy.js).
import { show } from '../show.js';
import { fail, fetchManifest, fetchPacked, folder } from './packed.js';
import { seededRandom, shuffle } from './random.js';

const SET = 'text';

// manifest.json of a text folder, checked as far as the loaders below read it.
async function textManifest(where) {
  const manifest = await fetchManifest(where, SET);
  if (manifest?.format !== 'text-gzip/1')
    fail(SET, `manifest.json has format ${show(manifest?.format)}; expected "text-gzip/1"`);
  for (const name of ['kjv', 'words'])
    if (typeof manifest[name]?.path !== 'string' || !/^[\w.-]+$/.test(manifest[name].path))
      fail(SET, `manifest.json: ${name}.path is missing or not a plain file name`);
  return manifest;
}

// The built-in text sets from the folder `baseUrl` (the page's data/text/): 'kjv' gives
// the Bible's text (a string); 'words' gives {languages: [{code, name}], words: {code:
// [word]}}. onProgress(f) gets the fraction downloaded.
export async function loadText(name, { baseUrl, onProgress, fetch } = {}) {
  if (name !== 'kjv' && name !== 'words')
    throw new Error(`text set ${show(name)} is unknown; expected "kjv" or "words"`);
  const where = folder(baseUrl, fetch);
  const manifest = await textManifest(where);
  const file = manifest[name];
  let received = 0;
  const raw = await fetchPacked(where, file, SET, (n) => onProgress?.(Math.min(1, (received += n) / file.bytes)));
  const text = new TextDecoder('utf-8').decode(raw);
  if (name === 'kjv') return text;
  return { languages: file.languages, words: JSON.parse(text) };
}

// Tokens and their ids. Id 0 is padding and anything not in the vocabulary (shown as
// UNKNOWN); tokens are characters, or with `words` whole words, numbers and single marks
// of punctuation (joined by a space when decoded). The most frequent `limit` are kept.
export const UNKNOWN = '\u00b7';
const WORD = /\p{L}+(?:['’]\p{L}+)*|\p{N}+|[^\s\p{L}\p{N}]/gu;
export class Vocabulary {
  constructor(tokens, { words = false } = {}) {
    this.tokens = [UNKNOWN, ...tokens];
    this.ids = new Map(tokens.map((t, i) => [t, i + 1]));
    this.words = words;
  }

  static ofCharacters(text, limit = Infinity) {
    return Vocabulary.ofTokens(Array.from(text), limit, false);
  }

  static ofWords(text, limit = Infinity) {
    return Vocabulary.ofTokens(text.match(WORD) ?? [], limit, true);
  }

  // The `limit` most frequent tokens (ties and a full set in code-point order).
  static ofTokens(tokens, limit, words) {
    const counts = new Map();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    let kept = [...counts.keys()];
    if (kept.length > limit) kept = kept.sort((a, b) => counts.get(b) - counts.get(a)).slice(0, limit);
    return new Vocabulary(kept.sort(), { words });
  }

  get size() {
    return this.tokens.length;
  }

  id(token) {
    return this.ids.get(token) ?? 0;
  }

  // A text's tokens (characters, or words and marks).
  split(text) {
    return this.words ? (text.match(WORD) ?? []) : Array.from(text);
  }

  // The ids of a text's tokens.
  encode(text) {
    return this.split(text).map((t) => this.id(t));
  }

  decode(ids) {
    return Array.from(ids, (id) => this.tokens[id] ?? UNKNOWN).join(this.words ? ' ' : '');
  }
}

function checkWhole(name, value, low, high) {
  if (!Number.isInteger(value) || value < low || value > high)
    throw new Error(`${name} must be a whole number from ${low} to ${high}; got ${show(value)}`);
}

// A language model's windows of `steps` characters: x the ids, y the ids one character
// on. Training windows start anywhere in the first (1 - testShare) of the text, test
// windows in the rest, so that no test character was trained on.
export function languageModelSet(
  text,
  { steps = 64, samples = 20000, testSamples = 1000, seed = 1, testShare = 0.1, tokens = 'characters', limit } = {},
) {
  checkWhole('steps', steps, 1, 4096);
  checkWhole('samples', samples, 1, 1e6);
  checkWhole('testSamples', testSamples, 1, 1e6);
  if (tokens !== 'characters' && tokens !== 'words')
    throw new Error(`tokens must be "characters" or "words"; got ${show(tokens)}`);
  const vocabulary =
    tokens === 'words' ? Vocabulary.ofWords(text, limit ?? 5000) : Vocabulary.ofCharacters(text, limit ?? Infinity);
  const ids = Uint32Array.from(vocabulary.encode(text));
  const cut = Math.floor(ids.length * (1 - testShare));
  if (cut - steps - 1 < 1 || ids.length - cut - steps - 1 < 1)
    throw new Error(
      `the text has ${ids.length} characters; windows of ${steps} need at least ${Math.ceil((steps + 2) / Math.min(testShare, 1 - testShare))}`,
    );
  const random = seededRandom(seed);
  const windows = (n, from, to) => {
    const x = new Float32Array(n * steps);
    const y = new Float32Array(n * steps);
    for (let i = 0; i < n; i++) {
      const start = from + Math.floor(random() * (to - from - steps - 1));
      for (let t = 0; t < steps; t++) {
        x[i * steps + t] = ids[start + t];
        y[i * steps + t] = ids[start + t + 1];
      }
    }
    return { x, y, n };
  };
  return {
    task: 'sequence',
    tokens,
    vocabulary,
    steps,
    train: windows(samples, 0, cut),
    test: windows(testSamples, cut, ids.length),
  };
}

// Which language a word is in: x a word's characters' ids padded with 0 to `steps`, y the
// language's index. `testRatio` of each language's words are held out.
export function wordLanguageSet({ languages, words }, { steps = 14, testRatio = 0.2, seed = 1 } = {}) {
  checkWhole('steps', steps, 1, 256);
  const all = languages.map((l) => words[l.code] ?? []);
  const vocabulary = new Vocabulary([...new Set(all.flat().join(''))].sort());
  const random = seededRandom(seed);
  const train = [];
  const test = [];
  all.forEach((list, k) => {
    const held = Math.round(list.length * testRatio);
    list.forEach((word, i) => (i < held ? test : train).push([word.slice(0, steps), k]));
  });
  const pack = (rows) => {
    shuffle(rows, random);
    const x = new Float32Array(rows.length * steps);
    rows.forEach(([word], i) => x.set(vocabulary.encode(word), i * steps));
    return { x, y: Float32Array.from(rows, (r) => r[1]), n: rows.length, words: rows.map((r) => r[0]) };
  };
  return {
    task: 'classification',
    vocabulary,
    steps,
    classes: languages.length,
    classNames: languages.map((l) => l.name),
    train: pack(train),
    test: pack(test),
  };
}

// A classifier's set from labelled texts [{text, label}]: x each text's tokens' ids
// (the first `steps`, 0 after), y its class (classes in order of first appearance).
// `testRatio` of each class is held out.
export function labelledTextSet(rows, { steps = 32, tokens = 'words', limit = 5000, testRatio = 0.2, seed = 1 } = {}) {
  checkWhole('steps', steps, 1, 1024);
  const classNames = [...new Set(rows.map((r) => r.label))];
  const vocabulary =
    tokens === 'words'
      ? Vocabulary.ofWords(rows.map((r) => r.text).join(' '), limit)
      : Vocabulary.ofCharacters(rows.map((r) => r.text).join(''), limit);
  const random = seededRandom(seed);
  const train = [];
  const test = [];
  classNames.forEach((name, k) => {
    const own = rows.filter((r) => r.label === name);
    shuffle(own, random);
    const held = Math.max(1, Math.round(own.length * testRatio));
    own.forEach((r, i) => (i < held ? test : train).push([r.text, k]));
  });
  const pack = (list) => {
    const x = new Float32Array(list.length * steps);
    list.forEach(([text], i) => x.set(vocabulary.encode(text).slice(0, steps), i * steps));
    return { x, y: Float32Array.from(list, (r) => r[1]), n: list.length, texts: list.map((r) => r[0]) };
  };
  return {
    task: 'classification',
    tokens,
    vocabulary,
    steps,
    classes: classNames.length,
    classNames,
    train: pack(train),
    test: pack(test),
  };
}

// Toy sequence tasks. Each reads and writes characters of TASK_SYMBOLS; x and y are ids in
// that vocabulary, y one id per output step (classes per step), except brackets (one
// class: balanced or not).
//   addition  "123+45 " -> "168 ": `level` digits per number, as TF.js' addition example
//   reverse   "3917" -> "7193"; sort "3917" -> "1379": `steps` digits
//   copy      "3917____" -> "____3917": the digits again after a delay of `level` steps
//   parity    "0110" -> "0100": the running parity of the bits so far
//   brackets  "(()(" -> 0, "(())" -> 1: whether the brackets balance
export const SEQUENCE_TASKS = ['addition', 'reverse', 'sort', 'copy', 'parity', 'brackets'];
const TASK_SYMBOLS = '0123456789+ _()';

export function sequenceTaskSet(name, { steps = 8, level = 3, samples = 5000, testSamples = 1000, seed = 1 } = {}) {
  if (!SEQUENCE_TASKS.includes(name))
    throw new Error(`sequence task ${show(name)} is unknown; expected one of ${SEQUENCE_TASKS.join(', ')}`);
  checkWhole('steps', steps, 1, 256);
  checkWhole('level', level, 1, name === 'addition' ? 9 : 64);
  const vocabulary = new Vocabulary([...TASK_SYMBOLS]);
  const random = seededRandom(seed);
  const digit = (n = 10) => String(Math.floor(random() * n));
  const digits = (n) => Array.from({ length: n }, () => digit()).join('');
  const pair = {
    addition: () => {
      const number = () => String(Math.floor(random() * 10 ** (1 + Math.floor(random() * level))));
      const [a, b] = [number(), number()];
      return [`${a}+${b}`.padEnd(2 * level + 1), String(Number(a) + Number(b)).padEnd(level + 1)];
    },
    reverse: () => {
      const s = digits(steps);
      return [s, [...s].reverse().join('')];
    },
    sort: () => {
      const s = digits(steps);
      return [s, [...s].sort().join('')];
    },
    copy: () => {
      const s = digits(steps);
      return [s + '_'.repeat(level), '_'.repeat(level) + s];
    },
    parity: () => {
      const s = Array.from({ length: steps }, () => digit(2)).join('');
      let odd = 0;
      return [s, Array.from(s, (b) => String((odd ^= Number(b)))).join('')];
    },
    brackets: () => {
      // Half balanced (a random walk kept at or above zero that ends at zero); the other
      // half the same brackets shuffled until they do not balance: counting is not enough.
      const even = steps - (steps % 2);
      let s = '';
      let open = 0;
      for (let t = 0; t < even; t++) {
        const close = open > 0 && (open === even - t || random() < 0.5);
        s += close ? ')' : '(';
        open += close ? -1 : 1;
      }
      s += '('.repeat(steps - even);
      if (steps === even && random() < 0.5) return [s, 1];
      const shuffled = [...s];
      do shuffle(shuffled, random);
      while (balanced(shuffled.join('')));
      return [shuffled.join(''), 0];
    },
  }[name];
  const make = (n) => {
    const rows = Array.from({ length: n }, pair);
    const inSteps = rows[0][0].length;
    const outSteps = name === 'brackets' ? 1 : rows[0][1].length;
    const x = new Float32Array(n * inSteps);
    const y = new Float32Array(n * outSteps);
    rows.forEach(([input, output], i) => {
      x.set(vocabulary.encode(input), i * inSteps);
      if (name === 'brackets') y[i] = output;
      else y.set(vocabulary.encode(output), i * outSteps);
    });
    return { x, y, n, inSteps, outSteps };
  };
  const train = make(samples);
  return {
    task: name === 'brackets' ? 'classification' : 'sequence',
    vocabulary,
    classes: name === 'brackets' ? 2 : vocabulary.size,
    steps: train.inSteps,
    outSteps: train.outSteps,
    train,
    test: make(testSamples),
  };
}

function balanced(s) {
  let open = 0;
  for (const c of s) if ((open += c === '(' ? 1 : -1) < 0) return false;
  return open === 0;
}

// A time series to forecast: a sum of sines with a trend and noise (or `values` given,
// such as a CSV column), cut into windows of `steps` values, each to predict the value
// after it. Values are scaled to mean 0 and deviation 1 (`scale` says how to undo it).
// The last testShare of the series is held out.
export function seriesSet({ values = null, steps = 32, length = 4000, noise = 0.1, seed = 1, testShare = 0.2 } = {}) {
  checkWhole('steps', steps, 1, 1024);
  const random = seededRandom(seed);
  const series = values
    ? Float64Array.from(values)
    : Float64Array.from({ length }, (_, t) => {
        const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
        return Math.sin(t / 8) + 0.5 * Math.sin(t / 3.1 + 1) + 0.3 * Math.sin(t / 29) + t / length + noise * gaussian;
      });
  if (series.some((v) => !Number.isFinite(v))) throw new Error('the series holds a value that is not a finite number');
  const cut = Math.floor(series.length * (1 - testShare));
  if (cut <= steps + 1 || series.length - cut <= steps + 1)
    throw new Error(
      `the series has ${series.length} values; windows of ${steps} need at least ${Math.ceil((steps + 2) / testShare)}`,
    );
  const mean = series.reduce((a, b) => a + b, 0) / series.length;
  const deviation = Math.sqrt(series.reduce((a, b) => a + (b - mean) ** 2, 0) / series.length) || 1;
  const scaled = Float32Array.from(series, (v) => (v - mean) / deviation);
  const windows = (from, to) => {
    const n = to - from - steps;
    const x = new Float32Array(n * steps);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x.set(scaled.subarray(from + i, from + i + steps), i * steps);
      y[i] = scaled[from + i + steps];
    }
    return { x, y, n };
  };
  return {
    task: 'regression',
    steps,
    series: scaled,
    scale: { mean, deviation },
    train: windows(0, cut),
    test: windows(cut, series.length),
  };
}
