// SRCNN (Dong, Loy, He & Tang 2014): super-resolution as three convolutions applied to the
// bicubic-upscaled image — patch extraction (9×9, n₁ filters), non-linear mapping (1×1, n₂),
// reconstruction (5×5, 1 channel per input channel). 'same' padding keeps the size, so the model
// maps [N, H, W, C] to [N, H, W, C]. With `residual` (VDSR's global skip, Kim et al. 2016) the
// convolutions predict the missing detail y − x_bicubic and the input is added back; this trains
// much faster and is the default.
import { checkOptions, is } from '../base/index.js';
import { input, model, type Model } from '../model/index.js';
import { layers as nn } from '../nn/index.js';

/** Options of {@link srcnn}: the image shape, and the filters and kernel sizes of its three layers. */
export interface SrcnnOptions {
  /** One image's shape (default [28, 28, 1]; height and width may be null for any size). */
  inputShape?: readonly (number | null)[];
  /** n₁ and n₂ (default [64, 32], the paper's). */
  filters?: readonly [number, number];
  /** f₁, f₂, f₃ (default [9, 1, 5], the paper's 9-1-5). */
  kernelSizes?: readonly [number, number, number];
  /** Add the input to the output (predict the residual). Default true. */
  residual?: boolean;
}

const SPEC = {
  inputShape: (v: unknown) => (Array.isArray(v) && v.length === 3 && v.every((d, i) => (d === null && i < 2) || (Number.isInteger(d) && (d as number) > 0)) ? null : '[height, width, channels] (height and width may be null)'),
  filters: (v: unknown) => (Array.isArray(v) && v.length === 2 && v.every((d) => Number.isInteger(d) && d > 0) ? null : 'two positive integers [n1, n2]'),
  kernelSizes: (v: unknown) => (Array.isArray(v) && v.length === 3 && v.every((d) => Number.isInteger(d) && d > 0 && d % 2 === 1) ? null : 'three odd positive integers [f1, f2, f3]'),
  residual: is.bool,
};

/** SRCNN: bicubic-upscaled image → restored image, the same shape. */
export function srcnn(options: SrcnnOptions = {}): Model {
  const opts = checkOptions('zoo.srcnn', options, SPEC);
  const shape = opts.inputShape ?? [28, 28, 1];
  const [n1, n2] = opts.filters ?? [64, 32];
  const [f1, f2, f3] = opts.kernelSizes ?? [9, 1, 5];
  const x = input({ shape, name: 'upscaled' });
  const h1 = nn.conv2d({ name: 'patch_extraction', filters: n1, kernelSize: f1, padding: 'same', activation: 'relu' }).apply(x);
  const h2 = nn.conv2d({ name: 'mapping', filters: n2, kernelSize: f2, padding: 'same', activation: 'relu' }).apply(h1);
  const y = nn.conv2d({ name: 'reconstruction', filters: shape[2] as number, kernelSize: f3, padding: 'same' }).apply(h2);
  const out = opts.residual === false ? y : nn.add({ name: 'restored' }).apply([x, y]);
  return model({ inputs: x, outputs: out, name: 'srcnn' });
}
