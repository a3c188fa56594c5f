// The restricted Boltzmann machine with Bernoulli visible and hidden units (Hinton 2002; the
// practical guide: Hinton 2010). Energy and free energy, for v ∈ {0,1}^V, h ∈ {0,1}^H:
//   E(v, h) = −bᵀv − cᵀh − vᵀWh,    p(v, h) = e^{−E} / Z
//   F(v)    = −log Σ_h e^{−E(v,h)} = −bᵀv − Σ_j softplus(c_j + (vᵀW)_j)
// The conditionals factorise: p(h_j = 1 | v) = σ(c_j + (vᵀW)_j), p(v_i = 1 | h) = σ(b_i + (Wh)_i).
// The log-likelihood gradient is ⟨v hᵀ⟩_data − ⟨v hᵀ⟩_model; contrastive divergence CD-k
// replaces the model expectation by the end of a k-step Gibbs chain started at the data:
//   ΔW ∝ v₀ p(h|v₀)ᵀ − v_k p(h|v_k)ᵀ,  Δb ∝ v₀ − v_k,  Δc ∝ p(h|v₀) − p(h|v_k)   (batch means)
// where h is sampled (binary) at every step of the chain and v_k is a binary sample too. The
// statistics use probabilities p(h|v) rather than samples, which lowers the variance without
// changing the expectation (Hinton 2010, §3). Persistent CD (Tieleman 2008) keeps the chain's
// state from one update to the next instead of restarting it at the data.
// Training applies momentum and L2 weight decay to W (not to the biases):
//   Δ ← momentum · Δ + lr · (gradient − weightDecay · W),  W ← W + Δ.
import { checkOptions, is, Rng, ShapeError, ValueError } from '../base/index.js';
import { add, cast, gather, less, matmul, mean, mul, reshape, sigmoid, softplus, sub, sum, transpose } from '../ops/index.js';
import { keep, noGrad, type Tensor, tensor, tidy } from '../tensor/index.js';

/** Options of {@link rbm}: visible and hidden unit counts, seed, initial weight scale, dtype. */
export interface RbmOptions {
  visibleUnits: number;
  hiddenUnits: number;
  /** Seeds the initial weights and every sample the machine draws (default 0). */
  seed?: number;
  /** Standard deviation of the initial weights (default 0.01, as Hinton 2010). */
  initStddev?: number;
  /** 'float32' (default) or 'float64'. */
  dtype?: 'float32' | 'float64';
}

/** Options of `RBM.fit`: epochs, batch size, learning rate, CD-k steps, momentum, weight decay, persistent CD. */
export interface RbmFitOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Gibbs steps of CD-k (default 1). */
  k?: number;
  momentum?: number;
  /** L2 penalty on W (default 0). */
  weightDecay?: number;
  /** Persistent CD: the negative chain continues across updates (default false). */
  persistent?: boolean;
  /** Shuffle the examples every epoch (default true). */
  shuffle?: boolean;
  /** Called after every epoch with the mean reconstruction error (squared, per pixel). */
  onEpochEnd?: (epoch: number, logs: { reconstructionError: number }) => void;
}

/** One CD-k estimate of the log-likelihood's gradient, as `RBM.gradients` returns it. */
export interface RbmGradients {
  /** [V, H], [V], [H]: the CD-k estimate of ∂ log p / ∂θ (an ascent direction), batch means. */
  dW: Tensor;
  db: Tensor;
  dc: Tensor;
  /** The chain's last visible sample [N, V]. */
  vk: Tensor;
}

const RBM_SPEC = { visibleUnits: is.posInt, hiddenUnits: is.posInt, seed: is.int, initStddev: is.nonNegative, dtype: is.oneOf('float32', 'float64') };
const FIT_SPEC = {
  epochs: is.posInt, batchSize: is.posInt, learningRate: is.positive, k: is.posInt, momentum: is.range(0, 1, true), weightDecay: is.nonNegative,
  persistent: is.bool, shuffle: is.bool, onEpochEnd: is.fn,
};

/**
 * A Bernoulli–Bernoulli restricted Boltzmann machine trained by contrastive divergence (CD-k, or persistent CD):
 * `fit`, `transform`, `reconstruct`, `freeEnergy`, `gibbs`, `sample`.
 */
