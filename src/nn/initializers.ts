/**
 * Weight initializers (`hb.initializers.glorotUniform({ seed: 1 })`, `heNormal`, `orthogonal` …), usable wherever a
 * layer takes `kernelInitializer` or `biasInitializer`.
 * @module
 */
// Weight initializers (Keras's set). The variance-scaling family draws with variance
// scale / n, where n is fan-in, fan-out or their mean, computed as Keras does: a dense kernel
// [in, out] has fanIn = in, fanOut = out; a conv kernel [...k, in, out] multiplies both by the
// receptive field ∏k. Glorot/Xavier is scale 1 over fanAvg, He is scale 2 over fanIn, LeCun
// scale 1 over fanIn. With a seed, an initializer gives the same values on every call;
// without one it draws from the global generator (hb.setSeed).
import { checkOptions, type DType, DTypeError, fmtShape, is, isFloat, sizeOf, ValueError } from '../base/index.js';
import { mul } from '../ops/index.js';
import {
  eye, full, randomNormal as drawNormal, randomUniform as drawUniform, type Tensor, tensor, truncatedNormal as drawTruncated,
} from '../tensor/index.js';
import { type Family, num, resolve, seedOf, serialize } from './serialization.js';
import type { Config, Initializer, Serialized } from './types.js';

/** A seed option: an integer, or null/undefined for the global generator. */
const SEED = is.nullable(is.int);

abstract class BaseInitializer implements Initializer {
  abstract readonly className: string;
  abstract apply(shape: readonly number[], dtype: DType): Tensor;
  getConfig(): Config {
    return {};
  }
}

function requireFloatDType(name: string, shape: readonly number[], dtype: DType): void {
  if (!isFloat(dtype)) throw new DTypeError(`${name}: random initializers make float32 or float64 weights, got ${dtype} for ${fmtShape(shape)}`);
}

/** Initialises every value to 0. */
export class Zeros extends BaseInitializer {
  readonly className = 'Zeros';
  apply(shape: readonly number[], dtype: DType): Tensor {
    return full(shape, 0, dtype);
  }
}

/** Initialises every value to 1. */
export class Ones extends BaseInitializer {
  readonly className = 'Ones';
  apply(shape: readonly number[], dtype: DType): Tensor {
    return full(shape, 1, dtype);
  }
}

/** Initialises every value to `value` (default 0). */
export class Constant extends BaseInitializer {
  readonly className = 'Constant';
  readonly value: number;
  constructor(args: { value?: number } = {}) {
    super();
    const { value = 0 } = checkOptions('Constant', args, { value: is.finite });
    this.value = num('Constant', 'value', value);
  }
  apply(shape: readonly number[], dtype: DType): Tensor {
    return full(shape, this.value, dtype);
  }
  override getConfig(): Config {
    return { value: this.value };
  }
}

/**
 * Options of {@link RandomNormal} and {@link TruncatedNormal}: `mean` (default 0), `stddev` (default 0.05, as Keras)
 * and `seed`.
 */
export interface RandomNormalArgs {
  mean?: number;
  stddev?: number;
  seed?: number | null;
}

/** Samples of N(mean, stddev²). */
export class RandomNormal extends BaseInitializer {
  readonly className: string = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | undefined;
  constructor(args: RandomNormalArgs = {}) {
    super();
    const { mean = 0, stddev = 0.05, seed } = checkOptions('RandomNormal', args, { mean: is.finite, stddev: is.nonNegative, seed: SEED });
    this.mean = num(this.className, 'mean', mean);
    this.stddev = num(this.className, 'stddev', stddev, { min: 0 });
    this.seed = seedOf(this.className, seed);
  }
  apply(shape: readonly number[], dtype: DType): Tensor {
    requireFloatDType(this.className, shape, dtype);
    return drawNormal(shape, { mean: this.mean, std: this.stddev, seed: this.seed, dtype });
  }
  override getConfig(): Config {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null };
  }
}

/** Normal samples redrawn until within two standard deviations of the mean. */
export class TruncatedNormal extends RandomNormal {
  override readonly className = 'TruncatedNormal';
  override apply(shape: readonly number[], dtype: DType): Tensor {
    requireFloatDType(this.className, shape, dtype);
    return drawTruncated(shape, { mean: this.mean, std: this.stddev, seed: this.seed, dtype });
  }
}

/** Options of {@link RandomUniform}: the range [minval, maxval) (default [−0.05, 0.05], as Keras) and `seed`. */
export interface RandomUniformArgs {
  minval?: number;
  maxval?: number;
  seed?: number | null;
}

