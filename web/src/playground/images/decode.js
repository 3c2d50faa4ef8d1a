// The user's image files into an image set: a folder (one subfolder per class), a .zip of
// the same, or loose files with a CSV of file name and label. First a plan (which files,
// which classes, what is skipped and why, whether they fit) without decoding anything;
// then the decoding, in the browser (createImageBitmap), each image cropped to its centred
// square and resized to the set's size.
//
// Pixels are bytes in the set's layout (height, width, channels): RGB as the file has
// them; grayscale as darkness (0 white, 255 black), as MNIST's digits and the drawing pad
// are held, so that every view draws what the user saw.
import { unzip } from 'fflate';
import { show } from '../../../lib/layers_api.js';

export const IMAGE_SIZES = [28, 32, 64];
const EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp'];
// The engine holds a set as float32: this share of its 2 GB memory is for the images, the
// rest for the model, its gradients and a batch's activations.
export const ENGINE_DATA_BYTES = 1024 ** 3;
export const MAX_CLASSES = 50;

const extension = (path) => (/\.([^./]+)$/.exec(path)?.[1] ?? '').toLowerCase();
const baseName = (path) => path.split('/').pop();
// System files of archives and folders (macOS' __MACOSX, .DS_Store, Thumbs.db): not the
// user's images, left out without a word.
const isSystemFile = (path) =>
  path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX') || /thumbs\.db$/i.test(path);

// What a set of `count` images of `size` x `size` x `channels` takes in the engine, and how
// many fit: {bytesPerImage, maxImages, fits, sentence}.
export function imageLimits({ size, channels, count = 0 }) {
  const bytesPerImage = size * size * channels * 4;
  const maxImages = Math.floor(ENGINE_DATA_BYTES / bytesPerImage);
  const kind = channels === 3 ? 'RGB' : 'grayscale';
  const each =
    bytesPerImage >= 1024 ? `${(bytesPerImage / 1024).toFixed(bytesPerImage % 1024 ? 1 : 0)} KB` : `${bytesPerImage} B`;
  const total = ((count * bytesPerImage) / 1024 ** 2).toFixed(1);
  const sentence =
    `At ${size}×${size} ${kind} an image takes ${each} in the engine; its memory holds up to ` +
    `${maxImages.toLocaleString('en')} of them` +
    (count ? ` (these ${count.toLocaleString('en')}: ${total} MB).` : '.');
  return { bytesPerImage, maxImages, fits: count <= maxImages, sentence };
}

// Whether a file is a .zip archive: by its name, or by its first bytes (a download may
// have lost its name).
async function isZip(file, path) {
  if (extension(path) === 'zip') return true;
  if (EXTENSIONS.includes(extension(path))) return false;
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4;
}

// The user's files (File objects from a file or folder input; a .zip among them is opened)
// as entries {path, blob}.
export async function entriesOf(files) {
  const entries = [];
  for (const file of files) {
    const path = file.webkitRelativePath || file.name;
    if (await isZip(file, path)) entries.push(...(await zipEntries(file, path)));
    else entries.push({ path, blob: file });
  }
  return entries;
}

// An image file larger than this (inside a .zip, as it unpacks) is not opened: no image
// the playground uses needs it, and a crafted archive could fill the memory.
export const MAX_FILE_BYTES = 64 * 1024 ** 2;

async function zipEntries(file, path) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const tooLarge = [];
  const filter = (f) => f.originalSize <= MAX_FILE_BYTES || (tooLarge.push(f.name), false);
  const files = await new Promise((resolve, reject) =>
    unzip(bytes, { filter }, (error, result) =>
      error
        ? reject(new Error(`${show(path)}: not a .zip archive that can be opened (${error.message})`))
        : resolve(result),
    ),
  );
  return [
    ...Object.entries(files)
      .filter(([name]) => !name.endsWith('/'))
      .map(([name, data]) => ({ path: name, blob: new Blob([data]) })),
    ...tooLarge.map((name) => ({ path: name, blob: new Blob([]), tooLarge: true })),
  ];
}

// Reads a CSV of file name and label (a header row is allowed): Map of base name -> label.
async function labelTable(blob, path) {
  const table = new Map();
  const lines = (await blob.text()).split(/\r?\n/).filter((l) => l.trim());
  lines.forEach((line, i) => {
    const [file, label] = line.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
    if (!file || !label) throw new Error(`${show(path)} line ${i + 1}: expected "file name,label"; got ${show(line)}`);
    if (i === 0 && /^(file|filename|file_name|name|image|path)$/i.test(file)) return;
    table.set(baseName(file), label);
  });
  return table;
}

