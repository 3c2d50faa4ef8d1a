// The user's own data from a CSV file, read in the browser (nothing is uploaded):
// numeric feature columns, one label column (a class, which may be text, or a value),
// header detection, a seeded train/test split. Every problem is reported with the line
// and column it is on.
import { seededRandom, shuffle } from './random.js';
import { show } from '../show.js';

export const MAX_CSV_BYTES = 50 * 1024 * 1024;
const MAX_CLASSES_AUTO = 20;

export class CsvError extends Error {}

function fail(message) {
  throw new CsvError(`CSV: ${message}`);
}

const megabytes = (bytes) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

// Splits text into rows of fields. Handles quoted fields ("a, b", "say ""hi""") and
// \n or \r\n line ends; blank lines are skipped. Each row keeps its 1-based line number.
export function splitCsv(text, delimiter) {
  const rows = [];
  let fields = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0].trim() !== '') rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line += 1;
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else {
      field += ch;
    }
    i += 1;
  }
  if (quoted) fail(`line ${rowLine}: a quoted field is not closed`);
  if (field !== '' || fields.length) endRow();
  return rows;
}

function guessDelimiter(text) {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length]);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 1 ? counts[0][0] : ',';
}

const isNumber = (s) => s.trim() !== '' && Number.isFinite(Number(s));

// options: label (column name or index; default the last column), task ('auto',
// 'classification', 'regression'), header ('auto', true, false), trainRatio, seed,
// delimiter. Returns {columns, features, label, task, classes, inputShape, train, test},
// train and test as {x: Float32Array, y: Float32Array, n}.
export function parseCsv(text, options = {}) {
  const { label, task = 'auto', header = 'auto', trainRatio = 0.8, seed = 1 } = options;
  if (typeof text !== 'string') fail('expected the file contents as text');
  if (text.length > MAX_CSV_BYTES)
    fail(`the text is ${megabytes(text.length)}; the limit is ${megabytes(MAX_CSV_BYTES)}`);
  if (text.trim() === '') fail('the file is empty');
  if (!['auto', 'classification', 'regression'].includes(task))
    fail(`task must be auto, classification or regression; got ${show(task)}`);
  if (!(trainRatio > 0 && trainRatio < 1)) fail(`trainRatio must be between 0 and 1; got ${show(trainRatio)}`);
  const rows = splitCsv(text, options.delimiter ?? guessDelimiter(text));
  if (rows.length === 0) fail('the file holds no rows');

  // A header is a first row with a field that is not a number where the second row has one.
  const hasHeader =
    header === 'auto'
      ? rows.length > 1 && rows[0].fields.some((f, j) => !isNumber(f) && isNumber(rows[1].fields[j] ?? ''))
      : Boolean(header);
  const width = rows[0].fields.length;
  const columns = hasHeader
    ? rows[0].fields.map((f) => f.trim())
    : Array.from({ length: width }, (_, j) => `column ${j + 1}`);
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length < 2) fail(`needs at least 2 data rows; found ${data.length}`);
  if (width < 2) fail('needs at least one feature column and one label column; found one column');

  let labelIndex = width - 1;
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < 0 || label >= width)
      fail(`label column ${show(label)} does not exist; there are ${width} columns (0 to ${width - 1})`);
    labelIndex = label;
  } else if (typeof label === 'string') {
    labelIndex = columns.indexOf(label);
    if (labelIndex < 0) fail(`label column ${show(label)} not found; the columns are ${show(columns)}`);
  }
  const featureIndices = columns.map((_, j) => j).filter((j) => j !== labelIndex);

  for (const row of data) {
    if (row.fields.length !== width)
      fail(
        `line ${row.line} has ${row.fields.length} columns; ${hasHeader ? 'the header has' : 'the first line has'} ${width}`,
      );
    for (const j of featureIndices) {
      const f = row.fields[j];
      if (f.trim() === '') fail(`line ${row.line}, column ${show(columns[j])}: the value is empty`);
      if (!isNumber(f)) fail(`line ${row.line}, column ${show(columns[j])}: ${show(f.trim())} is not a number`);
    }
  }

  const rawLabels = data.map((r) => r.fields[labelIndex].trim());
  rawLabels.forEach(
    (v, i) => v === '' && fail(`line ${data[i].line}, label column ${show(columns[labelIndex])}: the value is empty`),
  );
  const numericLabels = rawLabels.every(isNumber);
  const distinct = [...new Set(rawLabels)];
  let resolvedTask = task;
  if (task === 'auto')
    resolvedTask =
      !numericLabels || (distinct.length <= MAX_CLASSES_AUTO && rawLabels.every((v) => Number.isInteger(Number(v))))
        ? 'classification'
        : 'regression';
  if (resolvedTask === 'regression' && !numericLabels) {
    const i = rawLabels.findIndex((v) => !isNumber(v));
    fail(
      `line ${data[i].line}, label column ${show(columns[labelIndex])}: ${show(rawLabels[i])} is not a number, as regression needs`,
    );
  }
  const classes =
    resolvedTask === 'classification'
      ? distinct.sort((a, b) => (numericLabels ? Number(a) - Number(b) : a.localeCompare(b)))
      : null;
  if (classes && classes.length < 2) fail(`the label column ${show(columns[labelIndex])} holds only one class`);
  const classIndex = classes && new Map(classes.map((c, k) => [c, k]));

  const order = shuffle(
    data.map((_, i) => i),
    seededRandom(seed),
  );
  const nTrain = Math.max(1, Math.min(data.length - 1, Math.round(data.length * trainRatio)));
  const d = featureIndices.length;
  const pack = (indices) => {
    const x = new Float32Array(indices.length * d);
    const y = new Float32Array(indices.length);
    indices.forEach((r, i) => {
      featureIndices.forEach((j, k) => (x[i * d + k] = Number(data[r].fields[j])));
      y[i] = classIndex ? classIndex.get(rawLabels[r]) : Number(rawLabels[r]);
    });
    return { x, y, n: indices.length };
  };
  return {
    columns,
    features: featureIndices.map((j) => columns[j]),
    label: columns[labelIndex],
    task: resolvedTask,
    classes,
    inputShape: [d],
    train: pack(order.slice(0, nTrain)),
    test: pack(order.slice(nTrain)),
  };
}

