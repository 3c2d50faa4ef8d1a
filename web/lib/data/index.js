// Data sets for the playground: MNIST assets, TensorFlow-Playground-style 2D sets and a
// regression task, the user's own CSV files, and imbalance, resampling and balanced class
// weights.
export { DataError, loadMnist } from './mnist.js';
export { CLASSIFICATION_SETS, FEATURES, REGRESSION_SETS, regressionDataset, toyDataset } from './toy.js';
export { CsvError, MAX_CSV_BYTES, csvColumn, parseCsv, readCsvFile, splitCsv } from './csv.js';
export { seededRandom, shuffle } from './random.js';
export { balancedClassWeights, classCounts, classSubset, imbalance, resample, takeRows } from './balance.js';
export {
  SEQUENCE_TASKS,
  UNKNOWN,
  labelledTextSet,
  Vocabulary,
  languageModelSet,
  loadText,
  seriesSet,
  sequenceTaskSet,
  wordLanguageSet,
} from './text.js';
