// The reference loops of batch normalisation in training mode and of relu's adjoint: the
// formulas of src/ops/normalization.ts and src/ops/activations.ts written as loops, with
// sums in float64 (two passes for the variance: the mean first, then the squares about it).
import type { BatchNormAttrs } from '../kernels.js';
import { type Buf, rounder } from './buffer.js';

/** Per-channel μ and biased σ² of x [rows, channels]. */
function moments(X: ArrayLike<number>, rows: number, channels: number): { mu: Float64Array; variance: Float64Array } {
  const mu = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let r = 0; r < rows; r++) for (let c = 0; c < channels; c++) mu[c] += X[r * channels + c];
  for (let c = 0; c < channels; c++) mu[c] /= rows;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const d = X[r * channels + c] - mu[c];
      variance[c] += d * d;
    }
  }
  for (let c = 0; c < channels; c++) variance[c] /= rows;
  return { mu, variance };
}

export function batchNormTraining(inputs: Buf[], [y, mean, variance]: Buf[], { channels, epsilon, scale, center }: BatchNormAttrs & { center: boolean }): void {
  const X = inputs[0].data;
  const gamma = scale ? inputs[1].data : null;
  const beta = center ? inputs[scale ? 2 : 1].data : null;
  const rows = X.length / channels;
  const m = moments(X, rows, channels);
  const round = rounder(y);
  for (let c = 0; c < channels; c++) {
    mean.data[c] = m.mu[c];
    variance.data[c] = m.variance[c];
  }
  const Y = y.data;
  for (let c = 0; c < channels; c++) {
    const r = 1 / Math.sqrt(m.variance[c] + epsilon);
    const g = gamma ? gamma[c] * r : r;
    const b = beta ? beta[c] : 0;
    for (let i = c; i < X.length; i += channels) Y[i] = round((X[i] - m.mu[c]) * g + b);
  }
}

export function batchNormTrainingGrad(inputs: Buf[], [dx, dgamma, dbeta]: Buf[], { channels, epsilon, scale }: BatchNormAttrs): void {
  const [x, dy, mean, variance] = inputs;
  const X = x.data;
  const DY = dy.data;
  const gamma = scale ? inputs[4].data : null;
  const rows = X.length / channels;
  const DX = dx.data;
  const round = rounder(dx);
  for (let c = 0; c < channels; c++) {
    const mu = mean.data[c];
    const r = 1 / Math.sqrt(variance.data[c] + epsilon);
    let sumDy = 0;
    let sumDyXc = 0;
    for (let i = c; i < X.length; i += channels) {
      sumDy += DY[i];
      sumDyXc += DY[i] * (X[i] - mu);
    }
    dbeta.data[c] = sumDy;
    dgamma.data[c] = sumDyXc * r;
    const gr = gamma ? gamma[c] * r : r;
    const meanDy = sumDy / rows;
    const k = r * r * (sumDyXc / rows);
    for (let i = c; i < X.length; i += channels) DX[i] = round(gr * (DY[i] - meanDy - (X[i] - mu) * k));
  }
}

export function reluBackprop([x, dy]: Buf[], [dx]: Buf[]): void {
  const X = x.data;
  const DY = dy.data;
  const DX = dx.data;
  for (let i = 0; i < DX.length; i++) DX[i] = X[i] > 0 || Number.isNaN(X[i]) ? DY[i] : 0;
}