// What the entries would make, before decoding: {items: [{path, blob, className}],
// classNames (sorted), counts (per class), skipped: [{path, reason}]}. A class is the
// folder an image is in (the innermost), or its label in a CSV among the entries.
export async function planImport(entries) {
  const skipped = [];
  const csv = entries.filter((e) => extension(e.path) === 'csv' && !isSystemFile(e.path));
  const labels = new Map();
  for (const e of csv) for (const [file, label] of await labelTable(e.blob, e.path)) labels.set(file, label);
  const items = [];
  for (const e of entries) {
    if (isSystemFile(e.path) || csv.includes(e)) continue;
    if (e.tooLarge || e.blob.size > MAX_FILE_BYTES) {
      skipped.push({ path: e.path, reason: `larger than ${MAX_FILE_BYTES / 1024 ** 2} MB; not opened` });
      continue;
    }
    const ext = extension(e.path);
    if (!EXTENSIONS.includes(ext)) {
      skipped.push({
        path: e.path,
        reason: `not an image file (${ext ? `.${ext}` : 'no extension'}); expected PNG, JPEG, WebP, GIF or BMP`,
      });
      continue;
    }
    const folders = e.path.split('/').slice(0, -1);
    // With a CSV the table names the class; otherwise the folder does (a folder chosen as a
    // whole is the first part of every path, so a class folder is a second one).
    const className = labels.size
      ? labels.get(baseName(e.path))
      : folders.length >= 2 || !e.blob.webkitRelativePath
        ? folders.at(-1)
        : null;
    if (!className) {
      skipped.push({
        path: e.path,
        reason: labels.size
          ? 'not listed in the CSV of file names and labels'
          : 'no class: put each image in a folder named after its class, or add a CSV of file name and label',
      });
      continue;
    }
    items.push({ path: e.path, blob: e.blob, className });
  }
  const classNames = [...new Set(items.map((i) => i.className))].sort();
  const counts = classNames.map((c) => items.filter((i) => i.className === c).length);
  return { items, classNames, counts, skipped };
}

// One image into `size` x `size` x `channels` bytes; throws naming why it cannot be read.
export async function decodeImage(blob, { size, channels }) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch (error) {
    throw new Error(`cannot be decoded as an image (${error.message || error.name})`);
  }
  try {
    return pixelsOf(bitmap, bitmap.width, bitmap.height, { size, channels });
  } finally {
    bitmap.close();
  }
}

let canvas = null;

// Any drawable (a bitmap, a video frame, a canvas) of width x height: its centred square,
// resized to the set's size, as the set's bytes.
export function pixelsOf(source, width, height, { size, channels }) {
  if (!width || !height) throw new Error('is empty (0 pixels)');
  canvas ??= document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  // Transparent pixels count as white (paper), as the pad shows them.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  const side = Math.min(width, height);
  ctx.drawImage(source, (width - side) / 2, (height - side) / 2, side, side, 0, 0, size, size);
  return bytesOf(ctx.getImageData(0, 0, size, size).data, channels);
}

// RGBA bytes -> the set's channels: RGB, or darkness for grayscale.
export function bytesOf(rgba, channels) {
  const n = rgba.length / 4;
  const out = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) {
    if (channels === 3) {
      out[3 * p] = rgba[4 * p];
      out[3 * p + 1] = rgba[4 * p + 1];
      out[3 * p + 2] = rgba[4 * p + 2];
    } else {
      const light = 0.299 * rgba[4 * p] + 0.587 * rgba[4 * p + 1] + 0.114 * rgba[4 * p + 2];
      out[p] = 255 - Math.round(light);
    }
  }
  return out;
}

// Decodes a plan's images: {images: [{label, pixels}], skipped: [{path, reason}]} (the
// plan's skipped files and the ones that failed to decode). onProgress(done, total).
export async function decodePlan(plan, { size, channels, onProgress = () => {} }) {
  const skipped = [...plan.skipped];
  const images = [];
  let done = 0;
  for (const item of plan.items) {
    try {
      images.push({
        label: plan.classNames.indexOf(item.className),
        pixels: await decodeImage(item.blob, { size, channels }),
      });
    } catch (error) {
      skipped.push({ path: item.path, reason: error.message });
    }
    if (++done % 16 === 0 || done === plan.items.length) onProgress(done, plan.items.length);
  }
  return { images, skipped };
}
