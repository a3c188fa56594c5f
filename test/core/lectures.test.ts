// The lectures' worked examples (feed-forward networks and CNNs), with our own numbers worked out by hand in
// the comments: convolution as a sliding window, edge detection, the output-size formula, the
// parameter count, pooling and back-propagation through pooling and convolution, the neuron,
// the perceptron learning rule and the chain rule through a small sigmoid network.
// Deep-learning "convolution" is cross-correlation: y[r][c] = Σ_ij K[i][j]·X[r+i][c+j]
// (no kernel flip); the kernels below are asymmetric so a flip would show.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

/** A 2-D array as an [1, H, W, 1] image. */
const image = (rows: number[][], dtype: hb.DType = 'float32'): hb.Tensor => hb.tensor(rows, undefined, dtype).reshape([1, rows.length, rows[0].length, 1]);
/** A 2-D kernel as a [kh, kw, 1, 1] filter. */
const kernel = (rows: number[][], dtype: hb.DType = 'float32'): hb.Tensor => hb.tensor(rows, undefined, dtype).reshape([rows.length, rows[0].length, 1, 1]);
/** An [1, H, W, 1] result back to a 2-D array. */
const plane = (t: hb.Tensor): number[][] => t.reshape([t.shape[1], t.shape[2]]).toArray() as number[][];

function expectClose2d(actual: number[][], expected: number[][], tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], -Math.log10(tol))));
}