export class RBM {
  readonly visibleUnits: number;
  readonly hiddenUnits: number;
  readonly dtype: 'float32' | 'float64';
  /** Weights [V, H], visible biases [V], hidden biases [H]. */
  W: Tensor;
  b: Tensor;
  c: Tensor;
  private readonly rng: Rng;
  private chain: Tensor | null = null;
  private velocity: { W: Tensor; b: Tensor; c: Tensor } | null = null;

  constructor(options: RbmOptions) {
    const o = checkOptions('rbm', options, RBM_SPEC);
    if (o.visibleUnits === undefined || o.hiddenUnits === undefined) throw new ValueError('rbm: visibleUnits and hiddenUnits are required');
    this.visibleUnits = o.visibleUnits;
    this.hiddenUnits = o.hiddenUnits;
    this.dtype = o.dtype ?? 'float32';
    this.rng = new Rng(o.seed ?? 0);
    const std = o.initStddev ?? 0.01;
    const w = new Float64Array(this.visibleUnits * this.hiddenUnits).map(() => std * this.rng.normal());
    this.W = keep(tensor(w, [this.visibleUnits, this.hiddenUnits], this.dtype));
    this.b = keep(tensor(new Float64Array(this.visibleUnits), [this.visibleUnits], this.dtype));
    this.c = keep(tensor(new Float64Array(this.hiddenUnits), [this.hiddenUnits], this.dtype));
  }

  private checkVisible(op: string, v: Tensor): Tensor {
    if (v.rank !== 2 || v.shape[1] !== this.visibleUnits) {
      throw new ShapeError(`rbm.${op}: expected visible data [N, ${this.visibleUnits}], got [${v.shape.join(',')}] (flatten images first)`);
    }
    return v.dtype === this.dtype ? v : cast(v, this.dtype);
  }

  /** p(h = 1 | v) [N, H]. */
  hiddenProbabilities(v: Tensor): Tensor {
    return sigmoid(add(matmul(v, this.W), this.c));
  }

  /** p(v = 1 | h) [N, V]. */
  visibleProbabilities(h: Tensor): Tensor {
    return sigmoid(add(matmul(h, transpose(this.W)), this.b));
  }

  /** A binary sample with P(1) = p, from the machine's generator. */
  private bernoulli(p: Tensor): Tensor {
    const u = tensor(new Float64Array(p.size).map(() => this.rng.uniform()), [...p.shape], this.dtype);
    return cast(less(u, p), this.dtype);
  }

  /** The hidden probabilities: the features that pre-training hands to the next layer. */
  transform(x: Tensor): Tensor {
    return tidy(() => noGrad(() => this.hiddenProbabilities(this.checkVisible('transform', x))));
  }

  /** p(v | p(h | x)): the mean-field reconstruction of x [N, V]. */
  reconstruct(x: Tensor): Tensor {
    return tidy(() => noGrad(() => this.visibleProbabilities(this.hiddenProbabilities(this.checkVisible('reconstruct', x)))));
  }

  /** F(v) [N] = −bᵀv − Σ_j softplus(c_j + (vᵀW)_j). */
  freeEnergy(x: Tensor): Tensor {
    return tidy(() => {
      const v = this.checkVisible('freeEnergy', x);
      const vb = reshape(matmul(v, reshape(this.b, [this.visibleUnits, 1])), [v.shape[0]]);
      return sub(mul(vb, -1), sum(softplus(add(matmul(v, this.W), this.c)), 1));
    });
  }

  /** k steps of block Gibbs sampling from visible states v: returns the last binary v. */
  gibbs(v: Tensor, k: number): Tensor {
    return tidy(() =>
      noGrad(() => {
        let vk = this.checkVisible('gibbs', v);
        for (let s = 0; s < k; s++) vk = this.bernoulli(this.visibleProbabilities(this.bernoulli(this.hiddenProbabilities(vk))));
        return vk;
      }),
    );
  }

  /**
   * The CD-k estimate of the log-likelihood gradient on a batch v₀ [N, V]. The negative chain
   * starts at v₀, or at `chainStart` (persistent CD).
   */
  cdGradients(v0In: Tensor, k = 1, chainStart?: Tensor): RbmGradients {
    return tidy(() =>
      noGrad(() => {
        const v0 = this.checkVisible('cdGradients', v0In);
        const n = v0.shape[0];
        const start = chainStart ? this.checkVisible('cdGradients', chainStart) : v0;
        const vk = this.gibbs(start, k);
        const h0 = this.hiddenProbabilities(v0);
        const hk = this.hiddenProbabilities(vk);
        const m = vk.shape[0];
        const dW = sub(mul(matmul(transpose(v0), h0), 1 / n), mul(matmul(transpose(vk), hk), 1 / m));
        return { dW, db: sub(mean(v0, 0), mean(vk, 0)), dc: sub(mean(h0, 0), mean(hk, 0)), vk };
      }),
    );
  }

