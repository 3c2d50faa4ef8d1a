// Reading the user's image files before decoding (web/src/playground/images/decode.js):
// which class each file is, which files are skipped and why, what a .zip holds, and the
// memory limit said before anything is decoded. (The decoding itself needs a browser:
// tests/browser/images.test.mjs.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zipSync } from 'fflate';

import { entriesOf, imageLimits, planImport } from '../../web/src/playground/images/decode.js';

const PNG_HEAD = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const entry = (path, bytes = PNG_HEAD) => ({ path, blob: new Blob([bytes]) });
// A File from a folder input: its path relative to the chosen folder.
const folderFile = (path, bytes = PNG_HEAD) => {
  const file = new File([bytes], path.split('/').pop());
  Object.defineProperty(file, 'webkitRelativePath', { value: path });
  return file;
};

test('a folder: the class is the innermost folder; non-images, loose files and system files are told apart', async () => {
  const files = [
    folderFile('pets/cat/a.png'),
    folderFile('pets/cat/b.JPG'),
    folderFile('pets/dog/c.webp'),
    folderFile('pets/dog/notes.txt'),
    folderFile('pets/readme.png'),
    folderFile('pets/dog/.DS_Store'),
    folderFile('pets/__MACOSX/cat/._a.png'),
  ];
  const plan = await planImport(await entriesOf(files));
  assert.deepEqual(plan.classNames, ['cat', 'dog']);
  assert.deepEqual(plan.counts, [2, 1]);
  assert.deepEqual(
    plan.skipped.map((s) => s.path),
    ['pets/dog/notes.txt', 'pets/readme.png'],
  );
  assert.match(plan.skipped[0].reason, /not an image file \(\.txt\); expected PNG, JPEG, WebP, GIF or BMP/);
  assert.match(plan.skipped[1].reason, /no class: put each image in a folder named after its class/);
});

test('a .zip is opened (by name or by its first bytes) and its folders are the classes; a broken one is named', async () => {
  const zip = zipSync({
    'set/a/1.png': PNG_HEAD,
    'set/a/2.png': PNG_HEAD,
    'b/3.gif': PNG_HEAD,
    'set/': new Uint8Array(),
  });
  for (const name of ['set.zip', 'download-7f3e']) {
    const plan = await planImport(await entriesOf([new File([zip], name)]));
    assert.deepEqual(plan.classNames, ['a', 'b'], name);
    assert.deepEqual(plan.counts, [2, 1], name);
  }
  const broken = new File([zip.subarray(0, 40)], 'broken.zip');
  await assert.rejects(entriesOf([broken]), /"broken\.zip": not a \.zip archive that can be opened/);
});

test('a file in a .zip that unpacks to more than 64 MB is named and not unpacked', async () => {
  const zip = zipSync({ 'a/1.png': PNG_HEAD, 'b/2.png': PNG_HEAD, 'a/huge.png': new Uint8Array(65 * 1024 ** 2) });
  assert.ok(zip.length < 1024 ** 2, `the archive itself is small (${zip.length} bytes)`);
  const plan = await planImport(await entriesOf([new File([zip], 'bomb.zip')]));
  assert.deepEqual(plan.counts, [1, 1]);
  assert.deepEqual(plan.skipped, [{ path: 'a/huge.png', reason: 'larger than 64 MB; not opened' }]);
});

test('loose files take their classes from a CSV of file name and label; unlisted files are named', async () => {
  const csv = 'file,label\nx1.png,smile\n"x2.png",frown\nx3.png, smile\n';
  const plan = await planImport([
    entry('labels.csv', csv),
    entry('x1.png'),
    entry('x2.png'),
    entry('x3.png'),
    entry('x4.png'),
  ]);
  assert.deepEqual(plan.classNames, ['frown', 'smile']);
  assert.deepEqual(plan.counts, [1, 2]);
  assert.deepEqual(plan.skipped, [{ path: 'x4.png', reason: 'not listed in the CSV of file names and labels' }]);
  await assert.rejects(
    planImport([entry('labels.csv', 'x1.png\n')]),
    /"labels\.csv" line 1: expected "file name,label"; got "x1\.png"/,
  );
});

test('the memory limit is said with its figures before decoding', () => {
  const small = imageLimits({ size: 28, channels: 1, count: 60000 });
  assert.equal(small.bytesPerImage, 3136);
  assert.equal(small.maxImages, 342392);
  assert.ok(small.fits);
  assert.match(
    small.sentence,
    /At 28×28 grayscale an image takes 3\.1 KB in the engine; its memory holds up to 342,392 of them \(these 60,000: 179\.4 MB\)\./,
  );
  const large = imageLimits({ size: 64, channels: 3, count: 30000 });
  assert.equal(large.bytesPerImage, 49152);
  assert.equal(large.maxImages, 21845);
  assert.equal(large.fits, false);
  assert.match(large.sentence, /At 64×64 RGB an image takes 48 KB/);
});