describe('convolution as a sliding window (SEEDS §3)', () => {
  // X (5×5, binary):          K (3×3):
  //   0 1 1 0 1                 1 0  0
  //   1 0 1 1 0                 0 1  2
  //   0 1 0 1 1                 1 0 -1
  //   1 1 0 0 1
  //   0 0 1 1 0
  // y[r][c] = X[r][c] + X[r+1][c+1] + 2·X[r+1][c+2] + X[r+2][c] − X[r+2][c+2]   (the non-zero taps)
  //   y00 = X00 + X11 + 2X12 + X20 − X22 = 0 + 0 + 2 + 0 − 0 = 2
  //   y01 = X01 + X12 + 2X13 + X21 − X23 = 1 + 1 + 2 + 1 − 1 = 4
  //   y02 = X02 + X13 + 2X14 + X22 − X24 = 1 + 1 + 0 + 0 − 1 = 1
  //   y10 = X10 + X21 + 2X22 + X30 − X32 = 1 + 1 + 0 + 1 − 0 = 3
  //   y11 = X11 + X22 + 2X23 + X31 − X33 = 0 + 0 + 2 + 1 − 0 = 3
  //   y12 = X12 + X23 + 2X24 + X32 − X34 = 1 + 1 + 2 + 0 − 1 = 3
  //   y20 = X20 + X31 + 2X32 + X40 − X42 = 0 + 1 + 0 + 0 − 1 = 0
  //   y21 = X21 + X32 + 2X33 + X41 − X43 = 1 + 0 + 0 + 0 − 1 = 0
  //   y22 = X22 + X33 + 2X34 + X42 − X44 = 0 + 0 + 2 + 1 − 0 = 3
  const X = [
    [0, 1, 1, 0, 1],
    [1, 0, 1, 1, 0],
    [0, 1, 0, 1, 1],
    [1, 1, 0, 0, 1],
    [0, 0, 1, 1, 0],
  ];
  const K = [
    [1, 0, 0],
    [0, 1, 2],
    [1, 0, -1],
  ];

  it("a 5×5 binary image with a 3×3 kernel, 'valid': every value of the 3×3 output", () => {
    const y = hb.conv2d(image(X), kernel(K));
    expect(y.shape).toEqual([1, 3, 3, 1]);
    expect(plane(y)).toEqual([
      [2, 4, 1],
      [3, 3, 3],
      [0, 0, 3],
    ]);
    // float64 gives the same integers.
    expect(plane(hb.conv2d(image(X, 'float64'), kernel(K, 'float64')))).toEqual([[2, 4, 1], [3, 3, 3], [0, 0, 3]]);
  });

  it("'same' padding keeps 5×5; the corner sees only the kernel's lower-right 2×2", () => {
    // With one row/column of zeros around X, y'00 = K11·X00 + K12·X01 + K21·X10 + K22·X11
    //                                            = 1·0 + 2·1 + 0·1 + (−1)·0 = 2.
    // The interior y'[r+1][c+1] is the 'valid' y[r][c].
    const y = hb.conv2d(image(X), kernel(K), { padding: 'same' });
    expect(y.shape).toEqual([1, 5, 5, 1]);
    const p = plane(y);
    expect(p[0][0]).toBe(2);
    expect(p.slice(1, 4).map((row) => row.slice(1, 4))).toEqual([[2, 4, 1], [3, 3, 3], [0, 0, 3]]);
    // padding: 1 is the same here (3×3 kernel, stride 1).
    expect(hb.conv2d(image(X), kernel(K), { padding: 1 }).toArray()).toEqual(y.toArray());
  });

  it('stride 2 takes every other window: y[0][0], y[0][2], y[2][0], y[2][2] of the stride-1 result', () => {
    expect(plane(hb.conv2d(image(X), kernel(K), { strides: 2 }))).toEqual([
      [2, 1],
      [0, 3],
    ]);
  });

  it('each kernel is one output channel; a bias adds one number per kernel', () => {
    // Two kernels: K and the all-ones 3×3 (which counts the ones in each window).
    // Ones per window of X: rows 0-2/cols 0-2: 0+1+1+1+0+1+0+1+0 = 5; cols 1-3: 1+1+0+0+1+1+1+0+1 = 6;
    // cols 2-4: 1+0+1+1+1+0+0+1+1 = 6; rows 1-3: cols 0-2: 1+0+1+0+1+0+1+1+0 = 5;
    // cols 1-3: 0+1+1+1+0+1+1+0+0 = 5; cols 2-4: 1+1+0+0+1+1+0+0+1 = 5;
    // rows 2-4: cols 0-2: 0+1+0+1+1+0+0+0+1 = 4; cols 1-3: 1+0+1+1+0+0+0+1+1 = 5; cols 2-4: 0+1+1+0+0+1+1+1+0 = 5.
    const w = hb.concat([kernel(K), hb.ones([3, 3, 1, 1])], 3);
    const bias = hb.tensor([10, -1]);
    const y = hb.add(hb.conv2d(image(X), w), bias);
    expect(y.shape).toEqual([1, 3, 3, 2]);
    expect(plane(hb.slice(y, [0, 0, 0, 0], [1, 3, 3, 1]))).toEqual([[12, 14, 11], [13, 13, 13], [10, 10, 13]]);
    expect(plane(hb.slice(y, [0, 0, 0, 1], [1, 3, 3, 1]))).toEqual([[4, 5, 5], [4, 4, 4], [3, 4, 4]]);
  });
});

