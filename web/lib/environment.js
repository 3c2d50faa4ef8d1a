// TensorFlow.js' environment calls, as programs make them before they start: tf.env() (its
// flags), tf.getBackend()/tf.setBackend(), tf.version, tf.enableProdMode(). One engine
// (C++ in WebAssembly) runs every program here, so each backend TensorFlow.js names is
// accepted and remembered, and the flags say what this engine is.
import { inNode } from './engine_loader.js';
import { show } from './show.js';

// The version of this project (package.json's) and of the TensorFlow.js API it follows.
export const version = Object.freeze({ 'dl-playground': '0.1.0', tfjs: '4.22.0' });

// The backends TensorFlow.js registers; all of them run on this engine.
const BACKENDS = ['wasm', 'cpu', 'webgl', 'webgpu', 'tensorflow'];
let backend = 'wasm';

export const getBackend = () => backend;

// Resolves with true, as TensorFlow.js does once a backend is ready.
export async function setBackend(name) {
  if (!BACKENDS.includes(name))
    throw new Error(
      `setBackend: backend ${show(name)} is not known; expected one of ${BACKENDS.join(', ')} (this engine runs them all)`,
    );
  backend = name;
  return true;
}

// Each flag's value when a program first reads it, unless the program set it.
const FLAGS = {
  IS_BROWSER: () => typeof window !== 'undefined' || typeof WorkerGlobalScope !== 'undefined',
  IS_NODE: () => inNode,
  IS_TEST: () => false,
  PROD: () => false,
  DEBUG: () => false,
  WASM_HAS_SIMD_SUPPORT: () => true,
  WASM_HAS_MULTITHREAD_SUPPORT: () => false,
  WEBGL_VERSION: () => 0,
  EPSILON: () => 1e-7,
};

class Environment {
  constructor() {
    this.flags = {};
  }

  get(name) {
    if (Object.hasOwn(this.flags, name)) return this.flags[name];
    if (!Object.hasOwn(FLAGS, name))
      throw new Error(`env().get: no flag ${show(name)}; expected one of ${Object.keys(FLAGS).join(', ')}`);
    return (this.flags[name] = FLAGS[name]());
  }

  getBool(name) {
    return Boolean(this.get(name));
  }

  getNumber(name) {
    return Number(this.get(name));
  }

  // A flag set by a program (WEBGL_PACK, ...) is kept and read back; it changes nothing here.
  set(name, value) {
    if (typeof name !== 'string' || !name) throw new Error(`env().set: a flag's name is a string; got ${show(name)}`);
    this.flags[name] = value;
  }

  setFlags(flags) {
    for (const [name, value] of Object.entries(flags ?? {})) this.set(name, value);
  }

  getFlags() {
    return { ...this.flags };
  }

  reset() {
    this.flags = {};
  }
}

const environment = new Environment();
export const env = () => environment;
export const enableProdMode = () => environment.set('PROD', true);
export const enableDebugMode = () => environment.set('DEBUG', true);
