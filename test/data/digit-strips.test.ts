// hb.datasets.digitStrips: the layout ranges the issue fixes (start 0–4, advance 16–20, an
// extra 6–12 after every 4th digit, vertical offset 0–4, 16–19 digits, fits in 448), images
// that are the per-pixel max of the MNIST digits of the right split at those places (and 0
// elsewhere), labels that are those digits' MNIST labels, and determinism in the seed. The
// optional per-digit distortion (augment): hand-computed warps of one digit, the same layouts and
// labels as without it, determinism, and its options; the elastic displacement field's
// statistics against the Gaussian kernel's sums.
import { describe, expect, it } from 'vitest';
import { elasticField } from '../../src/data/augment.js';
import { digitAffineInverse, distortDigit, mulberry32, stripLayouts } from '../../src/data/digit-strips.js';
import * as hb from '../../src/index.js';

describe('digitStrips', () => {
  it('layouts follow the card-number geometry for many seeds', () => {
    const counts = new Set<number>();
    const advances = new Set<number>();
    const gapped = new Set<number>();
    const bad: string[] = [];
    const check = (ok: boolean, what: string): void => {
      if (!ok) bad.push(what);
    };
    for (const seed of [0, 1, 2, 3, 42]) {
      for (const l of stripLayouts(200, 1000, seed, 16, 19)) {
        counts.add(l.xs.length);
        check(l.xs[0] >= 0 && l.xs[0] <= 4, `start ${l.xs[0]}`);
        for (const y of l.ys) check(y >= 0 && y <= 4, `y ${y}`);
        for (let k = 1; k < l.xs.length; k++) {
          const d = l.xs[k] - l.xs[k - 1];
          if (k % 4 === 0) {
            check(d >= 16 + 6 && d <= 20 + 12, `gap ${d} after digit ${k}`);
            gapped.add(d);
          } else {
            check(d >= 16 && d <= 20, `advance ${d}`);
            advances.add(d);
          }
        }
        check(l.xs[l.xs.length - 1] + 28 <= 448, `end ${l.xs[l.xs.length - 1] + 28}`);
        for (const s of l.sources) check(s >= 0 && s < 1000, `source ${s}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect([...counts].sort()).toEqual([16, 17, 18, 19]);
    expect([...advances].sort()).toEqual([16, 17, 18, 19, 20]);
    expect(Math.min(...gapped)).toBeLessThanOrEqual(23);
    expect(Math.max(...gapped)).toBeGreaterThanOrEqual(30);
  });

  it('images are the per-pixel max of the test split digits at their places, labels are theirs; same seed, same strips', async () => {
    const opts = { n: 3, split: 'test' as const, seed: 5 };
    const { images, labels } = await hb.datasets.digitStrips(opts);
    expect(images.shape).toEqual([3, 32, 448, 1]);
    expect(images.dtype).toBe('float32');
    const px = images.dataSync();
    expect(Math.min(...px)).toBe(0);
    expect(Math.max(...px)).toBeLessThanOrEqual(1);
    const { test } = await hb.datasets.mnist({ trainLimit: 0 });
    const src = test.images.dataSync();
    const lab = test.labels.dataSync();
    const layouts = stripLayouts(3, 10000, 5, 16, 19);
    layouts.forEach((l, i) => {
      expect(labels[i]).toEqual(l.sources.map((s) => lab[s]));
      // Independent recomposition: max over the digits covering each pixel, 0 where none does.
      const want = new Float32Array(32 * 448);
      l.sources.forEach((s, k) => {
        for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) {
          const at = (l.ys[k] + r) * 448 + l.xs[k] + c;
          want[at] = Math.max(want[at], src[s * 784 + r * 28 + c]);
        }
      });
      expect(Array.from(px.subarray(i * 32 * 448, (i + 1) * 32 * 448))).toEqual(Array.from(want));
    });
    const again = await hb.datasets.digitStrips(opts);
    expect(again.labels).toEqual(labels);
    expect(Array.from(again.images.dataSync())).toEqual(Array.from(px));
    const other = await hb.datasets.digitStrips({ ...opts, seed: 6 });
    expect(other.labels).not.toEqual(labels);
  });

  it('checks its options', async () => {
    await expect(hb.datasets.digitStrips({ n: 2, split: 'test', minDigits: 5, maxDigits: 20 })).rejects.toThrow(/maxDigits/);
    await expect(hb.datasets.digitStrips({ n: 2, minDigits: 9, maxDigits: 5 })).rejects.toThrow(/minDigits/);
    await expect(hb.datasets.digitStrips({ n: 2, split: 'val' as never })).rejects.toThrow(/split/);
    await expect(hb.datasets.digitStrips({ n: 2, max_digits: 3 } as never)).rejects.toThrow(/did you mean 'maxDigits'/);
    const few = await hb.datasets.digitStrips({ n: 4, split: 'test', minDigits: 2, maxDigits: 3, seed: 1 });
    for (const l of few.labels) expect(l.length >= 2 && l.length <= 3).toBe(true);
  });

  it('augment: false is the default; an identity distortion leaves the strips exactly as they are', async () => {
    const opts = { n: 2, split: 'test' as const, seed: 9 };
    const plain = (await hb.datasets.digitStrips(opts)).images.dataSync();
    expect(Array.from((await hb.datasets.digitStrips({ ...opts, augment: false })).images.dataSync())).toEqual(Array.from(plain));
    const identity = await hb.datasets.digitStrips({ ...opts, augment: { rotation: 0, scale: [1, 1], shear: 0, shift: 0 } });
    expect(Array.from(identity.images.dataSync())).toEqual(Array.from(plain));
    const none = await hb.datasets.digitStrips({ ...opts, augment: { probability: 0 } });
    expect(Array.from(none.images.dataSync())).toEqual(Array.from(plain));
  });

  it('augment.probability distorts that fraction of the digits', async () => {
    // One digit per strip (no overlaps), so each strip is either that digit distorted or exactly as it was.
    const single = { n: 400, split: 'test' as const, seed: 3, minDigits: 1, maxDigits: 1 };
    const one = (await hb.datasets.digitStrips(single)).images.dataSync();
    const half = (await hb.datasets.digitStrips({ ...single, augment: { probability: 0.5 } })).images.dataSync();
    let distorted = 0;
    for (let i = 0; i < 400; i++) {
      const a = one.subarray(i * 32 * 448, (i + 1) * 32 * 448);
      const b = half.subarray(i * 32 * 448, (i + 1) * 32 * 448);
      if (a.some((v, k) => v !== b[k])) distorted++;
    }
    // Binomial(400, 0.5): mean 200, standard deviation 10.
    expect(distorted).toBeGreaterThan(160);
    expect(distorted).toBeLessThan(240);
  });

  it('augment distorts the digits only: same layouts and labels, new pixels in [0, 1], the same for the same seed', async () => {
    const opts = { n: 3, split: 'test' as const, seed: 11 };
    const plain = await hb.datasets.digitStrips(opts);
    const a = await hb.datasets.digitStrips({ ...opts, augment: true });
    const b = await hb.datasets.digitStrips({ ...opts, augment: true });
    expect(a.labels).toEqual(plain.labels);
    const [pa, pp] = [a.images.dataSync(), plain.images.dataSync()];
    expect(Array.from(b.images.dataSync())).toEqual(Array.from(pa));
    expect(Math.min(...pa)).toBe(0);
    expect(Math.max(...pa)).toBeLessThanOrEqual(1);
    let changed = 0;
    for (let i = 0; i < pa.length; i++) if (pa[i] !== pp[i]) changed++;
    expect(changed).toBeGreaterThan(1000);
    // Ink stays in the digits' boxes: every inked pixel lies in some digit's 28×28 box of the layout.
    let outside = 0;
    stripLayouts(3, 10000, 11, 16, 19).forEach((l, i) => {
      for (let r = 0; r < 32; r++) for (let c = 0; c < 448; c++) {
        if (pa[i * 32 * 448 + r * 448 + c] !== 0 && !l.xs.some((x, k) => c >= x && c < x + 28 && r >= l.ys[k] && r < l.ys[k] + 28)) outside++;
      }
    });
    expect(outside).toBe(0);
    const other = await hb.datasets.digitStrips({ ...opts, seed: 12, augment: true });
    expect(other.labels).not.toEqual(a.labels);
  });

  it('a digit distortion by hand: whole-pixel shift, shear, scale about the centre, rotation by 90°', () => {
    const src = Float32Array.from({ length: 784 }, (_, k) => ((k * 37) % 101) / 100);
    const at = (img: ArrayLike<number>, r: number, c: number) => (r >= 0 && r < 28 && c >= 0 && c < 28 ? img[r * 28 + c] : 0);
    const out = new Float32Array(784);
    const id = { degrees: 0, scale: 1, shear: 0, dx: 0, dy: 0 };
    // Shift by (dx, dy) = (2, −1): out[r][c] = src[r + 1][c − 2], 0 where that is outside.
    distortDigit(src, 0, { ...id, dx: 2, dy: -1 }, out);
    for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) expect(out[r * 28 + c]).toBeCloseTo(at(src, r + 1, c - 2), 6);
    // One lit pixel at column 10, row 20, sheared by k = 0.5 (x' = x + k·(y − 13.5)): it lands at
    // x = 10 + 0.5·6.5 = 13.25, split by bilinear reading as 0.75 at column 13 and 0.25 at 14.
    const dot = new Float32Array(784);
    dot[20 * 28 + 10] = 1;
    distortDigit(dot, 0, { ...id, shear: 0.5 }, out);
    expect(out[20 * 28 + 13]).toBeCloseTo(0.75, 6);
    expect(out[20 * 28 + 14]).toBeCloseTo(0.25, 6);
    expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    // Scale 2 about the centre 13.5: out[r][c] reads src at 13.5 + (r − 13.5)/2, 13.5 + (c − 13.5)/2;
    // at r = c = 15 that is (14.25, 14.25), weights 0.75² on (14, 14), 0.75·0.25 on (14, 15) and
    // (15, 14), 0.25² on (15, 15); at r = c = 20 it is (16.75, 16.75), the weights mirrored.
    distortDigit(src, 0, { ...id, scale: 2 }, out);
    expect(out[15 * 28 + 15]).toBeCloseTo(at(src, 14, 14) * 0.5625 + (at(src, 14, 15) + at(src, 15, 14)) * 0.1875 + at(src, 15, 15) * 0.0625, 5);
    expect(out[20 * 28 + 20]).toBeCloseTo(at(src, 16, 16) * 0.0625 + (at(src, 16, 17) + at(src, 17, 16)) * 0.1875 + at(src, 17, 17) * 0.5625, 5);
    // Rotation by 90°: q = c + R(p − c) with R = [[0, −1], [1, 0]] (x right, y down), so
    // out[r][c] = src[27 − c][r].
    distortDigit(src, 0, { ...id, degrees: 90 }, out);
    for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) expect(out[r * 28 + c]).toBeCloseTo(at(src, 27 - c, r), 5);
    // The inverse undoes the forward map s·R(θ)·H(k) for any parameters.
    const [a, b, d, e] = digitAffineInverse({ degrees: 7, scale: 1.08, shear: -0.2 });
    const t = (7 * Math.PI) / 180;
    const f = [1.08 * Math.cos(t), 1.08 * (-0.2 * Math.cos(t) - Math.sin(t)), 1.08 * Math.sin(t), 1.08 * (-0.2 * Math.sin(t) + Math.cos(t))];
    const product = [a * f[0] + b * f[2], a * f[1] + b * f[3], d * f[0] + e * f[2], d * f[1] + e * f[3]];
    product.forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0, 1][i], 12));
  });

  it('checks the augment option', async () => {
    await expect(hb.datasets.digitStrips({ n: 1, split: 'test', augment: { rotations: 5 } as never })).rejects.toThrow(/did you mean 'rotation'/);
    await expect(hb.datasets.digitStrips({ n: 1, split: 'test', augment: { scale: [1.2, 0.9] } })).rejects.toThrow(/scale/);
    await expect(hb.datasets.digitStrips({ n: 1, split: 'test', augment: { shift: -1 } })).rejects.toThrow(/shift/);
    await expect(hb.datasets.digitStrips({ n: 1, split: 'test', augment: { probability: 1.5 } })).rejects.toThrow(/probability/);
    await expect(hb.datasets.digitStrips({ n: 1, split: 'test', augment: 'yes' as never })).rejects.toThrow(/augment/);
    await expect(hb.datasets.digitStrips({ n: 1, split: 'test', augment: { elastic: -1 } })).rejects.toThrow(/elastic/);
    await expect(hb.datasets.digitStrips({ n: 1, split: 'test', augment: { elasticSigma: 0 } })).rejects.toThrow(/elasticSigma/);
    await expect(hb.datasets.digitStrips({ n: 1, split: 'test', augment: { elastik: 3 } as never })).rejects.toThrow(/did you mean 'elastic'/);
  });

  it('elastic fields: uniform noise smoothed by a normalised Gaussian (zero outside), times alpha', () => {
    const sigma = 4;
    const radius = 12;
    const g = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
    const sum = g.reduce((a, v) => a + v, 0);
    // Constant noise (rand() = 0.75, so every draw is 0.5): each pixel is 0.5·α times the share of
    // the kernel inside the image along each axis: 1 at the centre, (Σ_{k ≤ 0} g_k / Σ g)² at a corner.
    const flat = elasticField(() => 0.75, 28, 28, 10, sigma);
    expect(flat.dx[13 * 28 + 13]).toBeCloseTo(5, 5);
    const half = g.slice(0, radius + 1).reduce((a, v) => a + v, 0) / sum;
    expect(flat.dy[0]).toBeCloseTo(5 * half * half, 5);
    // Random noise: at an interior pixel the variance is Var(U(−1, 1)) · (Σ g² / (Σ g)²)², and
    // neighbours along a row correlate by Σ g_k g_{k+1} / Σ g² (the kernel's autocorrelation).
    const rand = mulberry32(7);
    const n = 6000;
    const c = 13 * 28 + 13;
    let s2 = 0;
    let s11 = 0;
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const { dx } = elasticField(rand, 28, 28, 1, sigma);
      s2 += dx[c] * dx[c];
      s11 += dx[c] * dx[c + 1];
      mean += dx[c];
    }
    const g2 = g.reduce((a, v) => a + v * v, 0);
    const variance = (1 / 3) * (g2 / (sum * sum)) ** 2;
    expect(Math.abs(mean / n)).toBeLessThan(5 * Math.sqrt(variance / n));
    // The sample variance of n normal-like values has relative standard error √(2/n) ≈ 1.8 %.
    expect(s2 / n / variance).toBeGreaterThan(1 - 5 * Math.sqrt(2 / n));
    expect(s2 / n / variance).toBeLessThan(1 + 5 * Math.sqrt(2 / n));
    const lag = g.slice(0, -1).reduce((a, v, k) => a + v * g[k + 1], 0) / g2;
    expect(s11 / s2).toBeCloseTo(lag, 1);
  });

  it('an elastic displacement moves each sampling point by its own (dx, dy); strips with it keep layouts and labels', async () => {
    const src = Float32Array.from({ length: 784 }, (_, k) => ((k * 37) % 101) / 100);
    const at = (img: ArrayLike<number>, r: number, c: number) => (r >= 0 && r < 28 && c >= 0 && c < 28 ? img[r * 28 + c] : 0);
    const out = new Float32Array(784);
    // A constant field (2, −1) reads every output pixel (r, c) at (r − 1, c + 2).
    const field = { dx: new Float32Array(784).fill(2), dy: new Float32Array(784).fill(-1) };
    distortDigit(src, 0, { degrees: 0, scale: 1, shear: 0, dx: 0, dy: 0, field }, out);
    for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) expect(out[r * 28 + c]).toBeCloseTo(at(src, r - 1, c + 2), 6);
    const opts = { n: 3, split: 'test', seed: 4 } as const;
    const plain = await hb.datasets.digitStrips(opts);
    const elastic = { elastic: 34, rotation: 0, scale: [1, 1], shear: 0, shift: 0 } as const;
    const a = await hb.datasets.digitStrips({ ...opts, augment: elastic });
    const b = await hb.datasets.digitStrips({ ...opts, augment: elastic });
    expect(a.labels).toEqual(plain.labels);
    const pa = a.images.dataSync() as Float32Array;
    expect(Array.from(b.images.dataSync())).toEqual(Array.from(pa));
    expect(Math.min(...pa)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...pa)).toBeLessThanOrEqual(1);
    const pp = plain.images.dataSync();
    expect(Array.from(pa).reduce((m, v, i) => Math.max(m, Math.abs(v - Number(pp[i]))), 0)).toBeGreaterThan(0.5);
  });
});
