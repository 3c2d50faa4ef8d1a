// The user's own texts: running text for a language model (pasted, or a .txt file) and
// labelled texts for a classifier (a CSV of text,label). Read with their limits checked
// before anything changes, kept in this browser's IndexedDB under a name (never
// uploaded), listed, exported as the file they came from, deleted.
import { io, show } from '../../lib/layers_api.js';

const DB_NAME = 'dl-playground-texts';
const STORE = 'texts';
export const MAX_TEXT_BYTES = 4 << 20;
export const MIN_TEXT_CHARACTERS = 200;
export const MAX_ROWS = 100000;
export const LIMITS = `UTF-8 text of ${MIN_TEXT_CHARACTERS} characters to ${MAX_TEXT_BYTES >> 20} MB; labelled texts as a CSV with a text and a label column (2 classes or more, 2 rows of each or more)`;

const withStore = (mode, action) => io.withStore(DB_NAME, STORE, mode, action);

export function checkTextName(name) {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!trimmed || trimmed.length > 100) throw new Error('a text’s name must be 1 to 100 characters');
  return trimmed;
}

// The text of a file's bytes, or an error that says what is wrong with them.
export function decodeText(bytes, what = 'the file') {
  if (bytes.length === 0) throw new Error(`${what} is empty`);
  if (bytes.length > MAX_TEXT_BYTES)
    throw new Error(
      `${what} is ${(bytes.length / 1048576).toFixed(1)} MB; a text may be at most ${MAX_TEXT_BYTES >> 20} MB`,
    );
  const zero = bytes.indexOf(0);
  if (zero >= 0) throw new Error(`${what} is not text: it holds a zero byte (at byte ${zero}), as binary files do`);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${what} is not UTF-8 text; save it as UTF-8 and try again`);
  }
  const controls = (text.match(/[\u0001-\u0008\u000e-\u001f\u007f]/g) ?? []).length;
  if (controls > text.length / 100)
    throw new Error(`${what} is not text: ${controls} of its ${text.length} characters are control characters`);
  return text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
}

// Running text for a language model: long enough to cut into windows.
export function checkRunningText(text, what = 'the text') {
  const length = [...text.trim()].length;
  if (length < MIN_TEXT_CHARACTERS)
    throw new Error(`${what} has ${length} characters; a language model needs at least ${MIN_TEXT_CHARACTERS}`);
  return text;
}

// The rows of a CSV of text,label ([{text, label}]): the first two columns, quoted as
// RFC 4180 writes them; a first row "text,label" is a header.
export function parseLabelledCsv(text, what = 'the CSV') {
  const rows = [];
  let field = '';
  let row = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error(`${what} ends inside a quoted field (a " is not closed)`);
  if (field !== '' || row.length) rows.push([...row, field]);
  const kept = rows.filter((r) => r.some((f) => f.trim() !== ''));
  if (kept.length && /^text$/i.test(kept[0][0]?.trim()) && /^label$/i.test(kept[0][1]?.trim())) kept.shift();
  const bad = kept.findIndex((r) => r.length < 2 || r[0].trim() === '' || r[1].trim() === '');
  if (bad >= 0)
    throw new Error(
      `${what}: row ${bad + 1} is ${show(kept[bad].join(','))}; each row needs a text and a label: text,label`,
    );
  if (kept.length > MAX_ROWS) throw new Error(`${what} has ${kept.length} rows; at most ${MAX_ROWS}`);
  const result = kept.map((r) => ({ text: r[0].trim(), label: r[1].trim() }));
  const counts = new Map();
  for (const r of result) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  if (counts.size < 2)
    throw new Error(`${what} has ${counts.size} label${counts.size === 1 ? '' : 's'}; a classifier needs at least 2`);
  const few = [...counts].filter(([, n]) => n < 2).map(([label]) => show(label));
  if (few.length)
    throw new Error(`${what}: label ${few.join(', ')} has one row; each needs 2 (one to train, one to test)`);
  return result;
}

// A File (or Blob with a name) as a text to keep: {name, kind: 'text' | 'labelled', text,
// rows?}. A .csv is labelled texts; anything else running text.
export async function readTextFile(file) {
  const what = show(file.name ?? 'the file');
  if (file.size > MAX_TEXT_BYTES)
    throw new Error(
      `${what} is ${(file.size / 1048576).toFixed(1)} MB; a text may be at most ${MAX_TEXT_BYTES >> 20} MB`,
    );
  const text = decodeText(new Uint8Array(await file.arrayBuffer()), what);
  const name = String(file.name ?? 'text').replace(/\.[^.]*$/, '') || 'text';
  if (/\.csv$/i.test(file.name ?? '')) return { name, kind: 'labelled', text, rows: parseLabelledCsv(text, what) };
  return { name, kind: 'text', text: checkRunningText(text, what) };
}

export async function saveText({ name, kind, text }) {
  const key = checkTextName(name);
  await withStore('readwrite', (store) => store.put({ kind, text, savedAt: new Date().toISOString() }, key));
  return key;
}

export async function loadText(name) {
  const record = await withStore('readonly', (store) => store.get(name));
  if (!record) throw new Error(`no text named ${show(name)} is kept in this browser; add one in the Your text panel`);
  return {
    name,
    kind: record.kind,
    text: record.text,
    ...(record.kind === 'labelled' && { rows: parseLabelledCsv(record.text, show(name)) }),
  };
}

// [{name, kind, characters, savedAt}], by name.
export async function listTexts() {
  const entries = [];
  await withStore('readonly', (store) => {
    const request = store.openCursor();
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return;
      const { kind, text, savedAt } = cursor.value;
      entries.push({ name: String(cursor.key), kind, characters: text.length, savedAt });
      cursor.continue();
    };
    return request;
  });
  return entries.sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function deleteText(name) {
  return withStore('readwrite', (store) => store.delete(name));
}
