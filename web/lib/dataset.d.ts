// Types of data/dataset.js, data/csv_dataset.js and fit_dataset.js: TensorFlow.js'
// tf.data and model.fitDataset / evaluateDataset.
import type { History, Sequential } from './index.js';
import type { Tensor } from './tensor.js';

export class Dataset<T = any> {
  /** How many elements, when known (Infinity for an endless repeat()). */
  readonly size: number | null;
  iterator(): Promise<{ next(): Promise<IteratorResult<T>> }>;
  map<U>(f: (x: T) => U): Dataset<U>;
  mapAsync<U>(f: (x: T) => Promise<U>): Dataset<U>;
  filter(predicate: (x: T) => boolean): Dataset<T>;
  take(n: number): Dataset<T>;
  skip(n: number): Dataset<T>;
  repeat(count?: number): Dataset<T>;
  concatenate(other: Dataset<T>): Dataset<T>;
  shuffle(bufferSize: number, seed?: number, reshuffleEachIteration?: boolean): Dataset<T>;
  batch(batchSize: number, smallLastBatch?: boolean): Dataset<any>;
  prefetch(bufferSize: number): Dataset<T>;
  forEachAsync(f: (x: T) => void | Promise<void>): Promise<void>;
  toArray(): Promise<T[]>;
}
export interface ColumnConfig {
  required?: boolean;
  dtype?: 'float32' | 'int32' | 'bool' | 'string';
  default?: unknown;
  isLabel?: boolean;
}
export interface CsvDataset extends Dataset<Record<string, any>> {
  columnNames(): Promise<string[]>;
}
/** dl.data: TensorFlow.js' Dataset API besides the data sets (MNIST, the 2D sets, CSV files). */
export const data: {
  Dataset: typeof Dataset;
  array<T>(items: T[]): Dataset<T>;
  generator<T>(make: () => Iterator<T> | AsyncIterator<T>): Dataset<T>;
  zip(datasets: Dataset[] | Record<string, Dataset>): Dataset<any>;
  csv(
    source: string | { text: string },
    options?: {
      hasHeader?: boolean;
      columnNames?: string[];
      columnConfigs?: Record<string, ColumnConfig>;
      configuredColumnsOnly?: boolean;
      delimiter?: string;
    },
  ): CsvDataset;
  [name: string]: any;
};
export interface FitDatasetArgs {
  epochs?: number;
  batchesPerEpoch?: number;
  initialEpoch?: number;
  validationData?: Dataset | [Tensor, Tensor];
  validationBatches?: number;
  callbacks?: object | object[];
}
declare module './index.js' {
  interface Sequential {
    fitDataset(dataset: Dataset, args?: FitDatasetArgs): Promise<History>;
    evaluateDataset(dataset: Dataset, args?: { batches?: number }): Promise<Tensor | Tensor[]>;
  }
}
