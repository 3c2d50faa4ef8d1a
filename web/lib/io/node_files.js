// file:// in Node (routes.js loads this only there): a model saved as a folder holding
// model.json and weights.bin, as TensorFlow.js for Node writes it; loaded from a model.json
// (or its folder) with every weight file its manifest names.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { show } from '../show.js';
import { MAX_MODEL_JSON_BYTES, MAX_WEIGHT_BYTES, artifactsInfo, modelJson } from './limits.js';
import { joinArtifacts, parseLayersJson } from './routes.js';

export async function saveFiles(path, artifacts) {
  if (!path) throw new Error('save: file:// needs a folder, as file://path/to/folder');
  const folder = resolve(path);
  try {
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'model.json'), modelJson(artifacts, 'weights.bin'));
    await writeFile(join(folder, 'weights.bin'), new Uint8Array(artifacts.weightData));
  } catch (error) {
    throw new Error(`save: ${show(`file://${path}`)} could not be written: ${error.message}`);
  }
  return artifactsInfo(artifacts);
}

async function read(file, limit, what) {
  let size;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new Error(`loadLayersModel: ${what} ${show(file)} does not exist`);
  }
  if (size > limit) fail(`${what} ${show(file)} is ${size} bytes; the limit is ${limit}`);
  return readFile(file);
}

export async function loadFiles(path) {
  if (!path) throw new Error('loadLayersModel: file:// needs a model.json, as file://path/to/model.json');
  let file = resolve(path);
  if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'model.json');
  const text = (await read(file, MAX_MODEL_JSON_BYTES, 'model.json')).toString('utf8');
  const { json, paths } = parseLayersJson(text, show(file));
  const parts = [];
  for (const name of paths) parts.push(await read(join(dirname(file), name), MAX_WEIGHT_BYTES, 'the weight file'));
  return joinArtifacts(json, parts);
}
