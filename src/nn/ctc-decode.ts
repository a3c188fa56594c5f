// CTC decoding (Graves et al. 2006), as Keras 3's ops.ctc_decode: from per-step scores over C
// classes (one of them the blank) to label sequences.
//
// logits [N, T, C] are unnormalised (log-softmax is applied here, as in the ctc loss), so the
// scores returned are log-probabilities:
//   greedy:     best path π* = argmax per step; labels = collapse(π*) (repeats merged, blanks
//               removed); score = log p(π*) = Σ_t max_c log p_t(c). (Keras's greedy returns the
//               negated sum of its raw inputs instead; ours is a log-probability like beam search's.)
//   beamSearch: prefix beam search (Hannun et al. 2014). Each kept prefix ℓ carries, in log
//               space, p_b(ℓ) (paths for ℓ that end in a blank) and p_nb(ℓ) (ending in ℓ's last
//               label). At step t, for p = p_b + p_nb (log-sum-exp):
//                 blank:          p_b(ℓ)    += p · y_t(blank)
//                 repeat last c:  p_nb(ℓ)   += p_nb(ℓ) · y_t(c)   (collapses into ℓ)
//                                 p_nb(ℓc)  += p_b(ℓ) · y_t(c)    (a blank separates the repeat)
//                 other c:        p_nb(ℓc)  += p · y_t(c)
//               then the beamWidth most probable prefixes are kept. The score of a result is
//               log(p_b + p_nb) = log p(labels | x) summed over the alignments the beam kept
//               (exact when nothing was pruned).
import { fmtShape, isFloat, ShapeError, ValueError } from '../base/index.js';
import { checkOptions, is, type OptionSpec } from '../base/options.js';
import { cast, logSoftmax, toTensor, type TensorLike } from '../ops/index.js';
import { tensor, type Tensor } from '../tensor/index.js';

/** Options of {@link ctcDecode}: greedy or beam search, beam width, paths returned, blank class and lengths. */
export interface CtcDecodeOptions {
  /** 'greedy' (default) or 'beamSearch'. */
  strategy?: 'greedy' | 'beamSearch';
  /** Prefixes kept per step in beam search (default 100, as Keras). */
  beamWidth?: number;
  /** How many best sequences to return per sample (default 1; greedy: only 1). */
  topPaths?: number;
  /** The blank class (default 0, Keras's mask_index). */
  blank?: number;
  /** Valid time steps per sample [N], each in [0, T] (default all T). */
  logitLengths?: TensorLike;
  /** Greedy only: merge repeated labels (default true); false keeps every non-blank step. */
  mergeRepeated?: boolean;
}

/**
 * What {@link ctcDecode} returns: the decoded label sequences (as a padded tensor and as arrays) and their
 * log-probabilities.
 */
export interface CtcDecodeResult {
  /** int32 [topPaths, N, T]: the label sequences, padded with −1 (Keras's layout). */
  decoded: Tensor;
  /** `[N, topPaths]`: the log-probability of each sequence (−Infinity for a missing path). */
  logProbabilities: Tensor;
  /** The same sequences as plain arrays: sequences[n][k] is sample n's k-th best. */
  sequences: number[][][];
}

const SPEC: OptionSpec<CtcDecodeOptions> = {
  strategy: is.oneOf('greedy', 'beamSearch'),
  beamWidth: is.posInt,
  topPaths: is.posInt,
  blank: is.nonNegInt,
  logitLengths: is.any,
  mergeRepeated: is.bool,
};

/** log(eᵃ + eᵇ), safe for −∞ (also the CTC loss's α–β recursions, losses.ts). */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  // max + log(1 + e^(min − max)): one exp and one log1p (NaN in either gives NaN).
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

interface Beam {
  labels: number[];
  pb: number;
  pnb: number;
}

