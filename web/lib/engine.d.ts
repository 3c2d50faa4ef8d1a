// Types of engine.js and backends.js' engineCount: loading the engine, its workers, its failure.

export interface ReadyOptions {
  /** Run the engine in a module Web Worker. Default: true in browsers, false in Node. */
  worker?: boolean;
  /** Folder URL holding dl_engine_es.mjs and its .wasm (browsers). Default: "engine/" beside the page. */
  engineUrl?: string;
  /** URL of the worker module, when the default bundled one is not wanted. */
  workerUrl?: string | URL;
  /** Folder holding dl_engine.js and dl_engine.wasm (Node). */
  engineDir?: string;
  /** Use the SIMD build (true) or the plain one (false); by default the runtime is asked. */
  simd?: boolean;
  /** Engines fit may use: 'auto' (one per core, at most 8; browsers' default) or a number (Node's default: 1). */
  workers?: 'auto' | number;
  /** In a browser with SIMD: the smaller engine without the sequence layers (a tutorial's first widget). Default false. */
  lite?: boolean;
}

/** Loads the engine; resolves with where it runs, whether it uses SIMD and how many engines fit may use. Calls made before it wait for it. */
export function ready(options?: ReadyOptions): Promise<{ mode: 'worker' | 'local'; simd: boolean; workers: number }>;
/** Changes the number of engines fit may use ('auto' or a number), keeping models and tensors; resolves with the number started. */
export function setWorkers(workers: 'auto' | number): Promise<number>;
/** The engines `workers` stands for on a machine of `cores` cores. */
export function engineCount(workers: 'auto' | number | undefined, cores: number | undefined): number;
/** Calls `listener(error)` when the engine stops (its worker dies or it traps). */
export function onEngineFailure(listener: (error: Error) => void): void;
/** Starts a fresh engine with the options ready() had; the old one's models and tensors are gone. */
export function restart(): Promise<{ mode: 'worker' | 'local'; simd: boolean; workers: number }>;
/** The whole engine where ready({ lite: true }) loaded the smaller one: a restart without lite (the old models and tensors are gone). */
export function wholeEngine(): Promise<{ mode: 'worker' | 'local'; simd: boolean; workers: number }>;
/** Makes the engine trap, for tests of recovery. */
export function trapEngineForTesting(): Promise<void>;
/** The options ready() starts from when called without them (the built folder's dl.js sets engineUrl). */
export function setReadyDefaults(options: ReadyOptions): void;

/** Bytes the engine has allocated, and the size of WebAssembly memory. */
export function engineMemory(): Promise<{ heapInUse: number; heapSize: number }>;
