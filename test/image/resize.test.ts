// hb.image.resize: hand-computed bicubic values (Keys' kernel, a = −0.5 and −0.75), PyTorch
// fixtures (printed by torch.nn.functional.interpolate, align_corners=False, float64) for every
// method, identities, and errors. Its gradient is checked in test/core/op-spec.ts.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const row = (values: number[]): hb.Tensor => hb.tensor(values, [1, 1, values.length, 1], 'float64');
const flat = (t: hb.Tensor): number[] => Array.from(t.dataSync());
const near = (got: number[], want: number[], digits = 6): void => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i], digits));
};

// x[i, j] = (4i + j)^1.5 / 8, a 4×4 image with curvature so bicubic differs from bilinear.
const X = Array.from({ length: 16 }, (_, k) => k ** 1.5 / 8);
const image = (): hb.Tensor => hb.tensor(X, [1, 4, 4, 1], 'float64');

describe('hb.image.resize', () => {
  it('bicubic a = −0.5 on [0, 1] → 4 pixels, by hand', () => {
    // Output o samples s = (o + ½)/2 − ½ = −¼, ¼, ¾, 5⁄4. Keys' kernel with a = −½:
    // K(¼) = 0.8671875, K(¾) = 0.2265625, K(5⁄4) = −0.0703125, K(7⁄4) = −0.0234375.
    // o = 0: taps −2, −1, 0 read x₀ = 0 (border replicated), tap 1 reads x₁ = 1 with K(5⁄4).
    // o = 1: x₁ gets K(¾), and tap 2 (replicated x₁) K(7⁄4): 0.2265625 − 0.0234375 = 0.203125.
    near(flat(hb.image.resize(row([0, 1]), [1, 4], { method: 'bicubic' })), [-0.0703125, 0.203125, 0.796875, 1.0703125], 12);
    // Dropping the outside taps and renormalising (PIL/TF): o = 0 is −K(5⁄4)/(K(¼) + K(5⁄4)) = −3/34,
    // o = 1 is K(¾)/(K(¼) + K(¾)) = 29/140.
    near(flat(hb.image.resize(row([0, 1]), [1, 4], { method: 'bicubic', edge: 'renormalize' })), [-3 / 34, 29 / 140, 1 - 29 / 140, 1 + 3 / 34], 12);
    // a = −0.75: K(5⁄4) = −0.75·(5⁄4³ − 5·5⁄4² + 8·5⁄4 − 4) = −0.10546875.
    expect(flat(hb.image.resize(row([0, 1]), [1, 4], { method: 'bicubic', cubicA: -0.75 }))[0]).toBeCloseTo(-0.10546875, 12);
  });

  it('matches PyTorch for bicubic (a = −0.75), bilinear, nearest-exact and antialiased bicubic', () => {
    const torchBicubic75 = [-0.1051674995, -0.0514775488, 0.0856804318, 0.3067869469, 0.5011559261, 0.2156205223, 0.3465853859, 0.5697321449, 0.8587915229, 1.1002112416, 0.8355409293, 1.0823200128, 1.4358429104, 1.8296964208, 2.1440606203, 1.7564219363, 2.0797853604, 2.525823146, 3.0012912685, 3.3739733759, 3.014329699, 3.3870840908, 3.8981846844, 4.4370313378, 4.8562819406, 4.4633911341, 4.8850595943, 5.4589997122, 6.0577767516, 6.5210663551, 5.3900995591, 5.8401535812, 6.4507280117, 7.0846723462, 7.5738891175];
    near(flat(hb.image.resize(image(), [7, 5], { method: 'bicubic', cubicA: -0.75 })), torchBicubic75, 8);
    near(flat(hb.image.resize(image(), [2, 3], { method: 'bicubic', cubicA: -0.75 })), [0.358502364, 0.7244828589, 1.2235616185, 4.2612776661, 5.1204803768, 6.0362513851], 8);
    const torchBilinear = [0.0, 0.0625, 0.1630922318, 0.3154611588, 0.5015362217, 0.6495190528, 0.5, 0.6306356215, 0.8169485939, 1.0396579979, 1.2888055369, 1.482275725, 1.3047378541, 1.5159282962, 1.8042221044, 2.112635569, 2.4394962236, 2.6892535121, 2.5236892706, 2.7845565091, 3.1378906976, 3.5077584973, 3.8931817095, 4.1861379718, 4.0122897737, 4.3146500925, 4.7225709679, 5.1448131944, 5.5807375907, 5.9111014304, 5.1961524227, 5.5275866227, 5.97383409, 6.4330871595, 6.9048721005, 7.2618437741];
    near(flat(hb.image.resize(image(), [6, 6], { method: 'bilinear' })), torchBilinear, 8);
    near(flat(hb.image.resize(image(), [3, 5], { method: 'nearest' })), [0.0, 0.125, 0.3535533906, 0.3535533906, 0.6495190528, 2.8284271247, 3.375, 3.9528470752, 3.9528470752, 4.5603590867, 5.1961524227, 5.8590208226, 6.5479004269, 6.5479004269, 7.2618437741], 8);
    // PyTorch's antialias=True is PIL's resampling: a = −0.5, widened kernel, renormalised edges.
    near(flat(hb.image.resize(image(), [2, 3], { method: 'bicubic', antialias: true, edge: 'renormalize' })), [0.6536773072, 1.0556937194, 1.5570667416, 3.912487768, 4.7089386764, 5.5503821775], 8);
  });

  it('is the identity at the same size, keeps channels apart, and takes one image [H, W, C]', () => {
    const x = hb.randomUniform([2, 3, 5, 2], { seed: 4 });
    for (const method of ['nearest', 'bilinear', 'bicubic'] as const) near(flat(hb.image.resize(x, [3, 5], { method })), flat(x), 6);
    const two = hb.concat([image(), hb.mul(image(), -2)], 3);
    const y = hb.image.resize(two, [7, 5], { method: 'bicubic' });
    const [c0, c1] = hb.split(y, 2, 3);
    near(flat(c1), flat(c0).map((v) => -2 * v), 10);
    expect(hb.image.resize(hb.zeros([4, 4, 3]), [8, 2]).shape).toEqual([8, 2, 3]);
  });

  it('rejects bad input with clear errors', () => {
    expect(() => hb.image.resize(hb.zeros([4, 4]), [2, 2])).toThrow(/image.resize: expected images \[N, H, W, C\]/);
    expect(() => hb.image.resize(hb.zeros([1, 4, 4, 1]), [0, 2])).toThrow(/size must be \[height, width\]/);
    expect(() => hb.image.resize(hb.zeros([1, 4, 4, 1]), [2, 2], { method: 'cubic' as 'bicubic' })).toThrow(/one of "nearest", "bilinear", "bicubic"/);
    expect(() => hb.image.resize(hb.zeros([1, 4, 4, 1]), [2, 2], { mode: 'bicubic' } as hb.ResizeOptions)).toThrow(/unknown option 'mode'/);
    expect(() => hb.image.resize(hb.zeros([1, 4, 4, 1], 'int32'), [2, 2])).toThrow(/float32 or float64/);
  });
});

