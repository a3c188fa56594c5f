// In-painting with a trained generator (Yeh et al. 2017, "semantic image inpainting"): find the
// latent code whose image agrees with the known pixels, then fill the unknown ones from it.
//   z* = argmin_z  ‖M ⊙ (G(z) − x)‖₁ / |M|  +  λ · (−log D(G(z)))   (the prior term is optional)
//   x̂  = M ⊙ x + (1 − M) ⊙ G(z*)
// M is 1 on known pixels. z is optimised by Adam from several random starts per image; the
// start with the lowest objective wins. A generator that reads InfoGAN's categorical code off z
// (a LatentCode layer of K categories) draws its digit class from a part of z that gradients
// cannot move across categories (the code is piecewise constant in z), so its starts cycle
// through the categories: start r of an image begins in category (c + r) mod K, c the category its
// first start drew, so fewer than K starts try different random categories and K try every one.
import { variableGrads } from '../autograd/index.js';
import { checkOptions, is, ShapeError, ValueError } from '../base/index.js';
import type { Model } from '../model/index.js';
import { Variable } from '../nn/index.js';
import { abs, add, argmin, cast, div, gather, greaterEqual, mul, neg, reshape, softplus, sub, sum, tile } from '../ops/index.js';
import { adam } from '../optim/index.js';
import { keep, noGrad, randomNormal, randomUniform, type Tensor, tensor, tidy } from '../tensor/index.js';
import { LatentCode } from './latent-code.js';

/** Options of {@link inpaint}: Adam steps and learning rate on z, random restarts, the weight of the prior, seed. */
export interface InpaintOptions {
  /** Adam steps on z (default 300). */
  steps?: number;
  /** Adam's learning rate (default 0.05). */
  learningRate?: number;
  /** Random starts per image (default 4). With a generator that has a LatentCode of K categories, start r begins in category (c + r) mod K, c the first start's (random) category. */
  restarts?: number;
  /** A discriminator [N, 28, 28, 1] → logit, for the prior term (optional). */
  discriminator?: Model;
  /** λ, the weight of the prior term −log D(G(z)) (default 0.003 when a discriminator is given). */
  priorWeight?: number;
  /** Conditional generators: one-hot classes [N, classes]. */
  classes?: Tensor;
  seed?: number;
}

const SPEC = {
  steps: is.posInt, learningRate: is.positive, restarts: is.posInt, discriminator: is.object, priorWeight: is.nonNegative,
  classes: is.object, seed: is.int,
};

/**
 * Fill the unknown pixels of `images` [N, H, W, C] (mask: same shape, 1 = known, 0 = missing)
 * from `generator`. Returns the completed images, the generator's images G(z*) and z* [N, latentDim].
 */
export function inpaint(generator: Model, images: Tensor, mask: Tensor, options: InpaintOptions = {}): { completed: Tensor; generated: Tensor; z: Tensor } {
  const o = checkOptions('inpaint', options, SPEC);
  const steps = o.steps ?? 300;
  const restarts = o.restarts ?? 4;
  const lambda = o.discriminator ? (o.priorWeight ?? 0.003) : 0;
  if (images.rank !== 4) throw new ShapeError(`inpaint: images must be [N, H, W, C], got [${images.shape.join(',')}]`);
  if (mask.shape.length !== images.rank || mask.shape.some((d, i) => d !== images.shape[i])) {
    throw new ShapeError(`inpaint: mask [${mask.shape.join(',')}] must have the images' shape [${images.shape.join(',')}]`);
  }
  const latentShape = generator.inputs[0].shape;
  if (latentShape.length !== 2 || latentShape[1] === null) throw new ValueError('inpaint: the generator\'s first input must be z [N, latentDim]');
  const latentDim = latentShape[1];
  const conditional = generator.inputs.length === 2;
  if (conditional !== (o.classes !== undefined)) throw new ValueError(`inpaint: ${conditional ? 'a conditional generator needs classes' : 'classes given to an unconditional generator'}`);
  const n = images.shape[0];
  const nr = n * restarts;
  // Every image repeated `restarts` times: row r·n + i is start r of image i.
  const rep = (t: Tensor): Tensor => tile(t, [restarts, ...t.shape.slice(1).map(() => 1)]);
  const x = keep(rep(images));
  const m = keep(rep(mask));
  const cls = o.classes ? keep(rep(o.classes)) : null;
  const known = keep(noGrad(() => sum(m, [1, 2, 3])));
  const z = new Variable(startingPoints(generator, nr, n, latentDim, o.seed), { name: 'inpaint/z' });
  const opt = adam({ learningRate: o.learningRate ?? 0.05 });
  // Per start: mean absolute error on the known pixels (+ λ · −log D(G(z))).
  const objective = (zv: Tensor): Tensor => {
    const g = generator.runGraph(cls ? [zv, cls] : [zv], { training: false }).outputs[0];
    let per = sum(abs(mul(m, sub(g, x))), [1, 2, 3]);
    per = div(per, add(known, 1e-8));
    if (o.discriminator && lambda > 0) {
      const logit = reshape(o.discriminator.runGraph(cls ? [g, cls] : [g], { training: false }).outputs[0], [nr]);
      per = add(per, mul(softplus(neg(logit)), lambda));
    }
    return per;
  };
  for (let s = 0; s < steps; s++) {
    tidy(() => {
      const { grads } = variableGrads(() => sum(objective(z.value)), [z.value]);
      opt.applyGradients([{ variable: z, grad: grads[0] }]);
    });
  }
  const result = tidy(() =>
    noGrad(() => {
      const per = reshape(objective(z.value), [restarts, n]);
      const best = argmin(per, 0); // [n]: the best start of each image
      const rows = add(mul(best, n), tensor(Array.from({ length: n }, (_, i) => i), [n], 'int32'));
      const zBest = gather(z.value, rows, 0);
      const generated = generator.runGraph(o.classes ? [zBest, o.classes] : [zBest], { training: false }).outputs[0];
      const completed = add(mul(mask, images), mul(sub(1, mask), generated));
      return [keep(completed), keep(generated), keep(zBest)];
    }),
  );
  for (const t of [x, m, known, z.value]) t.dispose();
  cls?.dispose();
  opt.reset();
  return { completed: result[0], generated: result[1], z: result[2] };
}

