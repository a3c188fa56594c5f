// The chainable methods of Tensor (`a.add(b).relu()`). Declared here, implemented by src/ops,
// which installs them at load time; ops/methods.ts must satisfy this interface exactly.
import type { DType } from '../base/index.js';
import type { TensorLike } from './create.js';
import type { Tensor } from './tensor.js';

type Axis = number | readonly number[];

export interface TensorMethods {
  add(b: TensorLike): Tensor;
  sub(b: TensorLike): Tensor;
  mul(b: TensorLike): Tensor;
  div(b: TensorLike): Tensor;
  pow(b: TensorLike): Tensor;
  mod(b: TensorLike): Tensor;
  maximum(b: TensorLike): Tensor;
  minimum(b: TensorLike): Tensor;
  equal(b: TensorLike): Tensor;
  notEqual(b: TensorLike): Tensor;
  greater(b: TensorLike): Tensor;
  greaterEqual(b: TensorLike): Tensor;
  less(b: TensorLike): Tensor;
  lessEqual(b: TensorLike): Tensor;
  logicalAnd(b: TensorLike): Tensor;
  logicalOr(b: TensorLike): Tensor;
  logicalNot(): Tensor;
  neg(): Tensor;
  abs(): Tensor;
  sign(): Tensor;
  exp(): Tensor;
  log(): Tensor;
  sqrt(): Tensor;
  square(): Tensor;
  reciprocal(): Tensor;
  clip(min: number, max: number): Tensor;
  cast(dtype: DType): Tensor;
  matmul(b: TensorLike, transposeA?: boolean, transposeB?: boolean): Tensor;
  reshape(shape: readonly number[]): Tensor;
  transpose(perm?: readonly number[]): Tensor;
  flatten(startAxis?: number, endAxis?: number): Tensor;
  expandDims(axis?: number): Tensor;
  squeeze(axis?: number | readonly number[]): Tensor;
  slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor;
  gather(indices: TensorLike, axis?: number): Tensor;
  pad(paddings: readonly (readonly [number, number])[], value?: number): Tensor;
  tile(reps: readonly number[]): Tensor;
  broadcastTo(shape: readonly number[]): Tensor;
  sum(axis?: Axis, keepDims?: boolean): Tensor;
  mean(axis?: Axis, keepDims?: boolean): Tensor;
  max(axis?: Axis, keepDims?: boolean): Tensor;
  min(axis?: Axis, keepDims?: boolean): Tensor;
  argmax(axis?: number, keepDims?: boolean): Tensor;
  argmin(axis?: number, keepDims?: boolean): Tensor;
  variance(axis?: Axis, keepDims?: boolean): Tensor;
  logSumExp(axis?: Axis, keepDims?: boolean): Tensor;
  relu(): Tensor;
  sigmoid(): Tensor;
  tanh(): Tensor;
  softmax(axis?: number): Tensor;
  logSoftmax(axis?: number): Tensor;
  leakyRelu(alpha?: number): Tensor;
  elu(alpha?: number): Tensor;
  selu(): Tensor;
  gelu(approximate?: boolean): Tensor;
  softplus(): Tensor;
  clone(): Tensor;
}
