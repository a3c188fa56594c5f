// Capsule layers (Sabour, Frosst & Hinton 2017, "Dynamic Routing Between Capsules").
//   squash(s) = s · ‖s‖² / (1 + ‖s‖²) / ‖s‖           short vectors → ~0, long ones → just under 1
//   PrimaryCaps   x [N, H, W, C] → conv2d (numCapsules·capsuleDim filters) → [N, H'·W'·numCapsules, capsuleDim] → squash
//   Capsule       u [N, I, inDim] → û_{j|i} = W_ij u_i with W [I, J, capsuleDim, inDim] → dynamic routing → v [N, J, capsuleDim]
//   CapsuleLength v [N, J, D] → ‖v_j‖ [N, J], the class scores that marginLoss takes
//   CapsuleMask   v [N, J, D] (and labels [N, J]) → [N, J·D] with every capsule but the true (or longest) one zeroed: the decoder's input
// ‖s‖ is computed as sqrt(‖s‖² + ε), so squash and the lengths are smooth at s = 0.
//
// Routing by agreement, r iterations: b_ij = 0; c_i = softmax_j(b_i); s_j = Σ_i c_ij û_{j|i};
// v_j = squash(s_j); b_ij += û_{j|i}·v_j (skipped after the last iteration). Gradients flow
// through every iteration (the routing is an ordinary differentiable function of û, so a float64
// gradient check passes); the paper does not stop them either. Some implementations stop the
// gradient through the logit updates of all but the last iteration, a cheaper approximation.
import { ShapeError } from '../../base/index.js';
import { add, argmax, cast, conv2d, div, expandDims, matmul, mul, oneHot, reshape, softmax, sqrt, square, sum, transpose, type TensorLike, toTensor } from '../../ops/index.js';
import { type Tensor, zeros } from '../../tensor/index.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { ConfigurableLayer, type InputSpec, isShapeList, type LayerArgs, type LayerInput, notBuiltError, type WeightSpec } from '../layer.js';
import { field, is, type OwnOptions, required, weightOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { CallArgs, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import {
  argError, fmt, knownDim, type PaddingMode, requireRank, shapeOf, single, singleShape, sizesField, spatialOutput, weightSpec, who,
} from './common.js';

/** ε under the square root of ‖s‖², so that ‖0‖ has a gradient. */
export const SQUASH_EPSILON = 1e-7;

/** squash(s) = s · ‖s‖² / ((1 + ‖s‖²) · sqrt(‖s‖² + ε)) along `axis`: same direction, length in [0, 1). */
export function squash(s: TensorLike, axis = -1, epsilon = SQUASH_EPSILON): Tensor {
  const t = toTensor('squash', s);
  const norm2 = sum(square(t), axis, true);
  const scale = div(norm2, mul(add(norm2, 1), sqrt(add(norm2, epsilon))));
  return mul(t, scale);
}

/** Options of the {@link PrimaryCaps} layer (`hb.layers.primaryCaps`). */
export interface PrimaryCapsArgs extends LayerArgs {
  /** Capsule channels: numCapsules capsules at every output position. */
  numCapsules: number;
  /** Length of each capsule's vector. */
  capsuleDim: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: PaddingMode;
  biasInitializer?: InitializerIdentifier;
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** The primary capsules: a convolution whose numCapsules·capsuleDim channels are read as vectors and squashed. */
export class PrimaryCaps extends ConfigurableLayer<PrimaryCapsArgs> {
  static override readonly className = 'PrimaryCaps';
  static readonly rank = 2;
  static override readonly options: OwnOptions<PrimaryCapsArgs> = {
    numCapsules: required(field(is.posInt)),
    capsuleDim: required(field(is.posInt)),
    kernelSize: required(sizesField()),
    strides: sizesField(1),
    padding: field(is.oneOf('valid', 'same'), 'valid'),
    ...weightOptions('kernel', 'glorotUniform'),
    ...weightOptions('bias', 'zeros'),
  };
  declare readonly numCapsules: number;
  declare readonly capsuleDim: number;
  declare readonly kernelSize: number[];
  declare readonly strides: number[];
  declare readonly padding: PaddingMode;
  kernel: Variable | null = null;
  bias: Variable | null = null;
  override inputSpec: InputSpec | null = { ndim: 4 };

  /** kernel [kh, kw, C, numCapsules·capsuleDim] and bias [numCapsules·capsuleDim]. */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const shape = singleShape(this, inputShape);
    requireRank(this, shape, 4, '[N, H, W, C]');
    const filters = this.numCapsules * this.capsuleDim;
    return [weightSpec('kernel', [...this.kernelSize, knownDim(this, shape, -1, 'channel count'), filters]), weightSpec('bias', [filters])];
  }

  override build(inputShape: Shape | Shape[]): void {
    const w = this.weightShapes(inputShape);
    const kernelShape = shapeOf(w, 'kernel');
    this.kernel = this.addKeptWeight('kernel', kernelShape);
    this.bias = this.addKeptWeight('bias', shapeOf(w, 'bias'));
    this.inputSpec = { ndim: 4, axes: { [-1]: kernelShape[2] } };
    this.built = true;
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const x = single(this, inputs);
    if (!this.kernel || !this.bias) throw notBuiltError(this);
    // y: [N, H', W', numCapsules·capsuleDim]; channel k·capsuleDim + d is component d of capsule k.
    const y = add(conv2d(x, this.kernel.value, { strides: this.strides, padding: this.padding }), this.bias.value);
    const [n, h, w] = y.shape;
    return squash(reshape(y, [n, h * w * this.numCapsules, this.capsuleDim]));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    requireRank(this, shape, 4, '[N, H, W, C]');
    const [h, w] = spatialOutput(this, shape, { window: this.kernelSize, strides: this.strides, padding: this.padding });
    if (h === null || w === null) throw new ShapeError(`${who(this)}: height and width of ${fmt(shape)} must be known`);
    return [shape[0], h * w * this.numCapsules, this.capsuleDim];
  }
}
registerLayer(PrimaryCaps);

/** Options of the {@link Capsule} layer (`hb.layers.capsule`): capsule count and size, routing iterations. */
export interface CapsuleArgs extends LayerArgs {
  /** Output capsules J (the classes, for DigitCaps). */
  numCapsules: number;
  /** Length of each output capsule's vector. */
  capsuleDim: number;
  /** Routing iterations r (default 3; 1 means plain averaging with c_ij = 1/J). */
  routings?: number;
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
}

/** A fully connected capsule layer with dynamic routing by agreement (DigitCaps in CapsNet); no bias, as in the paper. */
export class Capsule extends ConfigurableLayer<CapsuleArgs> {
  static override readonly className = 'Capsule';
  static override readonly options: OwnOptions<CapsuleArgs> = {
    numCapsules: required(field(is.posInt)),
    capsuleDim: required(field(is.posInt)),
    routings: field(is.posInt, 3),
    ...weightOptions('kernel', 'glorotUniform'),
  };
  declare readonly numCapsules: number;
  declare readonly capsuleDim: number;
  declare readonly routings: number;
  kernel: Variable | null = null;
  override inputSpec: InputSpec | null = { ndim: 3 };

  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const shape = singleShape(this, inputShape);
    requireRank(this, shape, 3, '[N, inCapsules, inDim]');
    const inCaps = knownDim(this, shape, 1, 'number of input capsules');
    const inDim = knownDim(this, shape, 2, 'input capsule length');
    // W: [I, J, D, inDim], one D×inDim transformation per (input, output) capsule pair.
    return [weightSpec('kernel', [inCaps, this.numCapsules, this.capsuleDim, inDim])];
  }

  override build(inputShape: Shape | Shape[]): void {
    const kernelShape = shapeOf(this.weightShapes(inputShape), 'kernel');
    this.kernel = this.addKeptWeight('kernel', kernelShape);
    this.inputSpec = { ndim: 3, axes: { 1: kernelShape[0], 2: kernelShape[3] } };
    this.built = true;
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const u = single(this, inputs);
    if (!this.kernel) throw notBuiltError(this);
    const [n, inCaps, inDim] = u.shape;
    const [J, D] = [this.numCapsules, this.capsuleDim];
    // û: one batched matmul over the I input capsules: [I, J·D, inDim] · [I, inDim, N] → [I, J·D, N] → [N, I, J, D].
    const w = reshape(this.kernel.value, [inCaps, J * D, inDim]);
    const uHat = reshape(transpose(matmul(w, transpose(u, [1, 2, 0])), [2, 0, 1]), [n, inCaps, J, D]);
    return routeByAgreement(uHat, this.routings);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(this, inputShape);
    requireRank(this, shape, 3, '[N, inCapsules, inDim]');
    return [shape[0], this.numCapsules, this.capsuleDim];
  }
}
registerLayer(Capsule);

/** Dynamic routing of predictions û [N, I, J, D] → output capsules v [N, J, D] (see the header). */
export function routeByAgreement(uHat: Tensor, routings: number): Tensor {
  const [n, inCaps, J] = uHat.shape;
  let b: Tensor = zeros([n, inCaps, J], uHat.dtype);
  let v: Tensor | null = null;
  for (let r = 0; r < routings; r++) {
    const c = softmax(b, 2); // coupling coefficients, Σ_j c_ij = 1
    v = squash(sum(mul(expandDims(c, 3), uHat), 1)); // s_j = Σ_i c_ij û_{j|i}: [N, J, D]
    if (r < routings - 1) b = add(b, sum(mul(uHat, expandDims(v, 1)), 3)); // agreement û_{j|i}·v_j
  }
  if (v === null) throw new ShapeError('routeByAgreement: routings must be >= 1');
  return v;
}

/** Options of the {@link CapsuleLength} layer (`hb.layers.capsuleLength`). */
export interface CapsuleLengthArgs extends LayerArgs {
  /** ε under the square root (default 1e-7). */
  epsilon?: number;
}

/** ‖v_j‖ = sqrt(Σ_d v_jd² + ε) over the last axis: capsules [N, J, D] → class scores [N, J]. */
export class CapsuleLength extends ConfigurableLayer<CapsuleLengthArgs> {
  static override readonly className = 'CapsuleLength';
  static override readonly options: OwnOptions<CapsuleLengthArgs> = { epsilon: field(is.nonNegative, SQUASH_EPSILON) };
  declare readonly epsilon: number;
  override inputSpec: InputSpec | null = { minNdim: 2 };

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    return sqrt(add(sum(square(single(this, inputs)), -1), this.epsilon));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return singleShape(this, inputShape).slice(0, -1);
  }
}
registerLayer(CapsuleLength);