describe('hb.image.psnr and hb.image.ssim', () => {
  it('PSNR is 10·log10(L²/MSE) per image', () => {
    const a = hb.zeros([2, 2, 2, 1]);
    const b = hb.concat([hb.full([1, 2, 2, 1], 0.1), hb.full([1, 2, 2, 1], 0.5)], 0);
    // MSE 0.01 → 20 dB; MSE 0.25 → 6.0206 dB; with L = 255 and MSE 0.01: 10·log10(65025/0.01).
    near(flat(hb.image.psnr(a, b)), [20, 10 * Math.log10(4)], 4);
    near(flat(hb.image.psnr(a, hb.slice(b, [0], [1]).pad([[0, 1], [0, 0], [0, 0], [0, 0]]), { maxVal: 255 })).slice(0, 1), [10 * Math.log10(65025 / 0.01)], 3);
  });

  it('SSIM is 1 for equal images and the luminance term alone for two constant images', () => {
    const x = hb.randomUniform([2, 12, 12, 2], { seed: 9 });
    near(flat(hb.image.ssim(x, x)), [1, 1], 6);
    // Constant images 0.2 and 0.6: σ = 0, so SSIM = (2·0.2·0.6 + C1)/(0.2² + 0.6² + C1), C1 = 0.01².
    const c1 = 1e-4;
    // float32: σ² = E[x²] − E[x]² cancels to ~0.36·2⁻²⁴, divided by C2 = 9e-4 that is ~2e-5 of noise in the
    // structure term, so 4 digits (how close depends on the backend's summation order).
    near(flat(hb.image.ssim(hb.full([1, 5, 5, 1], 0.2), hb.full([1, 5, 5, 1], 0.6), { filterSize: 3 })), [(0.24 + c1) / (0.4 + c1)], 4);
    // y = x + d: equal variances and covariance = variance, so the structure term is 1 and SSIM
    // is the mean of the luminance term, below 1 and above the constant-image value.
    const s = flat(hb.image.ssim(x, hb.add(x, 0.2)))[0];
    expect(s).toBeLessThan(1);
    expect(s).toBeGreaterThan(0.5);
    expect(() => hb.image.ssim(hb.zeros([1, 8, 8, 1]), hb.zeros([1, 8, 8, 1]))).toThrow(/smaller than the 11×11 window/);
    expect(() => hb.image.ssim(hb.zeros([1, 12, 12, 1]), hb.zeros([1, 12, 11, 1]))).toThrow(/same shape/);
  });
});
