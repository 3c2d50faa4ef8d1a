// The JavaScript API on the real WebAssembly build, loaded once per test file, in this
// thread (Node has no worker mode).
import { fileURLToPath } from 'node:url';

import * as dl from '../../web/lib/index.js';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function loadApi() {
  await dl.ready();
  return dl;
}

// Rejects (or throws) an Error whose message matches `pattern`.
export async function rejectsWith(promiseOrFn, pattern) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    if (!(error instanceof Error)) throw new Error(`expected an Error, got ${typeof error}: ${error}`);
    if (!pattern.test(error.message)) throw new Error(`error message "${error.message}" does not match ${pattern}`);
    return;
  }
  throw new Error(`expected an error matching ${pattern}, but the call succeeded`);
}