describe('vertical edge detection (SEEDS §3 worked example)', () => {
  // 6×6 image: bright (10) left half, dark (0) right half; kernel rows [1, 0, −1].
  // A 3×3 window starting at column c gives Σ_rows (x[c] − x[c+2]) = 3·(x[c] − x[c+2]):
  //   c = 0: 3·(10 − 10) = 0;  c = 1: 3·(10 − 0) = 30;  c = 2: 3·(10 − 0) = 30;  c = 3: 3·(0 − 0) = 0.
  // Every row of the 4×4 output is [0, 30, 30, 0]: the edge lights up the middle columns only.
  const edge = [
    [1, 0, -1],
    [1, 0, -1],
    [1, 0, -1],
  ];
  const brightLeft = Array.from({ length: 6 }, () => [10, 10, 10, 0, 0, 0]);

  it('responds strongly only in the middle columns', () => {
    const y = plane(hb.conv2d(image(brightLeft), kernel(edge)));
    expect(y).toEqual(Array.from({ length: 4 }, () => [0, 30, 30, 0]));
  });

  it('a dark-to-bright edge gives the opposite sign; a flat image gives nothing', () => {
    const darkLeft = brightLeft.map((row) => [...row].reverse());
    expect(plane(hb.conv2d(image(darkLeft), kernel(edge)))).toEqual(Array.from({ length: 4 }, () => [0, -30, -30, 0]));
    expect(plane(hb.conv2d(image(Array.from({ length: 6 }, () => new Array<number>(6).fill(7))), kernel(edge)))).toEqual(Array.from({ length: 4 }, () => [0, 0, 0, 0]));
  });

  it('the transposed kernel detects horizontal edges instead', () => {
    // Rows 0-2 bright, rows 3-5 dark: the same numbers appear down the rows.
    const brightTop = [...Array.from({ length: 3 }, () => new Array<number>(6).fill(10)), ...Array.from({ length: 3 }, () => new Array<number>(6).fill(0))];
    const horizontal = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]];
    expect(plane(hb.conv2d(image(brightTop), kernel(horizontal)))).toEqual([[0, 0, 0, 0], [30, 30, 30, 30], [30, 30, 30, 30], [0, 0, 0, 0]]);
    expect(plane(hb.conv2d(image(brightLeft), kernel(horizontal)))).toEqual(Array.from({ length: 4 }, () => [0, 0, 0, 0]));
  });
});

describe('output size ⌊(n + 2p − f)/s⌋ + 1', () => {
  // n, p, f, s → output, by hand:
  const cases: [number, number, number, number, number, string][] = [
    [6, 0, 3, 1, 4, '(6 + 0 − 3)/1 + 1 = 4 (the edge example)'],
    [5, 1, 3, 1, 5, "(5 + 2 − 3)/1 + 1 = 5 ('same')"],
    [7, 0, 3, 2, 3, '⌊(7 − 3)/2⌋ + 1 = 2 + 1 = 3'],
    [7, 1, 3, 2, 4, '⌊(7 + 2 − 3)/2⌋ + 1 = 3 + 1 = 4'],
    [8, 0, 3, 2, 3, '⌊(8 − 3)/2⌋ + 1 = ⌊2.5⌋ + 1 = 3 (the last column is never a window start)'],
    [32, 0, 5, 1, 28, 'LeNet C1: (32 − 5)/1 + 1 = 28'],
    [28, 0, 2, 2, 14, 'LeNet S2 (as a 2×2 stride-2 window): (28 − 2)/2 + 1 = 14'],
    [227, 0, 11, 4, 55, 'AlexNet conv1: (227 − 11)/4 + 1 = 54 + 1 = 55'],
    [224, 3, 7, 2, 112, 'ResNet conv1: ⌊(224 + 6 − 7)/2⌋ + 1 = ⌊111.5⌋ + 1 = 112'],
    [13, 1, 3, 1, 13, 'AlexNet conv3: (13 + 2 − 3)/1 + 1 = 13'],
  ];
  it.each(cases)('n=%i p=%i f=%i s=%i → %i: %s', (n, p, f, s, out) => {
    const y = hb.conv2d(hb.zeros([1, n, n, 1]), hb.zeros([f, f, 1, 1]), { padding: p, strides: s });
    expect(y.shape).toEqual([1, out, out, 1]);
    // A rectangular input obeys the formula per axis: height n, width n + 3.
    const wide = Math.floor((n + 3 + 2 * p - f) / s) + 1;
    expect(hb.conv2d(hb.zeros([1, n, n + 3, 1]), hb.zeros([f, f, 1, 1]), { padding: p, strides: s }).shape).toEqual([1, out, wide, 1]);
  });
  it('pooling windows follow the same formula (p = 0): 4×4 with 2×2 stride 2 → 2×2; 7×7 with 3×3 stride 2 → 3×3', () => {
    expect(hb.maxPool2d(hb.zeros([1, 4, 4, 1]), { poolSize: 2, strides: 2 }).shape).toEqual([1, 2, 2, 1]);
    expect(hb.avgPool2d(hb.zeros([1, 7, 7, 1]), { poolSize: 3, strides: 2 }).shape).toEqual([1, 3, 3, 1]);
  });
});

