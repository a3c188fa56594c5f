// Graph convolution (Kipf & Welling 2017, "Semi-Supervised Classification with Graph
// Convolutional Networks"): H' = f(Â H W + b), with Â = D̃^{-1/2} (A + I) D̃^{-1/2} the
// renormalised adjacency (self-loops added, D̃_ii = Σ_j Ã_ij). Each node mixes its own and its
// neighbours' features, weighted by 1/sqrt(deg_i · deg_j).
//   GraphConv  [X [N, F], Â [N, N]] → [N, units]   (or batched: [B, N, F], [B, N, N] → [B, N, units])
//   kernel W [F, units] (glorotUniform), bias b [units] (zeros)
// With a single graph the node axis plays the batch axis, so hb.input({ shape: [F] }) holds X.
import { ShapeError } from '../../base/index.js';
import { add, div, expandDims, matmul, mul, sqrt, sum, type TensorLike, toTensor } from '../../ops/index.js';
import { eye, type Tensor } from '../../tensor/index.js';
import { type ActivationName, getActivation, normalizeActivation } from '../activations.js';
import type { ConstraintIdentifier } from '../constraints.js';
import type { InitializerIdentifier } from '../initializers.js';
import { ConfigurableLayer, notBuiltError, isShapeList, type LayerArgs, type LayerInput, type WeightSpec } from '../layer.js';
import { is, type OwnOptions, opt, required, weightOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import type { RegularizerIdentifier } from '../regularizers.js';
import type { CallArgs, Config, Shape } from '../types.js';
import type { Variable } from '../variable.js';
import { addParamWeight, shapeOf, weightSpec, argError, boolArg, fmt, intArg, knownDim, weightConfig, weightParams, who, type WeightParams } from './common.js';

/**
 * The renormalised adjacency D̃^{-1/2} (A + I) D̃^{-1/2} of a graph A [N, N] (or a batch
 * [B, N, N]) with non-negative edge weights; every node gets a self-loop, so no degree is 0.
 */
export function normalizeAdjacency(adjacency: TensorLike): Tensor {
  const a = toTensor('normalizeAdjacency', adjacency);
  const n = a.shape[a.rank - 1];
  if (a.rank < 2 || a.shape[a.rank - 2] !== n) throw new ShapeError(`normalizeAdjacency: expected a square adjacency [N, N] or [B, N, N], got ${fmt(a.shape)}`);
  const withSelf = add(a, eye(n, undefined, a.dtype));
  const dInvSqrt = div(1, sqrt(sum(withSelf, -1))); // [..., N]
  return mul(mul(expandDims(dInvSqrt, -1), withSelf), expandDims(dInvSqrt, -2));
}

/** Options of the {@link GraphConv} layer (`hb.layers.graphConv`). */
export interface GraphConvArgs extends LayerArgs {
  units: number;
  activation?: ActivationName | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
}

/** One graph convolution f(Â X W + b); call it on [features, normalised adjacency]. */
export class GraphConv extends ConfigurableLayer {
  static override readonly className = 'GraphConv';
  static override readonly options: OwnOptions<GraphConvArgs> = {
    units: required(is.posInt),
    activation: opt.activation,
    useBias: is.bool,
    ...weightOptions('kernel'),
    ...weightOptions('bias'),
  };
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelParams: WeightParams;
  readonly biasParams: WeightParams;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: GraphConvArgs) {
    super(args);
    this.units = intArg(this, 'units', args.units);
    this.activation = normalizeActivation(args.activation, who(this));
    this.useBias = boolArg(this, 'useBias', args.useBias, true);
    this.kernelParams = weightParams(this, 'kernel', args.kernelInitializer, 'glorotUniform', args.kernelRegularizer, args.kernelConstraint);
    this.biasParams = weightParams(this, 'bias', args.biasInitializer, 'zeros', args.biasRegularizer, args.biasConstraint);
  }

  /** [features shape, adjacency shape], checked: X [N, F] with Â [N, N], or X [B, N, F] with Â [B, N, N]. */
  private shapes(inputShape: Shape | Shape[]): [Shape, Shape] {
    if (!isShapeList(inputShape) || inputShape.length !== 2) {
      throw new ShapeError(`${who(this)}: expects two inputs [features [N, F], adjacency [N, N]], got ${JSON.stringify(inputShape)}`);
    }
    const [x, a] = inputShape;
    const ok = (x.length === 2 && a.length === 2) || (x.length === 3 && a.length === 3);
    const nodes = x[x.length - 2];
    const matches = (d: number | null) => d === null || nodes === null || d === nodes;
    if (!ok || !matches(a[a.length - 1])) {
      throw new ShapeError(`${who(this)}: features ${fmt(x)} and adjacency ${fmt(a)} must be [N, F] and [N, N], or [B, N, F] and [B, N, N]`);
    }
    return [x, a];
  }

  /** kernel [F, units] and bias [units] for features [..., F]. */
  override weightShapes(inputShape: Shape | Shape[]): WeightSpec[] {
    const inDim = knownDim(this, this.shapes(inputShape)[0], -1, 'feature size');
    return [weightSpec('kernel', [inDim, this.units]), ...(this.useBias ? [weightSpec('bias', [this.units])] : [])];
  }

  override build(inputShape: Shape | Shape[]): void {
    const w = this.weightShapes(inputShape);
    this.kernel = addParamWeight(this, 'kernel', shapeOf(w, 'kernel'), this.kernelParams);
    if (this.useBias) this.bias = addParamWeight(this, 'bias', shapeOf(w, 'bias'), this.biasParams);
    this.built = true;
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw argError(this, 'expects two inputs [features, adjacency]');
    const [x, a] = inputs;
    this.shapes([[...x.shape], [...a.shape]]);
    if (!this.kernel) throw notBuiltError(this);
    // Â (X W): the cheaper order when units < F, and the same result.
    let y = matmul(a, matmul(x, this.kernel.value));
    if (this.bias) y = add(y, this.bias.value);
    return getActivation(this.activation)(y);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [x] = this.shapes(inputShape);
    return [...x.slice(0, -1), this.units];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      ...weightConfig('kernel', this.kernelParams),
      ...weightConfig('bias', this.biasParams),
    };
  }

}
registerLayer(GraphConv);
