// The search panel's settings as the page's state keeps them and its address writes them:
// the method (grid, random, Bayesian), the trials and epochs per trial, the values to try
// of each parameter as typed (space=learningRate:0.0001..0.1;units:4,64) and the parameter
// whose surrogate the panel draws. Pure data and checks; the panel is panels/tuning.js.
import { show } from '../../lib/layers_api.js';

// The parameters a search may vary: how each is read from its field. A range (low..high)
// is for random and Bayesian search: on a log scale for `log`, rounded for `whole`.
export const SEARCH_PARAMETERS = {
  learningRate: { label: 'learning rate', example: '0.001, 0.1 or 0.0001..0.1', parse: Number, log: true },
  batchSize: { label: 'batch size', example: '16, 64 or 8..128', parse: (v) => Math.round(Number(v)), whole: true },
  units: {
    label: 'units of the first Dense layer',
    example: '8, 32 or 4..64',
    parse: (v) => Math.round(Number(v)),
    whole: true,
  },
  rate: { label: 'dropout rate', example: '0.2, 0.5 or 0..0.5', parse: Number },
  optimizer: { label: 'optimizer', example: 'adam, sgd', parse: (v) => v.trim() },
  l2: { label: 'L2', example: '0, 0.001 or 0.00001..0.01', parse: Number, log: true },
};
export const SEARCH_METHODS = ['grid', 'random', 'bayesian'];

// A field's text as a search space entry: a list of values, or {min, max, log, whole} for
// low..high; {values: null} when empty; or {error}.
export function parseField(name, text, method) {
  const p = SEARCH_PARAMETERS[name];
  const range = /^\s*([^,]+?)\s*\.\.\s*([^,]+?)\s*$/.exec(text);
  if (range && name !== 'optimizer') {
    const [min, max] = [Number(range[1]), Number(range[2])];
    if (!(Number.isFinite(min) && Number.isFinite(max) && max >= min && (!p.log || min > 0)))
      return {
        error: `Search: ${p.label}: a range is low..high with low <= high${p.log ? ', both above 0 (a log scale)' : ''}; got ${show(text)}.`,
      };
    if (method === 'grid')
      return { error: `Search: ${p.label}: a range (${text}) is for random or Bayesian search; a grid takes lists.` };
    return { values: { min, max, ...(p.log && { log: true }), ...(p.whole && { whole: true }) } };
  }
  const values = text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map(p.parse);
  if (values.some((v) => typeof v === 'number' && !Number.isFinite(v)))
    return { error: `Search: ${p.label} must be numbers separated by commas, or low..high; got ${show(text)}.` };
  return { values: values.length ? values : null };
}

// The state's space ({name: text}) as dl.search's, or {error}.
export function searchSpace(texts, method) {
  const space = {};
  for (const name of Object.keys(SEARCH_PARAMETERS)) {
    const { values, error } = parseField(name, texts?.[name] ?? '', method);
    if (error) return { error };
    if (values) space[name] = values;
  }
  if (!Object.keys(space).length) return { error: 'Search: give at least one parameter some values to try.' };
  return { space };
}

// The address's form: name:text pairs joined by ';' ('none' for no values).
function formatSpace(texts) {
  const pairs = Object.entries(texts ?? {}).filter(([, text]) => text.trim());
  return pairs.length ? pairs.map(([name, text]) => `${name}:${text.replace(/\s+/g, '')}`).join(';') : 'none';
}

function parseSpace(key, raw) {
  if (raw === null || raw === 'none' || raw === '') return null;
  if (typeof raw === 'object') raw = formatSpace(raw);
  const texts = {};
  for (const pair of String(raw).split(';')) {
    const [name, text = ''] = pair.split(':');
    if (!Object.hasOwn(SEARCH_PARAMETERS, name))
      throw new Error(
        `${key}: ${show(name)} is not a parameter a search varies; expected name:values with a name of ${Object.keys(SEARCH_PARAMETERS).join(', ')}`,
      );
    const { error } = parseField(name, text, 'random');
    if (error) throw new Error(`${key}: ${error}`);
    texts[name] = text;
  }
  return texts;
}

export const SEARCH_PARAMS = {
  searchMethod: { key: 'search', kind: 'choice', options: SEARCH_METHODS },
  searchTrials: { key: 'trials', kind: 'int', min: 1, max: 500 },
  searchEpochs: { key: 'trialepochs', kind: 'int', min: 1, max: 1000 },
  searchSpace: { key: 'space', kind: 'custom', parse: parseSpace, format: formatSpace },
  // The parameter whose surrogate is drawn: a number, so not the optimizer.
  surrogateOf: {
    key: 'surrogate',
    kind: 'choice',
    options: Object.keys(SEARCH_PARAMETERS).filter((n) => n !== 'optimizer'),
  },
};
export const SEARCH_DEFAULTS = {
  searchMethod: 'grid',
  searchTrials: 8,
  searchEpochs: 5,
  searchSpace: null,
  surrogateOf: 'learningRate',
};