/** Samples of U(minval, maxval). */
export class RandomUniform extends BaseInitializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | undefined;
  constructor(args: RandomUniformArgs = {}) {
    super();
    const { minval = -0.05, maxval = 0.05, seed } = checkOptions('RandomUniform', args, { minval: is.finite, maxval: is.finite, seed: SEED });
    this.minval = num('RandomUniform', 'minval', minval);
    this.maxval = num('RandomUniform', 'maxval', maxval, { min: this.minval });
    this.seed = seedOf('RandomUniform', seed);
  }
  apply(shape: readonly number[], dtype: DType): Tensor {
    requireFloatDType(this.className, shape, dtype);
    return drawUniform(shape, { min: this.minval, max: this.maxval, seed: this.seed, dtype });
  }
  override getConfig(): Config {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null };
  }
}

/** [fanIn, fanOut] of a weight of `shape`, as Keras computes them. */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  // Conv kernel [...kernel, in, out]: every output sees ∏kernel · in inputs.
  const receptive = sizeOf(shape.slice(0, -2));
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

/** Which fan {@link VarianceScaling} divides by: the inputs, the outputs or their mean. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/** The distribution {@link VarianceScaling} draws from. */
export type ScalingDistribution = 'truncatedNormal' | 'untruncatedNormal' | 'normal' | 'uniform';

/**
 * Options of {@link VarianceScaling}: `scale` (default 1), `mode` (default fanIn), `distribution` (default
 * truncatedNormal) and `seed`.
 */
export interface VarianceScalingArgs {
  scale?: number;
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
  distribution?: ScalingDistribution | 'truncated_normal' | 'untruncated_normal';
  seed?: number | null;
}

const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Draws with variance scale / n. Uniform: limit √(3·scale/n). Truncated normal: the standard
 * deviation is divided by 0.8796…, the std of a unit normal truncated at ±2, so that the
 * truncated samples still have variance scale / n.
 */
