// The Fréchet distance between two Gaussians fitted to feature sets (Heusel et al. 2017's FID,
// here on whatever features the caller gives, e.g. a LeNet-5's penultimate layer):
//   d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^{1/2})
// Tr((Σ₁Σ₂)^{1/2}) is computed as Σ √λᵢ over the eigenvalues λᵢ of the symmetric PSD matrix
// Σ₁^{1/2} Σ₂ Σ₁^{1/2} (same spectrum as Σ₁Σ₂), with symmetric eigendecompositions by cyclic
// Jacobi rotations in float64: no complex square roots, no sqrtm iteration to diverge.
import { ShapeError, ValueError } from '../base/index.js';
import type { Tensor } from '../tensor/index.js';

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major d×d) of a symmetric d×d matrix. */
export function symmetricEigen(a: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        // The rotation that zeroes m[p][q]: tan 2θ = 2 a_pq / (a_qq − a_pp).
        const theta = (m[q * d + q] - m[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const mkp = m[k * d + p];
          const mkq = m[k * d + q];
          m[k * d + p] = c * mkp - s * mkq;
          m[k * d + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p * d + k];
          const mqk = m[q * d + k];
          m[p * d + k] = c * mpk - s * mqk;
          m[q * d + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = m[i * d + i];
  return { values, vectors: v };
}

/** Mean [d] and covariance [d×d] (divisor n − 1) of n feature rows. */
export function meanAndCovariance(rows: Float64Array, n: number, d: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += rows[i * d + j] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const dj = rows[i * d + j] - mean[j];
      for (let k = j; k < d; k++) cov[j * d + k] += dj * (rows[i * d + k] - mean[k]);
    }
  }
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      cov[j * d + k] /= n - 1;
      cov[k * d + j] = cov[j * d + k];
    }
  }
  return { mean, cov };
}

/** The Fréchet distance d² between N(μ₁, Σ₁) and N(μ₂, Σ₂). */
export function frechetDistanceFromMoments(mu1: Float64Array, cov1: Float64Array, mu2: Float64Array, cov2: Float64Array): number {
  const d = mu1.length;
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (mu1[i] - mu2[i]) ** 2;
  // Σ₁^{1/2} = V diag(√max(λ, 0)) Vᵀ.
  const { values, vectors } = symmetricEigen(cov1, d);
  const root = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += vectors[i * d + k] * Math.sqrt(Math.max(values[k], 0)) * vectors[j * d + k];
      root[i * d + j] = s;
    }
  }
  const prod = (a: Float64Array, b: Float64Array): Float64Array => {
    const out = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      if (aik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
    }
    return out;
  };
  const inner = prod(prod(root, cov2), root);
  // Symmetrise away rounding before the symmetric solver.
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) inner[i * d + j] = inner[j * d + i] = (inner[i * d + j] + inner[j * d + i]) / 2;
  let traceRoot = 0;
  for (const l of symmetricEigen(inner, d).values) traceRoot += Math.sqrt(Math.max(l, 0));
  let trace = 0;
  for (let i = 0; i < d; i++) trace += cov1[i * d + i] + cov2[i * d + i];
  return meanTerm + trace - 2 * traceRoot;
}

/** The Fréchet distance between the Gaussians fitted to two feature sets [n₁, d] and [n₂, d]. */
export function frechetDistance(features1: Tensor, features2: Tensor): number {
  if (features1.rank !== 2 || features2.rank !== 2 || features1.shape[1] !== features2.shape[1]) {
    throw new ShapeError(`frechetDistance: features must be [n1, d] and [n2, d], got [${features1.shape.join(',')}] and [${features2.shape.join(',')}]`);
  }
  const [n1, d] = features1.shape;
  const n2 = features2.shape[0];
  if (n1 < 2 || n2 < 2) throw new ValueError(`frechetDistance: need at least 2 samples per set, got ${n1} and ${n2}`);
  const a = meanAndCovariance(Float64Array.from(features1.dataSync()), n1, d);
  const b = meanAndCovariance(Float64Array.from(features2.dataSync()), n2, d);
  return frechetDistanceFromMoments(a.mean, a.cov, b.mean, b.cov);
}
