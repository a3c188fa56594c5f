// Ops that draw random numbers (from the one seeded generator in base/rng).
import { checkOptions, is, ValueError } from '../base/index.js';
import { type Tensor, randomUniform } from '../tensor/index.js';
import { div, greaterEqual, mul } from './elementwise.js';
import { castTo, toFloat, toTensor, type TensorLike } from './util.js';

/** Options of {@link dropout}: `training`, `seed` and the mask's `noiseShape`. */
export interface DropoutOptions {
  /** Drop only while training (default true for the function; layers pass their mode). */
  training?: boolean;
  seed?: number;
  /** Shape of the mask, broadcast against x (e.g. [N, 1, 1, C] drops whole channels). */
  noiseShape?: readonly number[];
}

/**
 * Inverted dropout: each element is zeroed with probability `rate` and the survivors are scaled
 * by 1/(1 − rate), so the expected value is unchanged and nothing needs scaling at test time.
 */
export function dropout(x: TensorLike, rate: number, options: DropoutOptions = {}): Tensor {
  const { training = true, seed, noiseShape } = checkOptions('dropout', options, { training: is.bool, seed: is.int, noiseShape: is.intArray });
  const t = toFloat('dropout', toTensor('dropout', x));
  if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) throw new ValueError(`dropout: rate must be a number in [0, 1), got ${String(rate)}`);
  if (!training || rate === 0) return t;
  const keep = castTo(greaterEqual(randomUniform(noiseShape ?? t.shape, { seed, dtype: t.dtype }), rate), t.dtype);
  return mul(t, div(keep, 1 - rate));
}
