// The playground's data: loads or generates a data set, describes it (task, classes,
// input shape) and hands out engine tensors for a given label encoding. MNIST is
// downloaded once per page and shared by every playground on it.
import * as dl from '../../lib/layers_api.js';
import { DATA_SETS, REGRESSION_OPTIONS, TOY_OPTIONS } from './state.js';
import { TEXT_WINDOWS, TOY_SAMPLES, WORD_STEPS, sequenceShape } from './sequence_presets.js';
import { ROW_SETTINGS, formatClasses, testRows, trainingRows } from './techniques.js';

// Where each MNIST set is (relative to the page unless set), and its one download.
const mnistFolders = {
  mnist: 'data/mnist-subset/',
  mnistFull: 'data/mnist-full/',
  fashion: 'data/fashion-subset/',
  fashionFull: 'data/fashion-full/',
  text: 'data/text/',
};
const downloads = new Map();
const progressListeners = new Map();

export function setMnistFolder(url, name = 'mnist') {
  mnistFolders[name] = url;
}

// Downloads a set once (an MNIST set, or a text set: 'text/kjv', 'text/words'); every
// caller gets the same promise and progress.
function loadOnce(name, onProgress) {
  if (!progressListeners.has(name)) progressListeners.set(name, new Set());
  const listeners = progressListeners.get(name);
  if (onProgress) listeners.add(onProgress);
  if (!downloads.has(name)) {
    const progress = (f) => listeners.forEach((l) => l(f));
    const [folder, text] = name.split('/');
    const download = (
      text
        ? dl.data.loadText(text, { baseUrl: mnistFolders[folder], onProgress: progress })
        : dl.data.loadMnist({ baseUrl: mnistFolders[name], onProgress: progress })
    ).catch((error) => {
      downloads.delete(name);
      throw error;
    });
    downloads.set(name, download);
  }
  return downloads.get(name).finally(() => listeners.delete(onProgress));
}

// A loaded data set: its description plus the arrays the views need (2D points, test
// images and labels); tensors are made on demand and kept until dispose().
export class DataSet {
  constructor(name, fields) {
    Object.assign(this, { name, ...fields });
    this.cache = new Map();
  }

  // {x, y, xTest, yTest} for a label encoding ('onehot', 'binary', 'index', 'value').
  tensors(target) {
    if (!this.cache.has(target)) {
      // An answer per step: one class index per step.
      const perStep = this.outSteps ? [this.outSteps] : [1];
      const labels = (y, n) => (target === 'onehot' ? dl.oneHot(y, this.classes) : dl.tensor(y, [n, ...perStep]));
      const entry = this.image
        ? {
            x: dl.tensorFromBytes(this.trainImages, [this.trainCount, ...this.imageShape]),
            y: labels(this.trainLabels, this.trainCount),
            xTest: dl.tensorFromBytes(this.testImages, [this.testCount, ...this.imageShape]),
            yTest: labels(this.testLabels, this.testCount),
          }
        : {
            x: dl.tensor(this.train.x, [this.train.n, ...this.inputShape]),
            y: labels(this.train.y, this.train.n),
            xTest: dl.tensor(this.test.x, [this.test.n, ...this.inputShape]),
            yTest: labels(this.test.y, this.test.n),
          };
      this.cache.set(target, entry);
    }
    return this.cache.get(target);
  }

  // The pixels (0..255, imageShape) of test image i.
  testImage(i) {
    return this.testImages.subarray(i * this.pixelCount, (i + 1) * this.pixelCount);
  }

  // How many bytes one image has (height x width x channels).
  get pixelCount() {
    return this.imageShape.reduce((a, b) => a * b, 1);
  }

  get testLabelsArray() {
    return this.image ? this.testLabels : this.test.y;
  }

  get trainLabelsArray() {
    return this.image ? this.trainLabels : this.train.y;
  }