export class VarianceScaling extends BaseInitializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Exclude<ScalingDistribution, 'normal'>;
  readonly seed: number | undefined;

  constructor(args: VarianceScalingArgs = {}) {
    super();
    const { scale = 1, mode = 'fanIn', distribution = 'truncatedNormal', seed } = checkOptions('VarianceScaling', args, { scale: is.positive, mode: is.string, distribution: is.string, seed: SEED });
    this.scale = num('VarianceScaling', 'scale', scale);
    if (!(this.scale > 0)) throw new ValueError(`VarianceScaling: scale must be positive, got ${scale}`);
    const m = camel(String(mode));
    if (m !== 'fanIn' && m !== 'fanOut' && m !== 'fanAvg') throw new ValueError(`VarianceScaling: mode must be 'fanIn', 'fanOut' or 'fanAvg', got ${JSON.stringify(mode)}`);
    this.mode = m;
    const d = camel(String(distribution));
    if (d !== 'truncatedNormal' && d !== 'untruncatedNormal' && d !== 'normal' && d !== 'uniform') {
      throw new ValueError(`VarianceScaling: distribution must be 'truncatedNormal', 'untruncatedNormal' or 'uniform', got ${JSON.stringify(distribution)}`);
    }
    this.distribution = d === 'normal' ? 'truncatedNormal' : d;
    this.seed = seedOf('VarianceScaling', seed);
  }

  apply(shape: readonly number[], dtype: DType): Tensor {
    requireFloatDType(this.className, shape, dtype);
    const [fanIn, fanOut] = computeFans(shape);
    const n = Math.max(1, this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2);
    const variance = this.scale / n;
    switch (this.distribution) {
      case 'uniform': {
        const limit = Math.sqrt(3 * variance);
        return drawUniform(shape, { min: -limit, max: limit, seed: this.seed, dtype });
      }
      case 'untruncatedNormal':
        return drawNormal(shape, { std: Math.sqrt(variance), seed: this.seed, dtype });
      case 'truncatedNormal':
        return drawTruncated(shape, { std: Math.sqrt(variance) / 0.87962566103423978, seed: this.seed, dtype });
      default:
        return this.distribution satisfies never;
    }
  }

  override getConfig(): Config {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

/** A named member of the variance-scaling family: only the seed is configurable. */
function scalingPreset(className: string, scale: number, mode: FanMode, distribution: ScalingDistribution) {
  return class extends VarianceScaling {
    override readonly className = className;
    constructor(args: { seed?: number | null } = {}) {
      const { seed } = checkOptions(className, args, { seed: SEED });
      super({ scale, mode, distribution, seed });
    }
    override getConfig(): Config {
      return { seed: this.seed ?? null };
    }
  };
}

/** Glorot/Xavier uniform: U(−l, l), l = √(6 / (fanIn + fanOut)). */
export class GlorotUniform extends scalingPreset('GlorotUniform', 1, 'fanAvg', 'uniform') {}
/** Glorot/Xavier normal: truncated normal with variance 2 / (fanIn + fanOut). */
export class GlorotNormal extends scalingPreset('GlorotNormal', 1, 'fanAvg', 'truncatedNormal') {}
/** He uniform: U(−l, l), l = √(6 / fanIn); for ReLU networks. */
export class HeUniform extends scalingPreset('HeUniform', 2, 'fanIn', 'uniform') {}
/** He normal: truncated normal with variance 2 / fanIn. */
export class HeNormal extends scalingPreset('HeNormal', 2, 'fanIn', 'truncatedNormal') {}
/** LeCun uniform: U(−l, l), l = √(3 / fanIn); for SELU networks. */
export class LecunUniform extends scalingPreset('LecunUniform', 1, 'fanIn', 'uniform') {}
/** LeCun normal: truncated normal with variance 1 / fanIn. */
export class LecunNormal extends scalingPreset('LecunNormal', 1, 'fanIn', 'truncatedNormal') {}

/**
 * A (semi-)orthogonal matrix times `gain`: the weight is seen as [∏shape[:-1], shape[-1]], a
 * normal matrix of the taller orientation is orthonormalised column by column (Gram–Schmidt,
 * which is QR with a positive diagonal in R), and transposed back if the weight is wide.
 */
export class Orthogonal extends BaseInitializer {
  readonly className = 'Orthogonal';
  readonly gain: number;
  readonly seed: number | undefined;
  constructor(args: { gain?: number; seed?: number | null } = {}) {
    super();
    const { gain = 1, seed } = checkOptions('Orthogonal', args, { gain: is.finite, seed: SEED });
    this.gain = num('Orthogonal', 'gain', gain);
    this.seed = seedOf('Orthogonal', seed);
  }

  apply(shape: readonly number[], dtype: DType): Tensor {
    requireFloatDType(this.className, shape, dtype);
    if (shape.length < 2) throw new ValueError(`Orthogonal: needs a weight of rank >= 2, got ${fmtShape(shape)}`);
    const rows = sizeOf(shape.slice(0, -1));
    const cols = shape[shape.length - 1];
    const n = Math.max(rows, cols);
    const m = Math.min(rows, cols);
    // a: [n, m] row-major; its m columns become orthonormal.
    const a = drawNormal([n, m], { seed: this.seed, dtype: 'float64' }).dataSync() as Float64Array;
    for (let j = 0; j < m; j++) {
      // Two passes of modified Gram–Schmidt keep the columns orthogonal to machine precision.
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k < j; k++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += a[i * m + j] * a[i * m + k];
          for (let i = 0; i < n; i++) a[i * m + j] -= dot * a[i * m + k];
        }
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += a[i * m + j] ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) a[i * m + j] /= norm;
    }
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[r * cols + c] = this.gain * (rows >= cols ? a[r * m + c] : a[c * m + r]);
    }
    return tensor(out, shape, dtype);
  }

  override getConfig(): Config {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

/** gain · I for a 2-D weight (rectangular: ones on the main diagonal). */
export class Identity extends BaseInitializer {
  readonly className = 'Identity';
  readonly gain: number;
  constructor(args: { gain?: number } = {}) {
    super();
    const { gain = 1 } = checkOptions('Identity', args, { gain: is.finite });
    this.gain = num('Identity', 'gain', gain);
  }
  apply(shape: readonly number[], dtype: DType): Tensor {
    if (shape.length !== 2) throw new ValueError(`Identity: needs a 2-D weight, got ${fmtShape(shape)}`);
    const i = eye(shape[0], shape[1], dtype);
    return this.gain === 1 ? i : mul(i, this.gain);
  }
  override getConfig(): Config {
    return { gain: this.gain };
  }
}

const family: Family<Initializer> = {
  kind: 'initializer',
  classes: {
    Zeros: () => new Zeros(),
    Ones: () => new Ones(),
    Constant: (c) => new Constant(c as { value?: number }),
    RandomNormal: (c) => new RandomNormal(c as RandomNormalArgs),
    RandomUniform: (c) => new RandomUniform(c as RandomUniformArgs),
    TruncatedNormal: (c) => new TruncatedNormal(c as RandomNormalArgs),
    VarianceScaling: (c) => new VarianceScaling(c as VarianceScalingArgs),
    GlorotUniform: (c) => new GlorotUniform(c as { seed?: number }),
    GlorotNormal: (c) => new GlorotNormal(c as { seed?: number }),
    HeUniform: (c) => new HeUniform(c as { seed?: number }),
    HeNormal: (c) => new HeNormal(c as { seed?: number }),
    LecunUniform: (c) => new LecunUniform(c as { seed?: number }),
    LecunNormal: (c) => new LecunNormal(c as { seed?: number }),
    Orthogonal: (c) => new Orthogonal(c as { gain?: number; seed?: number }),
    Identity: (c) => new Identity(c as { gain?: number }),
  },
  // Keras's short names: 'uniform' and 'normal' are its RandomUniform/RandomNormal; the Xavier
  // names are the Glorot ones.
  aliases: { Uniform: 'RandomUniform', Normal: 'RandomNormal', Zero: 'Zeros', One: 'Ones', XavierUniform: 'GlorotUniform', XavierNormal: 'GlorotNormal' },
};

/** The initializers' names, as `kernelInitializer: 'heNormal'` accepts them (Keras's snake_case names work too). */
export type InitializerName =
  | 'zeros' | 'ones' | 'constant' | 'randomNormal' | 'randomUniform' | 'truncatedNormal' | 'varianceScaling'
  | 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'lecunUniform' | 'lecunNormal' | 'orthogonal' | 'identity';

/** What a layer accepts for an initializer: a name, `{ className, config }`, or an instance. */
export type InitializerIdentifier = InitializerName | (string & {}) | Serialized | Initializer;

/** The initializer for a name ('glorotUniform', 'glorot_uniform', 'GlorotUniform'), a saved config or an instance. */
export function getInitializer(id: InitializerIdentifier, where = 'getInitializer'): Initializer {
  return resolve(family, id, where);
}

/** An initializer as `{ className, config }`, as saved in model.json. */
export function serializeInitializer(init: Initializer): { className: string; config: Config } {
  return serialize(init);
}

// Factories, as `hb.initializers.glorotUniform({ seed: 1 })`.
/** All zeros (the default bias initializer). */
export const zeros = (): Zeros => new Zeros();
/** All ones. */
export const ones = (): Ones => new Ones();
/** Every value `value`: `constant(0.1)` or `constant({ value: 0.1 })`. */
export const constant = (args: { value?: number } | number = {}): Constant => new Constant(typeof args === 'number' ? { value: args } : args);
/** Samples of N(mean, stddev²). */
export const randomNormal = (args?: RandomNormalArgs): RandomNormal => new RandomNormal(args);
/** Samples of U(minval, maxval). */
export const randomUniform = (args?: RandomUniformArgs): RandomUniform => new RandomUniform(args);
/** Normal samples redrawn until within two standard deviations. */
export const truncatedNormal = (args?: RandomNormalArgs): TruncatedNormal => new TruncatedNormal(args);
/** Samples with variance scale / fan (the general form of Glorot, He and LeCun). */
export const varianceScaling = (args?: VarianceScalingArgs): VarianceScaling => new VarianceScaling(args);
/** Glorot/Xavier uniform (the default kernel initializer): U(−l, l), l = √(6 / (fanIn + fanOut)). */
export const glorotUniform = (args?: { seed?: number }): GlorotUniform => new GlorotUniform(args);
/** Glorot/Xavier normal: truncated normal with variance 2 / (fanIn + fanOut). */
export const glorotNormal = (args?: { seed?: number }): GlorotNormal => new GlorotNormal(args);
/** He uniform, for ReLU networks: U(−l, l), l = √(6 / fanIn). */
export const heUniform = (args?: { seed?: number }): HeUniform => new HeUniform(args);
/** He normal, for ReLU networks: truncated normal with variance 2 / fanIn. */
export const heNormal = (args?: { seed?: number }): HeNormal => new HeNormal(args);
/** LeCun uniform, for SELU networks: U(−l, l), l = √(3 / fanIn). */
export const lecunUniform = (args?: { seed?: number }): LecunUniform => new LecunUniform(args);
/** LeCun normal: truncated normal with variance 1 / fanIn. */
export const lecunNormal = (args?: { seed?: number }): LecunNormal => new LecunNormal(args);
/** A random orthogonal matrix times `gain` (Saxe et al. 2014), for recurrent kernels. */
export const orthogonal = (args?: { gain?: number; seed?: number }): Orthogonal => new Orthogonal(args);
/** `gain` · I for a 2-D weight. */
export const identity = (args?: { gain?: number }): Identity => new Identity(args);
