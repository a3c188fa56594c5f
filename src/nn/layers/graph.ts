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
import { notBuiltError, isShapeList, type LayerInput } from '../layer.js';
import type { OwnOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import type { CallArgs, Shape } from '../types.js';
import { UnitsLayer, type UnitsArgs, unitsOptions } from './biased.js';
import { argError, fmt, who } from './common.js';

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
export type GraphConvArgs = UnitsArgs;

/** One graph convolution f(Â X W + b); call it on [features, normalised adjacency]. */
export class GraphConv extends UnitsLayer {
  static override readonly className = 'GraphConv';
  static override readonly options: OwnOptions<GraphConvArgs> = unitsOptions;

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

  /** The features [..., F] of [X, Â]. */
  protected featureShape(inputShape: Shape | Shape[]): Shape {
    return this.shapes(inputShape)[0];
  }

  override call(inputs: LayerInput, _args: CallArgs): Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw argError(this, 'expects two inputs [features, adjacency]');
    const [x, a] = inputs;
    this.shapes([[...x.shape], [...a.shape]]);
    if (!this.kernel) throw notBuiltError(this);
    // Â (X W): the cheaper order when units < F, and the same result.
    return this.finish(matmul(a, matmul(x, this.kernel.value)));
  }
}
registerLayer(GraphConv);
