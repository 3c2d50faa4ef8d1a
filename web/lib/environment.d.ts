// Types of environment.js: TensorFlow.js' flags, backends and version.
/** TensorFlow.js' environment: its flags, backends and version (one engine runs every backend). */
export interface Environment {
  get(name: string): unknown;
  getBool(name: string): boolean;
  getNumber(name: string): number;
  set(name: string, value: unknown): void;
  setFlags(flags: Record<string, unknown>): void;
  getFlags(): Record<string, unknown>;
  reset(): void;
}
export function env(): Environment;
export function getBackend(): string;
export function setBackend(name: 'wasm' | 'cpu' | 'webgl' | 'webgpu' | 'tensorflow'): Promise<boolean>;
export const version: { readonly 'dl-playground': string; readonly tfjs: string };
export function enableProdMode(): void;
export function enableDebugMode(): void;
