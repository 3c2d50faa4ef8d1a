// Types of catalog.js: the engine's catalog and the one camelCase <-> snake_case conversion.
import type { LayerConfig } from './index.js';

/** The engine's catalog: layer types with their options, defaults and Keras names, activations, losses, optimizers, schedules, metrics, the seeds' models and the engine's limits. */
export function catalog(): {
  layers: Array<{
    type: string;
    kerasClass: string;
    options: Array<{ name: string; keras: string | null; default: unknown }>;
  }>;
  activations: string[];
  losses: string[];
  optimizers: Array<{ name: string; options: Record<string, number> }>;
  models: Array<{ name: string }>;
  limits: { tensorValues: number };
  [key: string]: unknown;
};
/** A layer type's catalog entry in any spelling (ours or Keras'), or null. */
export function layerSpec(type: string): ReturnType<typeof catalog>['layers'][number] | null;
/** An optimizer's options with their defaults, or null. */
export function optimizerDefaults(name: string): Record<string, number> | null;
/** One of the seeds' models ('mlp', 'cnn', 'regression', ...) as {layers, compile, batchSize, label, data}. */
export function catalogModel(name: string): {
  layers: LayerConfig[];
  compile: Record<string, unknown>;
  batchSize: number;
  label: string;
  data: string;
};
/** "leaky_relu" -> "leakyRelu". */
export function camel(name: string): string;
/** "learningRate" -> "learning_rate", "MaxPooling2D" -> "max_pooling2d" (the engine's rule). */
export function snake(name: string): string;
