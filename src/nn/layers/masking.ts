// Masking (Keras): marks time steps whose features all equal maskValue as padding. x [N, T, ...]
// → the same x with masked steps zeroed, and the mask any(x ≠ maskValue, −1) [N, T] attached for
// the layers downstream (recurrent layers skip masked steps; see src/nn/mask.ts).
import { ShapeError } from '../../base/index.js';
import { any, cast, mul, notEqual } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';
import type { LayerArgs, LayerInput } from '../layer.js';
import type { MaskArg } from '../mask.js';
import { field, is, type OwnOptions } from '../options.js';
import { registerLayer } from '../registry.js';
import { ElementwiseLayer } from './activation.js';
import { fmt, single, who } from './common.js';

/** Options of the {@link Masking} layer (`hb.layers.masking`): the `maskValue` (default 0). */
export interface MaskingArgs extends LayerArgs {
  /** Steps whose every feature equals this are masked (default 0). */
  maskValue?: number;
}

/**
 * Masks the time steps of `[N, T, F]` whose features all equal `maskValue`; the mask rides on the output to the layers
 * downstream.
 */
export class Masking extends ElementwiseLayer<MaskingArgs> {
  static override readonly className = 'Masking';
  static override readonly options: OwnOptions<MaskingArgs> = { maskValue: field(is.number, 0) };
  declare readonly maskValue: number;
  override supportsMasking = true;

  /** [N, T, ...] → bool [N, ..., 1 dropped]: a step is real if any feature differs from maskValue. */
  private keepMask(x: Tensor, keepDims: boolean): Tensor {
    if (x.rank < 2) throw new ShapeError(`${who(this)}: expected input [N, T, ...features] (rank >= 2), got ${fmt(x.shape)}`);
    return any(notEqual(x, this.maskValue), -1, keepDims);
  }

  protected map(x: Tensor): Tensor {
    return mul(x, cast(this.keepMask(x, true), x.dtype));
  }

  override computeMask(inputs: LayerInput, _mask: MaskArg): MaskArg {
    return this.keepMask(single(this, inputs), false);
  }
}
registerLayer(Masking);