  // Keeps only the rows `rows` of the training (or 'test') set, in their order; a row may
  // repeat: a subset of the classes, an imbalanced or resampled set.
  keepRows(rows, set = 'train') {
    if (this.image) {
      const [images, labels, count] =
        set === 'train' ? ['trainImages', 'trainLabels', 'trainCount'] : ['testImages', 'testLabels', 'testCount'];
      this[images] = dl.data.takeRows(this[images], this.pixelCount, rows);
      this[labels] = dl.data.takeRows(this[labels], 1, rows);
      this[count] = rows.length;
      return;
    }
    const part = this[set];
    const size = part.x.length / part.n;
    this[set] = {
      ...part,
      x: dl.data.takeRows(part.x, size, rows),
      y: dl.data.takeRows(part.y, 1, rows),
      n: rows.length,
      points: part.points && rows.map((r) => part.points[r]),
    };
  }

  // The engine was restarted: its tensors are gone.
  forgetTensors() {
    this.cache.clear();
  }

  dispose() {
    for (const entry of this.cache.values()) Object.values(entry).forEach((t) => t.dispose());
    this.cache.clear();
  }
}

// What the page knows about a data set before loading it (a 2D set's inputs are the
// features the state chooses).
export function describe(name, state = {}) {
  const spec = DATA_SETS[name];
  if (spec.user) return { ...spec, inputShape: null };
  if (spec.image) return { ...spec, inputShape: [28, 28, 1], imageShape: [28, 28, 1] };
  if (spec.planar) return { ...spec, inputShape: [(state.features ?? ['x1', 'x2']).length] };
  if (name === 'regression') return { ...spec, inputShape: [REGRESSION_OPTIONS.inputs] };
  const sequence = sequenceShape(name, state);
  if (sequence) return { ...spec, ...sequence };
  return { ...spec, inputShape: null };
}

// Loads (MNIST), generates (2D and regression) or parses (CSV, given its text) a data set.
export async function loadDataSet(state, options = {}) {
  const data = await loadWhole(state, options);
  // The techniques' training set (some classes, imbalanced or resampled) and test set (the
  // same classes), for classes.
  if (data.task !== 'classification') return data;
  const rows = trainingRows(state, data.trainLabelsArray);
  const tests = testRows(state, data.testLabelsArray);
  const which = state.only ? ` of classes ${formatClasses(state.only)}` : '';
  if (rows?.length === 0)
    throw new Error(`no training samples${which}; the set's classes are 0 to ${data.classes - 1}`);
  if (tests?.length === 0) throw new Error(`no test samples${which}; the set's classes are 0 to ${data.classes - 1}`);
  if (rows) data.keepRows(rows);
  if (tests) data.keepRows(tests, 'test');
  return data;
}

async function loadWhole(state, { onProgress, csv, imageSet, userText } = {}) {
  const name = state.data;
  const spec = describe(name, state);
  if (spec.user) return userImages(spec, state, imageSet);
  if (spec.image) {
    const mnist = await loadOnce(name, onProgress);
    return new DataSet(name, {
      ...spec,
      imageShape: [28, 28, 1],
      trainImages: mnist.train.images,
      trainLabels: mnist.train.labels,
      trainCount: mnist.train.count,
      testImages: mnist.test.images,
      testLabels: mnist.test.labels,
      testCount: mnist.test.count,
    });
  }
  if (spec.text || spec.toy || spec.series) return sequenceData(name, spec, state, { onProgress, userText, csv });
  if (spec.planar) {
    const data = dl.data.toyDataset(name, {
      ...TOY_OPTIONS,
      trainRatio: (state.ratio ?? 100 * TOY_OPTIONS.trainRatio) / 100,
      noise: state.noise,
      seed: state.seed,
      features: state.features ?? ['x1', 'x2'],
    });
    return new DataSet(name, { ...spec, features: data.features, train: data.train, test: data.test });
  }
  if (name === 'regression') {
    const data = dl.data.regressionDataset({ ...REGRESSION_OPTIONS, seed: state.seed });
    return new DataSet(name, { ...spec, train: data.train, test: data.test });
  }
  if (!csv) throw new Error('Choose a CSV file: numeric feature columns and a label column (the last one by default).');
  const data = dl.data.parseCsv(csv.text, { seed: state.seed });
  return new DataSet(name, {
    ...spec,
    label: `${csv.name}: ${data.train.n + data.test.n} rows, features ${data.features.join(', ')}, label ${data.label}`,
    task: data.task,
    classes: data.classes?.length,
    classNames: data.classes,
    inputShape: data.inputShape,
    train: data.train,
    test: data.test,
  });
}

