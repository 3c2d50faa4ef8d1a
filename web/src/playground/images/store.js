// The user's image sets: what one is, and where it is kept. A set is {name, size,
// channels, classNames, images: [{label, pixels}]}; it lives in this browser's IndexedDB
// under its name (never uploaded), and leaves as a .zip of PNGs in class folders.
import { zipSync } from 'fflate';

import { io, show } from '../../../lib/layers_api.js';

const DB_NAME = 'dl-playground-images';
const STORE = 'sets';
export const MAX_NAME = 100;

const withStore = (mode, action) => io.withStore(DB_NAME, STORE, mode, action);

export function checkSetName(name) {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!trimmed || trimmed.length > MAX_NAME) throw new Error(`an image set's name must be 1 to ${MAX_NAME} characters`);
  return trimmed;
}

export function emptySet(name, { size = 28, channels = 1 } = {}) {
  return { name, size, channels, classNames: [], images: [] };
}

// The index of class `className` in the set, added when new.
export function classIndex(set, className) {
  const name = String(className ?? '').trim();
  if (!name) throw new Error('a class needs a name');
  let k = set.classNames.indexOf(name);
  if (k < 0) {
    k = set.classNames.push(name) - 1;
  }
  return k;
}

// Removes a class and its images; the later classes move down by one.
export function removeClass(set, k) {
  set.classNames.splice(k, 1);
  set.images = set.images.filter((i) => i.label !== k).map((i) => (i.label > k ? { ...i, label: i.label - 1 } : i));
}

export const classCounts = (set) => set.classNames.map((_, k) => set.images.filter((i) => i.label === k).length);

// Some of a set's images, their pixels one after another (n, size, size, channels).
export function packPixels(set, images = set.images) {
  const bytes = set.size * set.size * set.channels;
  const pixels = new Uint8Array(images.length * bytes);
  images.forEach((image, i) => pixels.set(image.pixels, i * bytes));
  return pixels;
}

export async function saveSet(set) {
  const name = checkSetName(set.name);
  const pixels = packPixels(set);
  const record = {
    size: set.size,
    channels: set.channels,
    classNames: [...set.classNames],
    labels: Uint8Array.from(set.images, (i) => i.label),
    pixels,
    savedAt: new Date().toISOString(),
  };
  await withStore('readwrite', (store) => store.put(record, name));
}

export async function loadSet(name) {
  const record = await withStore('readonly', (store) => store.get(name));
  if (!record)
    throw new Error(`no image set named ${show(name)} is kept in this browser; make one in the Your images panel`);
  const bytes = record.size * record.size * record.channels;
  const images = Array.from(record.labels, (label, i) => ({
    label,
    pixels: record.pixels.slice(i * bytes, (i + 1) * bytes),
  }));
  return { name, size: record.size, channels: record.channels, classNames: record.classNames, images };
}

// [{name, count, size, channels, classes, savedAt}], by name.
export async function listSets() {
  const entries = [];
  await withStore('readonly', (store) => {
    const request = store.openCursor();
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return;
      const r = cursor.value;
      entries.push({
        name: String(cursor.key),
        count: r.labels.length,
        size: r.size,
        channels: r.channels,
        classes: r.classNames.length,
        savedAt: r.savedAt,
      });
      cursor.continue();
    };
    return request;
  });
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}

export function deleteSet(name) {
  return withStore('readwrite', (store) => store.delete(name));
}

// One image as PNG bytes (grayscale darkness drawn as the pad shows it: dark on white).
async function pngOf(image, set) {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = set.size;
  const ctx = canvas.getContext('2d');
  const data = ctx.createImageData(set.size, set.size);
  const n = set.size * set.size;
  for (let p = 0; p < n; p++) {
    const [r, g, b] =
      set.channels === 3
        ? [image.pixels[3 * p], image.pixels[3 * p + 1], image.pixels[3 * p + 2]]
        : Array(3).fill(255 - image.pixels[p]);
    data.data.set([r, g, b, 255], 4 * p);
  }
  ctx.putImageData(data, 0, 0);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  return new Uint8Array(await blob.arrayBuffer());
}

// The set as a .zip: <set>/<class>/<class>-<n>.png, the layout the import reads back.
export async function exportZip(set) {
  const files = {};
  const safe = (text) => text.replace(/[\\/:*?"<>|]/g, '_');
  const numbers = set.classNames.map(() => 0);
  for (const image of set.images) {
    const className = safe(set.classNames[image.label]);
    const n = String(++numbers[image.label]).padStart(4, '0');
    files[`${safe(set.name)}/${className}/${className}-${n}.png`] = [await pngOf(image, set), { level: 0 }];
  }
  return new Blob([zipSync(files)], { type: 'application/zip' });
}