// Reads a File or Blob chosen by the user, refusing one past the size limit before reading.
export async function readCsvFile(file, options) {
  if (!file || typeof file.size !== 'number') fail('expected a File from a file input');
  if (file.size > MAX_CSV_BYTES)
    fail(
      `${file.name == null ? 'the file' : show(file.name)} is ${megabytes(file.size)}; the limit is ${megabytes(MAX_CSV_BYTES)}`,
    );
  if (file.size === 0) fail('the file is empty');
  return parseCsv(await file.text(), options);
}

// One numeric column of a CSV file, in row order: a time series to forecast.
// options: column (name or index; default the last column whose values are all numbers),
// header ('auto', true, false), delimiter. Returns {columns, numeric (the names of the
// columns whose values are all numbers), column, values: Float64Array}.
export function csvColumn(text, options = {}) {
  const { column, header = 'auto' } = options;
  if (typeof text !== 'string') fail('expected the file contents as text');
  if (text.length > MAX_CSV_BYTES)
    fail(`the text is ${megabytes(text.length)}; the limit is ${megabytes(MAX_CSV_BYTES)}`);
  if (text.trim() === '') fail('the file is empty');
  const rows = splitCsv(text, options.delimiter ?? guessDelimiter(text));
  const hasHeader =
    header === 'auto'
      ? rows.length > 1 && rows[0].fields.some((f, j) => !isNumber(f) && isNumber(rows[1].fields[j] ?? ''))
      : Boolean(header);
  const width = rows[0].fields.length;
  const columns = hasHeader
    ? rows[0].fields.map((f) => f.trim())
    : Array.from({ length: width }, (_, j) => `column ${j + 1}`);
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length < 2) fail(`needs at least 2 data rows; found ${data.length}`);
  for (const row of data)
    if (row.fields.length !== width)
      fail(
        `line ${row.line} has ${row.fields.length} columns; ${hasHeader ? 'the header has' : 'the first line has'} ${width}`,
      );
  const numeric = columns.filter((_, j) => data.every((row) => isNumber(row.fields[j])));
  let index;
  if (column === undefined || column === null || column === '') {
    if (numeric.length === 0) fail(`no column holds only numbers; the columns are ${show(columns)}`);
    index = columns.lastIndexOf(numeric.at(-1));
  } else if (typeof column === 'number') {
    if (!Number.isInteger(column) || column < 0 || column >= width)
      fail(`column ${show(column)} does not exist; there are ${width} columns (0 to ${width - 1})`);
    index = column;
  } else {
    index = columns.indexOf(column);
    if (index < 0) fail(`column ${show(column)} not found; the columns are ${show(columns)}`);
  }
  const values = new Float64Array(data.length);
  data.forEach((row, i) => {
    const f = row.fields[index];
    if (f.trim() === '') fail(`line ${row.line}, column ${show(columns[index])}: the value is empty`);
    if (!isNumber(f)) fail(`line ${row.line}, column ${show(columns[index])}: ${show(f.trim())} is not a number`);
    values[i] = Number(f);
  });
  return { columns, numeric, column: columns[index], values };
}