// A sequence set: the text's windows, the words, a toy task or the series.
async function sequenceData(name, spec, state, { onProgress, userText, csv }) {
  let set;
  if (spec.userSeries) {
    set = userSeriesSet(state, csv);
  } else if (spec.userText) {
    set = await userTextSet(spec, state, userText);
  } else if (spec.text === 'kjv') {
    const text = await loadOnce('text/kjv', onProgress);
    set = dl.data.languageModelSet(text, { steps: state.steps, seed: state.seed, ...TEXT_WINDOWS });
  } else if (spec.text === 'wordStyle') {
    const { words } = await loadOnce('text/words', onProgress);
    set = dl.data.languageModelSet(`${words[state.language].join('\n')}\n`, {
      steps: state.steps,
      seed: state.seed,
      ...TEXT_WINDOWS,
    });
  } else if (spec.text === 'words') {
    const words = await loadOnce('text/words', onProgress);
    set = dl.data.wordLanguageSet(words, { steps: WORD_STEPS, seed: state.seed });
  } else if (spec.toy) {
    set = dl.data.sequenceTaskSet(spec.toy, {
      steps: state.steps,
      level: state.level,
      seed: state.seed,
      ...TOY_SAMPLES,
    });
  } else {
    set = dl.data.seriesSet({ steps: state.steps, seed: state.seed, noise: state.noise || 0.1 });
  }
  if (set.vocabulary && !spec.vocabularyVaries && set.vocabulary.size !== spec.vocabulary)
    throw new Error(`the set has ${set.vocabulary.size} symbols; the page expected ${spec.vocabulary}`);
  const shape = sequenceShape(name, state, { vocabulary: set.vocabulary?.size, classes: set.classes });
  return new DataSet(name, {
    ...spec,
    ...shape,
    ...set,
    classNames: set.classNames ?? spec.classNames,
    task: spec.task,
  });
}

// The column of the user's CSV that the state names (or the last numeric one), as windows
// to forecast; the set keeps the file's name and numeric columns for the data panel.
function userSeriesSet(state, csv) {
  if (!csv) throw new Error('Choose a CSV file with a column of numbers in time order.');
  const column = dl.data.csvColumn(csv.text, { column: state.column || undefined });
  const set = dl.data.seriesSet({ values: column.values, steps: state.steps, seed: state.seed });
  return { ...set, fileName: csv.name, column: column.column, columns: column.numeric };
}

// The user's text (the one in hand, or the one kept in this browser under the state's
// name) as a language model's windows or a classifier's samples.
async function userTextSet(spec, state, inHand) {
  if (!state.textName) throw new Error('Choose or add a text in the Your text panel.');
  const { loadText } = await import('./text_store.js');
  const kept = inHand?.name === state.textName ? inHand : await loadText(state.textName);
  const { steps, seed, tokens } = state;
  if (spec.userText === 'text') {
    if (kept.kind !== 'text') throw new Error(`${dl.show(kept.name)} is labelled texts; choose "Your labelled texts"`);
    return dl.data.languageModelSet(kept.text, { steps, seed, tokens, ...TEXT_WINDOWS });
  }
  if (kept.kind !== 'labelled') throw new Error(`${dl.show(kept.name)} is running text; choose "Your text"`);
  return dl.data.labelledTextSet(kept.rows, { steps, tokens, seed });
}