describe('parameter count f·f·C_in·C_out + C_out', () => {
  const cases: [number, number, number, number, string][] = [
    [5, 1, 6, 156, 'LeNet C1: 5·5·1·6 + 6 = 150 + 6 = 156'],
    [5, 3, 6, 456, '5·5·3·6 + 6 = 450 + 6 = 456'],
    [11, 3, 96, 34944, 'AlexNet conv1: 11·11·3·96 + 96 = 34848 + 96 = 34944'],
    [3, 64, 64, 36928, 'VGG conv: 3·3·64·64 + 64 = 36864 + 64 = 36928'],
    [1, 256, 64, 16448, '1×1 reduction: 1·1·256·64 + 64 = 16384 + 64 = 16448'],
  ];
  it.each(cases)('f=%i C_in=%i C_out=%i → %i: %s', (f, cin, cout, expected) => {
    const w = hb.zeros([f, f, cin, cout]);
    const b = hb.zeros([cout]);
    expect(w.size + b.size).toBe(expected);
    // The filter shape is what conv2d needs: C_in channels in, C_out channels out, independent of H and W.
    const y = hb.add(hb.conv2d(hb.zeros([1, f + 2, f + 2, cin]), w), b);
    expect(y.shape).toEqual([1, 3, 3, cout]);
  });
});

describe('pooling a 4×4 map with 2×2 windows, stride 2', () => {
  //   1 3 | 2 9
  //   4 6 | 1 1
  //   ----+----
  //   3 2 | 1 0
  //   1 2 | 8 5
  // max: {1,3,4,6} → 6, {2,9,1,1} → 9, {3,2,1,2} → 3, {1,0,8,5} → 8
  // avg: 14/4 = 3.5, 13/4 = 3.25, 8/4 = 2, 14/4 = 3.5
  // L2 = √(mean x²): (1+9+16+36)/4 = 15.5, (4+81+1+1)/4 = 21.75, (9+4+1+4)/4 = 4.5, (1+0+64+25)/4 = 22.5
  const map = [
    [1, 3, 2, 9],
    [4, 6, 1, 1],
    [3, 2, 1, 0],
    [1, 2, 8, 5],
  ];
  const opts = { poolSize: 2, strides: 2 };

  it('max pooling keeps each window\'s largest value', () => {
    expect(plane(hb.maxPool2d(image(map), opts))).toEqual([[6, 9], [3, 8]]);
  });
  it('average pooling takes each window\'s mean', () => {
    expect(plane(hb.avgPool2d(image(map), opts))).toEqual([[3.5, 3.25], [2, 3.5]]);
  });
  it('L2 pooling takes √(mean x²)', () => {
    expectClose2d(plane(hb.l2Pool2d(image(map), opts)), [[Math.sqrt(15.5), Math.sqrt(21.75)], [Math.sqrt(4.5), Math.sqrt(22.5)]]);
  });
  it('pooling has no parameters and works per channel', () => {
    // Channel 2 = 10 × channel 1: the max and average scale by 10.
    const two = hb.concat([image(map), hb.mul(image(map), 10)], 3);
    const y = hb.maxPool2d(two, opts);
    expect(plane(hb.slice(y, [0, 0, 0, 1], [1, 2, 2, 1]))).toEqual([[60, 90], [30, 80]]);
  });

  describe('back-propagation through pooling', () => {
    // Residual (∂L/∂y) arriving at the 2×2 output:  δ = [[1, 2], [3, 4]].
    const delta = image([[1, 2], [3, 4]]);

    it('average pooling spreads each residual evenly: every input of a window gets δ/4', () => {
      // Window TL gets 1/4, TR 2/4, BL 3/4, BR 4/4, whatever the input values were.
      const g = hb.grad((x: hb.Tensor) => hb.sum(hb.mul(hb.avgPool2d(x, opts), delta)))(image(map));
      expect(plane(g)).toEqual([
        [0.25, 0.25, 0.5, 0.5],
        [0.25, 0.25, 0.5, 0.5],
        [0.75, 0.75, 1, 1],
        [0.75, 0.75, 1, 1],
      ]);
    });

    it('max pooling routes each residual to the arg-max only; the others get 0', () => {
      // Maxima: 6 at (1,1) gets 1; 9 at (0,3) gets 2; 3 at (2,0) gets 3; 8 at (3,2) gets 4.
      const g = hb.grad((x: hb.Tensor) => hb.sum(hb.mul(hb.maxPool2d(x, opts), delta)))(image(map));
      expect(plane(g)).toEqual([
        [0, 0, 0, 2],
        [0, 1, 0, 0],
        [3, 0, 0, 0],
        [0, 0, 4, 0],
      ]);
    });
  });
});