/**
 * Masks all capsules but one, for CapsNet's reconstruction decoder: called on [v [N, J, D],
 * labels [N, J]] it keeps the capsules the (one-hot) labels select (training); called on v alone
 * it keeps the longest capsule of each sample (prediction; the choice carries no gradient).
 * Output: the masked capsules flattened, [N, J·D].
 */
export class CapsuleMask extends ConfigurableLayer {
  static override readonly className = 'CapsuleMask';
  static override readonly options = {};

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    const [v, labels] = Array.isArray(inputs) ? inputs : [inputs];
    if (Array.isArray(inputs) && inputs.length > 2) throw argError(this, `expects capsules, or [capsules, labels], got ${inputs.length} inputs`);
    if (v.rank !== 3) throw new ShapeError(`${who(this)}: expected capsules [N, J, D], got ${fmt(v.shape)}`);
    const [n, J, D] = v.shape;
    if (labels && (labels.rank !== 2 || labels.shape[0] !== n || labels.shape[1] !== J)) {
      throw new ShapeError(`${who(this)}: labels ${fmt(labels.shape)} must be [N, J] = ${fmt([n, J])} for capsules ${fmt(v.shape)}`);
    }
    const mask = labels ? cast(labels, v.dtype) : cast(oneHot(argmax(sum(square(v), -1), -1), J), v.dtype);
    return reshape(mul(v, expandDims(mask, -1)), [n, J * D]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = isShapeList(inputShape) ? inputShape[0] : inputShape;
    requireRank(this, shape, 3, '[N, J, D]');
    const [n, J, D] = shape;
    return [n, J === null || D === null ? null : J * D];
  }

}
registerLayer(CapsuleMask);
