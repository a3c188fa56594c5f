// MNIST-style preprocessing for `hebb predict`: any PNG/JPEG becomes a white digit on black,
// its box scaled to fit 20×20 and its centre of mass at the centre of a 28×28 field.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../cli/errors.js';
import { boundingBox, centreOfMass, decodeImage, normaliseInk, resizeArea, toGrey, toMnist, type RgbaImage } from '../../cli/image.js';

/** A `w`×`h` RGBA canvas filled with `paper`, with the rectangles in `strokes` painted `ink`. */
function canvas(w: number, h: number, strokes: [number, number, number, number][], ink = [0, 0, 0, 255], paper = [255, 255, 255, 255]): RgbaImage {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set(paper, 4 * i);
  for (const [x0, y0, sw, sh] of strokes) {
    for (let y = y0; y < y0 + sh; y++) for (let x = x0; x < x0 + sw; x++) data.set(ink, 4 * (y * w + x));
  }
  return { width: w, height: h, data };
}

// A "7": a top bar and a diagonal-ish stem drawn as steps, off-centre in a wide photo.
const SEVEN: [number, number, number, number][] = [[30, 10, 40, 8], ...Array.from({ length: 10 }, (_, i): [number, number, number, number] => [62 - 3 * i, 18 + 6 * i, 8, 6])];

function pngBytes(img: RgbaImage): Uint8Array {
  const png = new PNG({ width: img.width, height: img.height });
  png.data.set(img.data);
  return PNG.sync.write(png);
}

function checkMnistLike(out: { width: number; height: number; data: Float32Array }): void {
  expect([out.width, out.height]).toEqual([28, 28]);
  const max = Math.max(...out.data);
  expect(max).toBeGreaterThan(0.9);
  expect(Math.min(...out.data)).toBeGreaterThanOrEqual(0);
  // The border is background (MNIST digits sit in the central 20×20).
  for (let i = 0; i < 28; i++) {
    expect(out.data[i]).toBe(0);
    expect(out.data[27 * 28 + i]).toBe(0);
  }
  const box = boundingBox(out, 0.01)!;
  expect(Math.max(box.w, box.h)).toBeGreaterThanOrEqual(19);
  expect(Math.max(box.w, box.h)).toBeLessThanOrEqual(21);
  const com = centreOfMass(out);
  expect(Math.abs(com.y - 13.5)).toBeLessThanOrEqual(0.75);
  expect(Math.abs(com.x - 13.5)).toBeLessThanOrEqual(0.75);
}

describe('toMnist', () => {
  it('turns a dark digit on white paper (PNG) into a centred white digit on black', () => {
    const img = decodeImage(pngBytes(canvas(120, 90, SEVEN)));
    const out = toMnist(img);
    checkMnistLike(out);
    // Taller than wide: the height becomes 20 pixels.
    expect(boundingBox(out, 0.01)!.h).toBeGreaterThanOrEqual(19);
  });

  it('gives the same picture for a light digit on black, and for a JPEG', () => {
    const a = toMnist(canvas(120, 90, SEVEN));
    const b = toMnist(canvas(120, 90, SEVEN, [255, 255, 255, 255], [0, 0, 0, 255]));
    checkMnistLike(b);
    expect(Math.max(...a.data.map((v, i) => Math.abs(v - b.data[i])))).toBeLessThan(1e-5);
    const encoded = jpeg.encode({ width: 120, height: 90, data: Buffer.from(canvas(120, 90, SEVEN).data) }, 95);
    const c = toMnist(decodeImage(encoded.data));
    checkMnistLike(c);
    // JPEG artefacts change pixels a little, not the picture.
    const mean = c.data.reduce((s, v, i) => s + Math.abs(v - a.data[i]), 0) / 784;
    expect(mean).toBeLessThan(0.05);
  });

  it('reads a dark digit drawn on a transparent canvas as ink on white paper', () => {
    const img = canvas(60, 60, [[25, 5, 10, 50]], [0, 0, 0, 255], [0, 0, 0, 0]);
    const grey = toGrey(img);
    expect(grey.data[0]).toBeCloseTo(1); // transparent → white paper
    const out = toMnist(img);
    checkMnistLike(out);
  });

  it('stretches a grey background to 0 and the ink to 1', () => {
    const img = toGrey(canvas(10, 10, [[4, 2, 2, 6]], [40, 40, 40, 255], [200, 200, 200, 255]));
    const ink = normaliseInk(img);
    expect(ink.data[0]).toBe(0);
    expect(ink.data[2 * 10 + 4]).toBeCloseTo(1);
  });

  it('area resampling keeps the mean and shrinks a checkerboard to grey', () => {
    const board = { width: 4, height: 4, data: Float32Array.from({ length: 16 }, (_, i) => ((i % 4) + Math.floor(i / 4)) % 2) };
    const half = resizeArea(board, 2, 2);
    expect([...half.data]).toEqual([0.5, 0.5, 0.5, 0.5]);
    const odd = resizeArea(board, 3, 3);
    const mean = odd.data.reduce((s, v) => s + v, 0) / 9;
    expect(mean).toBeCloseTo(0.5, 5);
  });

  it('rejects a blank image and a file that is not an image with a clear CliError', () => {
    expect(() => toMnist(canvas(20, 20, []))).toThrow(/blank/);
    expect(() => decodeImage(new TextEncoder().encode('hello'), 'note.txt')).toThrow(CliError);
    expect(() => decodeImage(new TextEncoder().encode('hello'), 'note.txt')).toThrow('note.txt: not a PNG or JPEG file');
    const truncated = pngBytes(canvas(20, 20, [[5, 5, 4, 4]])).subarray(0, 40);
    expect(() => decodeImage(truncated, 'cut.png')).toThrow(/cut.png: cannot decode/);
  });
});