describe('back-propagation through convolution', () => {
  // x (3×3)    w (2×2)    E = ∂L/∂y (2×2, y = x ⋆ w is 2×2)
  //  1 2 0      1 2         1 −1
  //  0 1 3      3 4         2  0
  //  2 1 1
  // Input gradient: dx[i][j] = Σ_ab E[a][b]·w[i−a][j−b], i.e. the 'full' convolution of E with
  // the 180°-rotated kernel [[4,3],[2,1]] over E padded by one:
  //   dx00 = E00·w00 = 1
  //   dx01 = E00·w01 + E01·w00 = 2 − 1 = 1
  //   dx02 = E01·w01 = −2
  //   dx10 = E00·w10 + E10·w00 = 3 + 2 = 5
  //   dx11 = E00·w11 + E01·w10 + E10·w01 + E11·w00 = 4 − 3 + 4 + 0 = 5
  //   dx12 = E01·w11 + E11·w01 = −4 + 0 = −4
  //   dx20 = E10·w10 = 6
  //   dx21 = E10·w11 + E11·w10 = 8 + 0 = 8
  //   dx22 = E11·w11 = 0
  // Kernel gradient: dw[a][b] = Σ_ij x[i+a][j+b]·E[i][j], the 'valid' correlation of x with E:
  //   dw00 = 1·1 + 2·(−1) + 0·2 + 1·0 = −1
  //   dw01 = 2·1 + 0·(−1) + 1·2 + 3·0 = 4
  //   dw10 = 0·1 + 1·(−1) + 2·2 + 1·0 = 3
  //   dw11 = 1·1 + 3·(−1) + 1·2 + 1·0 = 0
  const x = image([[1, 2, 0], [0, 1, 3], [2, 1, 1]], 'float64');
  const w = kernel([[1, 2], [3, 4]], 'float64');
  const E = image([[1, -1], [2, 0]], 'float64');
  const loss = (a: hb.Tensor, b: hb.Tensor): hb.Tensor => hb.sum(hb.mul(hb.conv2d(a, b), E));

  it('a tiny case by hand: dx and dw', () => {
    const [dx, dw] = hb.grad(loss, [0, 1])(x, w);
    expect(plane(dx)).toEqual([[1, 1, -2], [5, 5, -4], [6, 8, 0]]);
    expect(dw.reshape([2, 2]).toArray()).toEqual([[-1, 4], [3, 0]]);
  });

  it('the tiny case through the rotated kernel: conv(pad(E, 1), rot180(w)) = dx', () => {
    const full = hb.conv2d(hb.pad(E, [[0, 0], [1, 1], [1, 1], [0, 0]]), hb.reverse(w, [0, 1]));
    expect(plane(full)).toEqual([[1, 1, -2], [5, 5, -4], [6, 8, 0]]);
  });

  it('in general (batches, channels, odd sizes): dx = full conv of E with the rotated kernel, channels swapped; dw = valid correlation of x with E', () => {
    for (const [n, h, wd, c, f, k] of [[2, 6, 5, 3, 4, 3], [1, 7, 7, 2, 1, 2], [3, 4, 9, 1, 2, 4]]) {
      const xs = hb.randomNormal([n, h, wd, c], { seed: h * 31 + wd, dtype: 'float64' });
      const ws = hb.randomNormal([k, k, c, f], { seed: k * 7 + c, dtype: 'float64' });
      const es = hb.randomNormal([n, h - k + 1, wd - k + 1, f], { seed: n + f, dtype: 'float64' });
      const [dx, dw] = hb.grad((a: hb.Tensor, b: hb.Tensor) => hb.sum(hb.mul(hb.conv2d(a, b), es)), [0, 1])(xs, ws);
      // dx[n,i,j,c] = Σ_abf Epad[n,i+a,j+b,f] · w[k−1−a, k−1−b, c, f]: filter rot180(w) with in/out swapped.
      const rotated = hb.transpose(hb.reverse(ws, [0, 1]), [0, 1, 3, 2]);
      const full = hb.conv2d(hb.pad(es, [[0, 0], [k - 1, k - 1], [k - 1, k - 1], [0, 0]]), rotated);
      expect(full.shape).toEqual(dx.shape);
      expect(hb.max(hb.abs(hb.sub(full, dx))).item()).toBeLessThan(1e-12);
      // dw[a,b,c,f] = Σ_nij x[n,i+a,j+b,c] · E[n,i,j,f]: a convolution with channels c as the batch,
      // the batch n as channels, and E as the filter [OH, OW, N, F].
      const corr = hb.conv2d(hb.transpose(xs, [3, 1, 2, 0]), hb.transpose(es, [1, 2, 0, 3]));
      const dwByCorrelation = hb.transpose(corr, [1, 2, 0, 3]);
      expect(dwByCorrelation.shape).toEqual(dw.shape);
      expect(hb.max(hb.abs(hb.sub(dwByCorrelation, dw))).item()).toBeLessThan(1e-12);
    }
  });
});

