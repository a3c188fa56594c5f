import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const { transformImages, randomRotation, randomShift, randomZoom, augment } = hb.data;

/** n random images [n, h, w, c] with values in [0, 1). */
const randomImages = (shape: number[], seed = 1) => hb.randomUniform(shape, { seed });

/** A centred Gaussian blob of width sigma, [1, size, size, 1]. */
function blob(size: number, sigma: number): hb.Tensor {
  const c = (size - 1) / 2;
  const v = Float32Array.from({ length: size * size }, (_, k) => {
    const y = Math.floor(k / size) - c;
    const x = (k % size) - c;
    return Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
  });
  return hb.tensor(v, [1, size, size, 1]);
}

const close = (a: hb.Tensor, b: hb.Tensor, tol = 1e-5) => {
  expect(a.shape).toEqual(b.shape);
  const [p, q] = [a.dataSync(), b.dataSync()];
  let worst = 0;
  for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - q[i]));
  expect(worst).toBeLessThan(tol);
};

describe('transformImages', () => {
  it('rotation by 0 (and any identity) returns the images unchanged', () => {
    const x = randomImages([3, 5, 6, 2]);
    expect(transformImages(x, { degrees: 0 }).dataSync()).toEqual(x.dataSync());
    expect(randomRotation(x, { maxDegrees: 0, seed: 1 }).dataSync()).toEqual(x.dataSync());
    expect(transformImages(x, { degrees: 360 }).shape).toEqual([3, 5, 6, 2]);
    close(transformImages(x, { degrees: 360 }), x);
  });

  it('rotation by 90° of a square image is a transpose then a reversal of rows', () => {
    for (const size of [4, 5]) {
      const x = randomImages([2, size, size, 3], size);
      // np.rot90 (counter-clockwise as displayed): out[i][j] = in[j][size-1-i]
      const expected = hb.reverse(hb.transpose(x, [0, 2, 1, 3]), 1);
      close(transformImages(x, { degrees: 90 }), expected);
      close(transformImages(x, { degrees: -90 }), hb.reverse(hb.transpose(x, [0, 2, 1, 3]), 2));
      close(transformImages(x, { degrees: 180 }), hb.reverse(x, [1, 2]));
    }
  });

  it('an integer shift moves pixels exactly and fills with zeros', () => {
    const x = randomImages([1, 4, 5, 1]);
    const y = transformImages(x, { dx: 2, dy: -1 }).toArray() as number[][][][];
    const src = x.toArray() as number[][][][];
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 5; c++) {
        const [sr, sc] = [r + 1, c - 2];
        const want = sr < 4 && sc >= 0 ? src[0][sr][sc][0] : 0;
        expect(y[0][r][c][0]).toBe(want);
      }
    }
  });

  it('a fractional shift interpolates linearly between neighbours', () => {
    const x = hb.tensor([[0, 1, 3, 7]]).reshape([1, 1, 4, 1]);
    expect(transformImages(x, { dx: 0.25 }).dataSync()).toEqual(Float32Array.of(0, 0.75, 2.5, 6));
  });

  it('zoom by 2 about the centre of an odd-sized image doubles distances from the centre', () => {
    const x = randomImages([1, 9, 9, 1]);
    const y = transformImages(x, { zoom: 2 }).toArray() as number[][][][];
    const src = x.toArray() as number[][][][];
    // out(4 + 2a, 4 + 2b) = in(4 + a, 4 + b)
    for (let a = -2; a <= 2; a++) for (let b = -2; b <= 2; b++) expect(y[0][4 + 2 * a][4 + 2 * b][0]).toBeCloseTo(src[0][4 + a][4 + b][0], 6);
  });

  it('roughly conserves pixel mass of a centred blob under small rotations', () => {
    const x = blob(28, 3);
    const mass = hb.sum(x).item();
    for (const degrees of [-15, -7, 5, 15]) expect(Math.abs(hb.sum(transformImages(x, { degrees })).item() / mass - 1)).toBeLessThan(0.01);
    // and the blob is rotation invariant, so the image barely changes
    close(transformImages(x, { degrees: 15 }), x, 0.02);
  });

  it('takes one parameter set per image and single images [H, W, C]', () => {
    const x = randomImages([2, 4, 4, 1]);
    const y = transformImages(x, [{ degrees: 90 }, {}]);
    close(hb.slice(y, [1], [1]), hb.slice(x, [1], [1]));
    const img = randomImages([4, 4, 2]);
    expect(transformImages(img, { dx: 1 }).shape).toEqual([4, 4, 2]);
    expect(transformImages(hb.cast(x, 'float64'), { dx: 1 }).dtype).toBe('float64');
  });
});