  /** Train by CD-k (or persistent CD) on x [N, V] with values in [0, 1]. */
  fit(x: Tensor, options: RbmFitOptions = {}): { reconstructionError: number[] } {
    const o = checkOptions('rbm.fit', options, FIT_SPEC);
    const data = this.checkVisible('fit', x);
    const epochs = o.epochs ?? 10;
    const batchSize = Math.min(o.batchSize ?? 100, data.shape[0]);
    const lr = o.learningRate ?? 0.1;
    const k = o.k ?? 1;
    const momentum = o.momentum ?? 0.5;
    const decay = o.weightDecay ?? 0;
    const n = data.shape[0];
    if (this.velocity === null) {
      this.velocity = { W: keep(mul(this.W, 0)), b: keep(mul(this.b, 0)), c: keep(mul(this.c, 0)) };
    }
    const errors: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = Int32Array.from({ length: n }, (_, i) => i);
      if (o.shuffle ?? true) {
        for (let i = n - 1; i > 0; i--) {
          const j = this.rng.int(i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
      }
      let err = 0;
      for (let start = 0; start + batchSize <= n; start += batchSize) {
        tidy(() => {
          const idx = tensor(order.subarray(start, start + batchSize), [batchSize], 'int32');
          const v0 = noGrad(() => gather(data, idx, 0));
          const persistent = o.persistent ?? false;
          if (persistent && (this.chain === null || this.chain.shape[0] !== batchSize)) {
            this.chain?.dispose();
            this.chain = keep(this.bernoulli(v0));
          }
          const g = this.cdGradients(v0, k, persistent ? this.chain! : undefined);
          if (persistent) {
            this.chain!.dispose();
            this.chain = keep(g.vk);
          }
          const vel = this.velocity!;
          const step = (velocity: Tensor, grad: Tensor) => add(mul(velocity, momentum), mul(grad, lr));
          const vW = step(vel.W, decay > 0 ? sub(g.dW, mul(this.W, decay)) : g.dW);
          const vb = step(vel.b, g.db);
          const vc = step(vel.c, g.dc);
          this.replace('W', add(this.W, vW));
          this.replace('b', add(this.b, vb));
          this.replace('c', add(this.c, vc));
          for (const key of ['W', 'b', 'c'] as const) vel[key].dispose();
          this.velocity = { W: keep(vW), b: keep(vb), c: keep(vc) };
          const r = this.visibleProbabilities(this.hiddenProbabilities(v0));
          err += mean(mul(sub(r, v0), sub(r, v0))).item() * batchSize;
        });
      }
      const e = err / (Math.floor(n / batchSize) * batchSize);
      errors.push(e);
      o.onEpochEnd?.(epoch, { reconstructionError: e });
    }
    return { reconstructionError: errors };
  }

  private replace(key: 'W' | 'b' | 'c', value: Tensor): void {
    const old = this[key];
    this[key] = keep(value);
    old.dispose();
  }

  /** n samples p(v | h) after `gibbsSteps` of Gibbs sampling from random binary visible states. */
  sample(n: number, options: { gibbsSteps?: number } = {}): Tensor {
    const o = checkOptions('rbm.sample', options, { gibbsSteps: is.posInt });
    if (!(Number.isInteger(n) && n > 0)) throw new ValueError(`rbm.sample: n must be a positive integer, got ${n}`);
    return tidy(() =>
      noGrad(() => {
        const start = this.bernoulli(tensor(new Float64Array(n * this.visibleUnits).fill(0.5), [n, this.visibleUnits], this.dtype));
        const v = this.gibbs(start, (o.gibbsSteps ?? 1000) - 1);
        return this.visibleProbabilities(this.bernoulli(this.hiddenProbabilities(v)));
      }),
    );
  }
}

/** `hb.unsupervised.rbm({ visibleUnits, hiddenUnits, seed })`. */
export function rbm(options: RbmOptions): RBM {
  return new RBM(options);
}