describe('the artificial neuron y = f(Σ w·x + b)', () => {
  it('matmul + bias + sigmoid on a hand case', () => {
    // x = [1, 2, −1], w = [0.5, −1, 2], b = 0.5:
    // z = 1·0.5 + 2·(−1) + (−1)·2 + 0.5 = 0.5 − 2 − 2 + 0.5 = −3;  y = σ(−3) = 1/(1 + e³).
    // A second input x' = [0, 0, 0] gives z = b = 0.5, y = 1/(1 + e^−0.5).
    const x = hb.tensor([[1, 2, -1], [0, 0, 0]], undefined, 'float64');
    const w = hb.tensor([[0.5], [-1], [2]], undefined, 'float64');
    const z = hb.add(hb.matmul(x, w), 0.5);
    expect(z.toArray()).toEqual([[-3], [0.5]]);
    const y = hb.sigmoid(z).dataSync();
    expect(y[0]).toBeCloseTo(1 / (1 + Math.exp(3)), 15);
    expect(y[1]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 15);
    // tanh and ReLU neurons on the same z.
    expect(hb.tanh(z).dataSync()[0]).toBeCloseTo(Math.tanh(-3), 15);
    expect(hb.relu(z).toArray()).toEqual([[0], [0.5]]);
  });
});

