// Type declarations for gradients of any computation and variables
// (web/lib/gradients.js), and the optimizers that update variables (web/lib/optimizers.js).
import { Tensor } from './tensor.js';
import type { DataType } from './tensor.js';

/** A tensor whose values an optimizer or assign() changes; tidy() does not dispose it. */
export class Variable extends Tensor {
  readonly name: string;
  trainable: boolean;
  assign(newValue: Tensor): void;
}
export function variable(initialValue: Tensor, trainable?: boolean, name?: string, dtype?: DataType): Variable;
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor;
export function grads(f: (...args: Tensor[]) => Tensor): (args: Tensor[], dy?: Tensor) => Tensor[];
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor };
export function valueAndGrads(
  f: (...args: Tensor[]) => Tensor,
): (args: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] };
export function customGrad(
  f: (...args: any[]) => { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[] },
): (...inputs: Tensor[]) => Tensor;
export type NamedTensorMap = { [name: string]: Tensor };
export function variableGrads(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: NamedTensorMap };

/** An optimizer: a configuration compile() takes, and minimize/applyGradients for variables. */
export class Optimizer {
  readonly type: 'sgd' | 'adam' | 'rmsprop' | 'adagrad' | 'adadelta';
  learningRate?: number;
  minimize(f: () => Tensor, returnCost?: boolean, varList?: Variable[]): Tensor | null;
  computeGradients(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: NamedTensorMap };
  applyGradients(variableGradients: NamedTensorMap | Array<{ name: string; tensor: Tensor }>): void;
  dispose(): void;
}
export const train: {
  sgd(learningRate: number): Optimizer;
  momentum(learningRate: number, momentum: number, useNesterov?: boolean): Optimizer;
  adam(learningRate?: number, beta1?: number, beta2?: number, epsilon?: number): Optimizer;
  rmsprop(learningRate: number, decay?: number, momentum?: number, epsilon?: number): Optimizer;
  adagrad(learningRate: number, initialAccumulatorValue?: number): Optimizer;
  adadelta(learningRate?: number, rho?: number, epsilon?: number): Optimizer;
  /** The class every optimizer is, as tf.train.Optimizer. */
  Optimizer: typeof Optimizer;
};