// The user's image set (the one in hand, or the one kept in this browser under the state's
// name) split per class: `ratio` percent of each class for training, the rest for testing.
async function userImages(spec, state, imageSet) {
  if (!state.imageSet) throw new Error('Choose or make an image set in the Your images panel.');
  const { classCounts, loadSet, packPixels } = await import('./images/store.js');
  const set = imageSet?.name === state.imageSet ? imageSet : await loadSet(state.imageSet);
  const counts = classCounts(set);
  const tooFew = set.classNames.filter((_, k) => counts[k] < 2);
  if (set.classNames.length < 2)
    throw new Error(`${dl.show(set.name)} has ${set.classNames.length} class; training needs at least 2`);
  if (tooFew.length)
    throw new Error(
      `class ${tooFew.map((name) => dl.show(name)).join(', ')} of ${dl.show(set.name)} needs at least 2 images (one to train on, one to test)`,
    );
  const random = dl.data.seededRandom(state.seed);
  const train = [];
  const test = [];
  set.classNames.forEach((_, k) => {
    const rows = dl.data.shuffle(
      set.images.filter((i) => i.label === k),
      random,
    );
    const cut = Math.min(rows.length - 1, Math.max(1, Math.round((rows.length * state.ratio) / 100)));
    train.push(...rows.slice(0, cut));
    test.push(...rows.slice(cut));
  });
  // Classes interleaved in the training set (fit's validation split takes its last rows).
  dl.data.shuffle(train, random);
  const imageShape = [set.size, set.size, set.channels];
  return new DataSet('images', {
    ...spec,
    setName: set.name,
    classes: set.classNames.length,
    classNames: [...set.classNames],
    inputShape: imageShape,
    imageShape,
    trainImages: packPixels(set, train),
    trainLabels: Uint8Array.from(train, (i) => i.label),
    trainCount: train.length,
    testImages: packPixels(set, test),
    testLabels: Uint8Array.from(test, (i) => i.label),
    testCount: test.length,
  });
}

// The data set the app's state asks for: loaded once and kept until another is asked for
// (the old one's engine tensors are freed then); a load overtaken by a later choice is dropped.
export async function ensureData(app) {
  const s = app.state;
  const rows = ROW_SETTINGS.map((k) => s[k]);
  const key = JSON.stringify([
    s.data,
    s.noise,
    s.seed,
    s.features,
    s.ratio,
    s.steps,
    s.level,
    s.textName,
    s.tokens,
    s.language,
    s.column,
    app.userText?.serial,
    ...rows,
    app.csv?.serial,
    s.data === 'images' && [s.imageSet, app.imageSet?.serial],
  ]);
  if (app.data && app.dataKey === key) return app.data;
  // The old set's tensors are freed now (nothing trains on them: rebuild stopped it).
  app.data?.dispose();
  app.data = null;
  app.dataKey = null;
  const ticket = (app.dataTicket = (app.dataTicket ?? 0) + 1);
  app.emit('data', { loading: true });
  try {
    const data = await loadDataSet(app.state, {
      csv: app.state.data === 'csv' || app.state.data === 'myseries' ? app.csv : null,
      imageSet: app.imageSet,
      userText: app.userText,
      onProgress: (fraction) => app.emit('download', { fraction }),
    });
    // A later change asked for other data meanwhile: app set is not wanted.
    if (ticket !== app.dataTicket) {
      data.dispose();
      return null;
    }
    app.data = data;
    app.dataKey = key;
    app.emit('data', { loading: false });
    return data;
  } catch (error) {
    app.emit('data', { loading: false, error });
    throw error;
  }
}

// What a loaded set adds to what DATA_SETS knows (a CSV file's task, classes and rows;
// the user's images' classes and size; the user's text's vocabulary and classes).
export function dataInfo(d, state) {
  if (!d || d.name !== state.data) return {};
  if (d.name === 'images') return { classes: d.classes, imageShape: d.imageShape, rows: d.trainCount };
  if (d.vocabularyVaries) return { vocabulary: d.vocabulary.size, classes: d.classes };
  if (d.name !== 'csv') return {};
  return { task: d.task, classes: d.classes, rows: d.train.n };
}

// A CSV file (a File) becomes the app's data set `data` (the table, or a column of it as a
// series); a bad one is refused, with its reason said, before anything changes.
export async function useCsvFile(app, file, data = 'csv') {
  const series = DATA_SETS[data]?.userSeries;
  try {
    // A file too large or empty is refused before it is read (readCsvFile says which).
    if (!(file.size > 0 && file.size <= dl.data.MAX_CSV_BYTES)) await dl.data.readCsvFile(file);
    const text = await file.text();
    const column = series ? dl.data.csvColumn(text).column : dl.data.parseCsv(text) && null;
    app.csv = { name: file.name, text, serial: (app.csv?.serial ?? 0) + 1 };
    await app.update(series ? { data: 'myseries', column } : { data: 'csv' });
  } catch (error) {
    app.say(error.message.startsWith('CSV:') ? error.message : `CSV: ${error.message}`, 'error');
  }
}