describe('random augmentation', () => {
  const x = randomImages([4, 8, 8, 1]);

  it('reproduces a batch for a seed and differs between seeds and images', () => {
    for (const f of [
      (seed: number) => randomRotation(x, { maxDegrees: 15, seed }),
      (seed: number) => randomShift(x, { maxPixels: 2, seed }),
      (seed: number) => randomShift(x, { fraction: 0.2, seed }),
      (seed: number) => randomZoom(x, { range: [0.9, 1.1], seed }),
      (seed: number) => augment(x, { rotation: 10, shift: 1, zoom: [0.95, 1.05], seed }),
    ]) {
      expect(f(1).dataSync()).toEqual(f(1).dataSync());
      expect(f(1).dataSync()).not.toEqual(f(2).dataSync());
      expect(f(1).shape).toEqual(x.shape);
    }
    // the same image repeated gets different transforms within a batch
    const same = hb.tile(hb.slice(x, [0], [1]), [2, 1, 1, 1]);
    const [a, b] = hb.unstack(randomRotation(same, { seed: 3 }));
    expect(a.dataSync()).not.toEqual(b.dataSync());
  });

  it('stays within the requested range: ±15° rotation matches some angle in the range', () => {
    const img = blob(15, 2);
    const marked = hb.add(img, hb.tensor(Float32Array.from({ length: 225 }, (_, k) => (k === 3 * 15 + 7 ? 1 : 0)), [1, 15, 15, 1]));
    const out = randomRotation(marked, { maxDegrees: 15, seed: 9 });
    // the angle drawn is the one of a grid from −15° to 15° whose rotation is closest to the output
    let best = Infinity;
    for (let d = -15; d <= 15; d += 0.25) {
      best = Math.min(best, hb.max(hb.abs(hb.sub(transformImages(marked, { degrees: d }), out))).item());
    }
    expect(best).toBeLessThan(0.05);
  });

  it('without a seed follows hb.setSeed', () => {
    hb.setSeed(4);
    const a = augment(x, { rotation: 15 }).dataSync();
    hb.setSeed(4);
    expect(augment(x, { rotation: 15 }).dataSync()).toEqual(a);
  });

  it('rejects bad images and options', () => {
    expect(() => randomRotation(hb.zeros([4, 4]))).toThrow(hb.ShapeError);
    expect(() => randomRotation(hb.zeros([1, 4, 4, 1], 'int32'))).toThrow(hb.DTypeError);
    expect(() => randomRotation(x, { maxDegrees: -1 })).toThrow(/randomRotation: option 'maxDegrees' must be a non-negative number, got -1/);
    expect(() => randomShift(x, { maxPixels: 1, fraction: 0.1 })).toThrow(hb.ValueError);
    expect(() => randomShift(x, { fraction: 2 })).toThrow(hb.ValueError);
    expect(() => randomZoom(x, { range: [1.1, 0.9] })).toThrow(/zoom range/);
    expect(() => randomZoom(x, { range: [0, 1] })).toThrow(hb.ValueError);
    expect(() => transformImages(x, [{}, {}])).toThrow(/2 parameter sets for 4 images/);
    expect(() => transformImages(x, { zoom: 0 })).toThrow(hb.ValueError);
    expect(() => transformImages(x, { degrees: NaN })).toThrow(hb.ValueError);
  });
});