describe('the Rosenblatt perceptron: Δw = ε(d − y)x', () => {
  // Step unit y = [w·x + b > 0], ε = 1, weights and bias start at 0, samples in the order
  // (0,0)→0, (0,1)→0, (1,0)→0, (1,1)→1 (logical AND). By hand, (w1, w2, b) after each epoch
  // and the mistakes made in it:
  //   epoch 1: only (1,1) is wrong (z = 0 → y = 0): w = (1,1), b = 1                    1 mistake
  //   epoch 2: (0,0) z=1 → w=(1,1) b=0; (0,1) z=1 → w=(1,0) b=−1; (1,0) z=0 ok;
  //            (1,1) z=0 → w=(2,1) b=0                                                  3 mistakes
  //   epoch 3: (0,0) ok; (0,1) z=1 → w=(2,0) b=−1; (1,0) z=1 → w=(1,0) b=−2;
  //            (1,1) z=−1 → w=(2,1) b=−1                                                3 mistakes
  //   epoch 4: (0,0) ok; (0,1) z=0 ok; (1,0) z=1 → w=(1,1) b=−2; (1,1) z=0 → w=(2,2) b=−1   2 mistakes
  //   epoch 5: (0,0) ok; (0,1) z=1 → w=(2,1) b=−2; (1,0) z=0 ok; (1,1) z=1 ok            1 mistake
  //   epoch 6: z = −2, −1, 0, 1 → y = 0, 0, 0, 1: all correct; w = (2, 1), b = −2.
  const inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];

  function train(targets: number[], epochs: number): { w: number[]; b: number; mistakes: number[] } {
    let w = hb.zeros([2, 1]);
    let b = hb.scalar(0);
    const mistakes: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      let wrong = 0;
      inputs.forEach((xi, k) => {
        const x = hb.tensor([xi]);
        const y = hb.cast(hb.greater(hb.add(hb.matmul(x, w), b), 0), 'float32').reshape([]);
        const err = hb.sub(targets[k], y); // d − y
        if (err.item() !== 0) wrong++;
        w = hb.add(w, hb.mul(err, hb.transpose(x)));
        b = hb.add(b, err);
      });
      mistakes.push(wrong);
      if (wrong === 0) break;
    }
    return { w: Array.from(w.dataSync()), b: b.item(), mistakes };
  }

  it('learns AND exactly as computed by hand', () => {
    const { w, b, mistakes } = train([0, 0, 0, 1], 20);
    expect(mistakes).toEqual([1, 3, 3, 2, 1, 0]);
    expect(w).toEqual([2, 1]);
    expect(b).toBe(-2);
  });

  it('never learns XOR: no line separates {(0,1),(1,0)} from {(0,0),(1,1)}', () => {
    // w·x + b > 0 on (0,1) and (1,0) but ≤ 0 on (0,0) and (1,1) would need w1 + w2 + 2b > 0 from
    // the first pair and w1 + w2 + 2b ≤ 0 from the second (adding them): impossible.
    const { mistakes } = train([0, 1, 1, 0], 50);
    expect(mistakes).toHaveLength(50);
    expect(Math.min(...mistakes)).toBeGreaterThan(0);
  });

  it('a hidden layer solves XOR: OR and NAND units feeding an AND unit', () => {
    // h1 = σ(20x1 + 20x2 − 10) ≈ OR, h2 = σ(−20x1 − 20x2 + 30) ≈ NAND, o = σ(20h1 + 20h2 − 30) ≈ AND:
    // (0,0): h = (σ(−10), σ(30)) ≈ (0, 1) → o ≈ σ(−10) ≈ 0;  (0,1), (1,0): h ≈ (1, 1) → o ≈ σ(10) ≈ 1;
    // (1,1): h ≈ (σ(30), σ(−10)) ≈ (1, 0) → o ≈ σ(−10) ≈ 0.
    const x = hb.tensor(inputs);
    const h = hb.sigmoid(hb.add(hb.matmul(x, hb.tensor([[20, -20], [20, -20]])), hb.tensor([-10, 30])));
    const o = hb.sigmoid(hb.add(hb.matmul(h, hb.tensor([[20], [20]])), -30));
    const out = Array.from(o.dataSync());
    expect(out.map((v) => Math.round(v))).toEqual([0, 1, 1, 0]);
    expect(out[0]).toBeLessThan(1e-4);
    expect(out[1]).toBeGreaterThan(1 - 1e-4);
  });
});

