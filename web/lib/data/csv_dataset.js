// TensorFlow.js' tf.data.csv(source, {hasHeader, columnNames, columnConfigs,
// configuredColumnsOnly, delimiter}): a CSV file as a Dataset of rows. A row is {column:
// value}, or {xs: {...}, ys: {...}} when columnConfigs mark some columns isLabel; numbers
// are read as numbers, other fields stay text; an empty field takes its column's
// `default`, and is refused for a `required` column. The source is a URL (fetched), a
// file:// path in Node, or the text itself given as {text}.
import { show } from '../show.js';
import { MAX_CSV_BYTES, splitCsv } from './csv.js';
import { Dataset } from './dataset.js';

async function readSource(source) {
  if (source && typeof source === 'object' && typeof source.text === 'string') return source.text;
  if (typeof source !== 'string' || !source) throw new Error(`data.csv: expected a URL; got ${show(source)}`);
  if (source.startsWith('file://')) {
    // Node only: a specifier the page's bundler leaves alone.
    const fs = 'node:fs/promises';
    const { readFile } = await import(/* @vite-ignore */ fs);
    return readFile(source.slice('file://'.length), 'utf8').catch((error) => {
      throw new Error(`data.csv: ${show(source)} cannot be read: ${error.message}`);
    });
  }
  const response = await fetch(new URL(source, globalThis.location?.href)).catch((error) => {
    throw new Error(`data.csv: ${show(source)} could not be fetched: ${error.message}`);
  });
  if (!response.ok) throw new Error(`data.csv: ${show(source)} answered ${response.status} ${response.statusText}`);
  const text = await response.text();
  if (text.length > MAX_CSV_BYTES) throw new Error(`data.csv: ${show(source)} is past ${MAX_CSV_BYTES} bytes`);
  return text;
}

class CsvDataset extends Dataset {
  constructor(source, options) {
    const {
      hasHeader = true,
      columnNames,
      columnConfigs = {},
      configuredColumnsOnly = false,
      delimiter = ',',
    } = options ?? {};
    let parsed = null;
    // The header and the rows, read once.
    const load = async () => {
      if (parsed) return parsed;
      const rows = splitCsv(await readSource(source), delimiter);
      const header = hasHeader ? rows.shift()?.fields.map((f) => f.trim()) : null;
      const names = columnNames ?? header;
      if (!names) throw new Error('data.csv: the file has no header (hasHeader: false); give columnNames');
      if (new Set(names).size !== names.length) throw new Error(`data.csv: column names repeat: ${show(names)}`);
      const unknown = Object.keys(columnConfigs).filter((c) => !names.includes(c));
      if (unknown.length)
        throw new Error(
          `data.csv: columnConfigs name columns the file lacks: ${show(unknown)}; its columns are ${show(names)}`,
        );
      parsed = { names, rows };
      return parsed;
    };
    super(async function* () {
      const { names, rows } = await load();
      const kept = configuredColumnsOnly ? names.filter((c) => columnConfigs[c]) : names;
      const labels = kept.filter((c) => columnConfigs[c]?.isLabel);
      for (const { line, fields } of rows) {
        if (fields.length !== names.length)
          throw new Error(`data.csv: line ${line} has ${fields.length} fields; the header has ${names.length}`);
        const row = {};
        for (const name of kept) row[name] = value(fields[names.indexOf(name)], columnConfigs[name], name, line);
        if (!labels.length) yield row;
        else {
          const xs = {};
          const ys = {};
          for (const name of kept) (labels.includes(name) ? ys : xs)[name] = row[name];
          yield { xs, ys };
        }
      }
    });
    this.load = load;
  }

  async columnNames() {
    return (await this.load()).names;
  }
}

// One field as its column's value: a number when it reads as one (or the column's dtype
// says so), else the text; empty: the default, or refused when required.
function value(field, config = {}, name, line) {
  const text = field.trim();
  if (text === '') {
    if (config.default !== undefined) return config.default;
    if (config.required) throw new Error(`data.csv: line ${line} has no value for the required column ${show(name)}`);
    return config.dtype === 'string' ? '' : undefined;
  }
  if (config.dtype === 'string') return field;
  const number = Number(text);
  if (Number.isFinite(number)) return config.dtype === 'int32' ? Math.trunc(number) : number;
  if (config.dtype === 'float32' || config.dtype === 'int32')
    throw new Error(`data.csv: line ${line}, column ${show(name)}: ${show(text)} is not a number`);
  if (config.dtype === 'bool') return ['true', '1'].includes(text.toLowerCase()) ? 1 : 0;
  return field;
}

export const csv = (source, options) => new CsvDataset(source, options);
