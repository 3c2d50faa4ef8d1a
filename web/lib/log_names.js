// The names training logs go by. The engine names a metric by its canonical name
// ("accuracy", "mae", "mse"; multi-output: "<output>_accuracy"); a program sees what
// TensorFlow.js writes for the spelling it compiled with: "accuracy" and "acc" are "acc",
// "crossentropy" and "ce" are "ce", any other name is kept as written ("MSE" stays
// "MSE"), each with "val_" for validation and "<output>_" per output of several. Keras'
// spellings ("val_accuracy") are still taken where a program names a log (early
// stopping's monitor, a search's metric).
import { catalog, catalogLoaded, snake } from './catalog.js';

// The engine's metrics (engine/train/metrics.cpp), its canonical name first.
const BEFORE_LOADING = [
  ['accuracy', 'acc'],
  ['mae', 'mean_absolute_error'],
  ['mse', 'mean_squared_error'],
];

// The engine's name of a metric ("acc" is "accuracy"); an unknown one is left for the
// engine to refuse, naming the ones it knows.
export function engineMetric(name) {
  // (TensorFlow.js' "MSE" and "MAE" are "mse" and "mae".)
  const key = /^[A-Z]+$/.test(name) ? name.toLowerCase() : name;
  // Before the engine has loaded (a program's metricsNames right after compile): its names.
  const known = catalogLoaded() ? catalog().metrics : BEFORE_LOADING;
  const entry = known.find((names) => names.includes(key) || names.includes(snake(key)));
  return entry ? entry[0] : name;
}

// TensorFlow.js' log name of a metric as compiled.
export function tfjsMetric(name) {
  if (name === 'accuracy' || name === 'acc') return 'acc';
  if (name === 'crossentropy' || name === 'ce') return 'ce';
  return name;
}

// A compiled config's log names, in TensorFlow.js' metricsNames order, as the engine
// writes them (`engine`) and as a program reads them (`names`). metrics: a list of names,
// or (several outputs) a list per output; outputNames: the outputs' names then.
export function logNaming(metrics = [], outputNames = null) {
  const engine = ['loss'];
  const names = ['loss'];
  if (outputNames && outputNames.length > 1) {
    for (const n of outputNames) {
      engine.push(`${n}_loss`);
      names.push(`${n}_loss`);
    }
    outputNames.forEach((n, k) => {
      for (const m of metrics[k] ?? []) {
        engine.push(`${n}_${engineMetric(m)}`);
        names.push(`${n}_${tfjsMetric(m)}`);
      }
    });
  } else {
    for (const m of metrics) {
      engine.push(engineMetric(m));
      names.push(tfjsMetric(m));
    }
  }
  const toProgram = new Map(engine.map((e, i) => [e, names[i]]));
  const toEngine = new Map(names.map((n, i) => [n, engine[i]]));
  // A name of the engine's own spelling (Keras': "accuracy") is taken too.
  for (const e of engine) if (!toEngine.has(e)) toEngine.set(e, e);
  const prefixed = (map, key) => {
    const val = key.startsWith('val_');
    const rest = val ? key.slice(4) : key;
    return map.has(rest) ? `${val ? 'val_' : ''}${map.get(rest)}` : null;
  };
  return {
    engine,
    names,
    // logs (or a history) with the program's names; keys it does not know are kept.
    rename(logs) {
      const out = {};
      for (const [k, v] of Object.entries(logs ?? {})) out[prefixed(toProgram, k) ?? k] = v;
      return out;
    },
    // A log name a program gave (either spelling) as the engine writes it, or null.
    engineName: (name) => prefixed(toEngine, String(name)),
  };
}

// A log's value by either spelling of its name ("val_accuracy" finds "val_acc" and back).
export function logValue(logs, name) {
  if (!logs) return undefined;
  if (name in logs) return logs[name];
  const m = /^(val_)?(.*?)(accuracy|acc)$/.exec(name);
  if (!m) return undefined;
  const other = `${m[1] ?? ''}${m[2]}${m[3] === 'acc' ? 'accuracy' : 'acc'}`;
  return logs[other];
}

// TensorFlow.js' spelling of a log name given in Keras' ("val_accuracy" is "val_acc").
export const tfjsLogName = (name) => String(name).replace(/(^|_)accuracy$/, '$1acc');