describe('back-propagation by the chain rule: a 2-2-1 sigmoid network', () => {
  // Row vectors: z1 = x W1 + b1, h = σ(z1), z2 = h W2 + b2, o = σ(z2), L = ½(o − t)².
  // With σ' = σ(1 − σ), by hand:
  //   δo      = ∂L/∂z2 = (o − t) · o(1 − o)
  //   ∂L/∂W2j = δo · hj                ∂L/∂b2 = δo
  //   δhj     = ∂L/∂z1j = δo · W2j · hj(1 − hj)
  //   ∂L/∂W1ij = xi · δhj              ∂L/∂b1j = δhj
  const x = [0.5, -1];
  const W1 = [[0.1, 0.4], [-0.3, 0.2]];
  const b1 = [0.05, -0.1];
  const W2 = [0.7, -0.5];
  const b2 = 0.2;
  const t = 1;
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));

  // The hand derivation, evaluated in plain JavaScript.
  const h = [0, 1].map((j) => sig(x[0] * W1[0][j] + x[1] * W1[1][j] + b1[j]));
  const o = sig(h[0] * W2[0] + h[1] * W2[1] + b2);
  const L = 0.5 * (o - t) ** 2;
  const dO = (o - t) * o * (1 - o);
  const dW2 = h.map((hj) => dO * hj);
  const dH = h.map((hj, j) => dO * W2[j] * hj * (1 - hj));
  const dW1 = x.map((xi) => dH.map((d) => xi * d));

  const f64 = (v: number | number[] | number[][]): hb.Tensor => hb.tensor(v as number[], undefined, 'float64');
  const net = (w1: hb.Tensor, c1: hb.Tensor, w2: hb.Tensor, c2: hb.Tensor): hb.Tensor => {
    const hidden = hb.sigmoid(hb.add(hb.matmul(f64([x]), w1), c1));
    const out = hb.sigmoid(hb.add(hb.matmul(hidden, w2), c2));
    return hb.mul(hb.square(hb.sub(out, t)), 0.5).reshape([]);
  };
  const params = (): hb.Tensor[] => [f64(W1), f64(b1), f64(W2.map((v) => [v])), f64([b2])];

  it('hb.grad equals the hand-derived gradients', () => {
    const [value, [gW1, gb1, gW2, gb2]] = hb.valueAndGrad(net, [0, 1, 2, 3])(...params());
    expect(value.item()).toBeCloseTo(L, 14);
    const close = (actual: hb.Tensor, expected: number[]): void => {
      const a = Array.from(actual.dataSync());
      expect(a).toHaveLength(expected.length);
      a.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 14));
    };
    close(gW1, dW1.flat());
    close(gb1, dH);
    close(gW2, dW2);
    close(gb2, [dO]);
    // The target is above the output, so every step of gradient descent pushes o up: δo < 0.
    expect(dO).toBeLessThan(0);
  });

  it('a gradient-descent step w ← w − η ∂L/∂w lowers the loss', () => {
    const p = params();
    const before = net(...(p as [hb.Tensor, hb.Tensor, hb.Tensor, hb.Tensor])).item();
    const grads = hb.grad(net, [0, 1, 2, 3])(...p);
    const stepped = p.map((w, i) => hb.sub(w, hb.mul(grads[i], 0.5))) as [hb.Tensor, hb.Tensor, hb.Tensor, hb.Tensor];
    const after = net(...stepped).item();
    expect(after).toBeLessThan(before);
    // For a small step the decrease is η‖∇L‖² to first order (the rest is O(η²)).
    const sq = grads.reduce((s, g) => s + hb.sum(hb.square(g)).item(), 0);
    const eta = 1e-3;
    const small = p.map((w, i) => hb.sub(w, hb.mul(grads[i], eta))) as [hb.Tensor, hb.Tensor, hb.Tensor, hb.Tensor];
    expect(Math.abs(before - net(...small).item() - eta * sq)).toBeLessThan(0.01 * eta * sq);
  });
});