/** Prefix beam search over one sample's log-probabilities lp [len][C]. */
function beamSearch(lp: Float64Array, len: number, C: number, blank: number, beamWidth: number, topPaths: number): { labels: number[]; score: number }[] {
  let beams = new Map<string, Beam>([['', { labels: [], pb: 0, pnb: -Infinity }]]);
  for (let t = 0; t < len; t++) {
    const row = t * C;
    const next = new Map<string, Beam>();
    const at = (key: string, labels: number[]): Beam => {
      let b = next.get(key);
      if (!b) {
        b = { labels, pb: -Infinity, pnb: -Infinity };
        next.set(key, b);
      }
      return b;
    };
    for (const [key, beam] of beams) {
      const total = logAddExp(beam.pb, beam.pnb);
      const same = at(key, beam.labels);
      same.pb = logAddExp(same.pb, total + lp[row + blank]);
      const last = beam.labels.length > 0 ? beam.labels[beam.labels.length - 1] : -1;
      for (let c = 0; c < C; c++) {
        if (c === blank) continue;
        const y = lp[row + c];
        const extKey = key === '' ? String(c) : `${key},${c}`;
        const ext = at(extKey, [...beam.labels, c]);
        if (c === last) {
          same.pnb = logAddExp(same.pnb, beam.pnb + y);
          ext.pnb = logAddExp(ext.pnb, beam.pb + y);
        } else ext.pnb = logAddExp(ext.pnb, total + y);
      }
    }
    // Keep the beamWidth most probable prefixes (ties: the earlier-created prefix first).
    const ranked = [...next.entries()].sort((a, b) => logAddExp(b[1].pb, b[1].pnb) - logAddExp(a[1].pb, a[1].pnb));
    beams = new Map(ranked.slice(0, beamWidth));
  }
  return [...beams.values()]
    .map((b) => ({ labels: b.labels, score: logAddExp(b.pb, b.pnb) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, topPaths);
}

/** Best-path decoding of one sample. */
function greedy(lp: Float64Array, len: number, C: number, blank: number, mergeRepeated: boolean): { labels: number[]; score: number } {
  const labels: number[] = [];
  let score = 0;
  let prev = -1;
  for (let t = 0; t < len; t++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (lp[t * C + c] > lp[t * C + best]) best = c;
    score += lp[t * C + best];
    if (best !== blank && (!mergeRepeated || best !== prev)) labels.push(best);
    prev = best;
  }
  return { labels, score };
}

/**
 * Decode CTC outputs: logits [N, T, C] (unnormalised scores, as the ctc loss takes) → the best
 * label sequences and their log-probabilities. See the file comment for the two strategies.
 */
export function ctcDecode(logitsIn: TensorLike, options: CtcDecodeOptions = {}): CtcDecodeResult {
  const name = 'ctcDecode';
  const o = checkOptions(name, options, SPEC);
  let logits = toTensor(name, logitsIn);
  if (logits.rank !== 3) throw new ShapeError(`${name}: logits must be [N, T, C], got ${fmtShape(logits.shape)}`);
  const [n, T, C] = logits.shape;
  if (C < 1) throw new ShapeError(`${name}: logits need at least one class, got ${fmtShape(logits.shape)}`);
  const strategy = o.strategy ?? 'greedy';
  const blank = o.blank ?? 0;
  if (blank >= C) throw new ValueError(`${name}: blank must be a class in [0, ${C - 1}], got ${blank}`);
  const beamWidth = o.beamWidth ?? 100;
  const topPaths = o.topPaths ?? 1;
  if (strategy === 'greedy' && topPaths !== 1) throw new ValueError(`${name}: greedy decoding gives one path; topPaths must be 1, got ${topPaths} (use strategy 'beamSearch')`);
  if (topPaths > beamWidth) throw new ValueError(`${name}: topPaths (${topPaths}) must be <= beamWidth (${beamWidth})`);
  if (strategy === 'beamSearch' && o.mergeRepeated === false) throw new ValueError(`${name}: mergeRepeated: false is only for strategy 'greedy'`);
  let lengths: number[] = new Array<number>(n).fill(T);
  if (o.logitLengths !== undefined) {
    const lt = toTensor(name, o.logitLengths);
    if (lt.size !== n) throw new ShapeError(`${name}: logitLengths must have one entry per sample (${n}), got ${fmtShape(lt.shape)}`);
    lengths = Array.from(lt.dataSync(), Number);
    for (const d of lengths) if (!Number.isInteger(d) || d < 0 || d > T) throw new ValueError(`${name}: logitLengths must be integers in [0, ${T}], got ${d}`);
  }
  if (!isFloat(logits.dtype)) logits = cast(logits, 'float32');
  const lpAll = logSoftmax(logits, -1).dataSync();
  for (let i = 0; i < lpAll.length; i++) {
    if (Number.isNaN(lpAll[i])) throw new ValueError(`${name}: logits contain NaN`);
  }
  const sequences: number[][][] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const lp = Float64Array.from(lpAll.subarray(i * T * C, (i + 1) * T * C) as ArrayLike<number>);
    const found = strategy === 'greedy' ? [greedy(lp, lengths[i], C, blank, o.mergeRepeated ?? true)] : beamSearch(lp, lengths[i], C, blank, beamWidth, topPaths);
    const rows: number[][] = [];
    for (let k = 0; k < topPaths; k++) {
      rows.push(found[k]?.labels ?? []);
      scores.push(found[k]?.score ?? -Infinity);
    }
    sequences.push(rows);
  }
  const dec = new Int32Array(topPaths * n * T).fill(-1);
  sequences.forEach((rows, i) => rows.forEach((labels, k) => labels.forEach((c, j) => (dec[(k * n + i) * T + j] = c))));
  return {
    decoded: tensor(dec, [topPaths, n, T], 'int32'),
    logProbabilities: tensor(Float64Array.from(scores), [n, topPaths], logits.dtype === 'float64' ? 'float64' : 'float32'),
    sequences,
  };
}