/**
 * Standard normal starts [nr, latentDim]; for a generator with a LatentCode of K categories, row
 * r·n + i (start r of image i) has two of its first K entries swapped so that the largest is at
 * (c + r) mod K, c the category of row i (start 0, as drawn).
 */
function startingPoints(generator: Model, nr: number, n: number, latentDim: number, seed: number | undefined): Tensor {
  const z0 = randomNormal([nr, latentDim], { seed });
  const code = generator.layers.find((l): l is LatentCode => l instanceof LatentCode);
  if (!code) return z0;
  const k = code.classes;
  const data = Float32Array.from(z0.dataSync());
  z0.dispose();
  const categoryOf = (row: number): number => {
    let best = 0;
    for (let j = 1; j < k; j++) if (data[row * latentDim + j] > data[row * latentDim + best]) best = j;
    return best;
  };
  const first = Array.from({ length: n }, (_, i) => categoryOf(i));
  for (let row = n; row < nr; row++) {
    const want = (first[row % n] + Math.floor(row / n)) % k;
    const best = categoryOf(row);
    // Swapping two entries keeps the start a standard normal draw, in the category wanted.
    [data[row * latentDim + best], data[row * latentDim + want]] = [data[row * latentDim + want], data[row * latentDim + best]];
  }
  return tensor(data, [nr, latentDim]);
}

/** A mask with a random fraction `missing` of the pixels unknown (0), the rest known (1). */
export function randomMask(shape: readonly number[], missing: number, seed?: number): Tensor {
  if (!(missing >= 0 && missing <= 1)) throw new ValueError(`randomMask: missing must be in [0, 1], got ${missing}`);
  return noGrad(() => cast(greaterEqual(randomUniform([...shape], { seed }), missing), 'float32'));
}

/** A mask whose central size × size square (of each [N, H, W, C] image) is unknown. */
export function centreMask(shape: readonly number[], size: number): Tensor {
  if (shape.length !== 4) throw new ShapeError(`centreMask: shape must be [N, H, W, C], got [${shape.join(',')}]`);
  const [n, h, w, c] = shape;
  if (!(Number.isInteger(size) && size > 0 && size <= Math.min(h, w))) throw new ValueError(`centreMask: size must be an integer in 1…${Math.min(h, w)}, got ${size}`);
  const data = new Float32Array(n * h * w * c).fill(1);
  const top = Math.floor((h - size) / 2);
  const left = Math.floor((w - size) / 2);
  for (let i = 0; i < n; i++) {
    for (let y = top; y < top + size; y++) {
      for (let x = left; x < left + size; x++) {
        for (let k = 0; k < c; k++) data[((i * h + y) * w + x) * c + k] = 0;
      }
    }
  }
  return tensor(data, [n, h, w, c]);
}
