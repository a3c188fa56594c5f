// Turning any photo or drawing of a digit into an MNIST-style 28×28 input, the way the MNIST
// images themselves were made (LeCun et al.): grey levels, a white digit on black, the digit's
// bounding box scaled to fit 20×20 with its aspect ratio kept, then placed in a 28×28 field so
// that its centre of mass sits at the centre. A model trained on MNIST sees the same statistics.
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { CliError } from './errors.js';

/** A single-channel image, row-major, values in [0, 1]. */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** An 8-bit RGBA image as decoders return it. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, sig: number[]): boolean => sig.every((b, i) => bytes[i] === b);

/** Decode PNG or JPEG bytes (told apart by their signatures, not the file name) to RGBA. */
export function decodeImage(bytes: Uint8Array, name = 'image'): RgbaImage {
  try {
    if (startsWith(bytes, PNG_SIGNATURE)) {
      // pngjs expands palettes, grey and 16-bit samples to 8-bit RGBA.
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (startsWith(bytes, JPEG_SIGNATURE)) {
      // A cap on decoded size keeps a hostile JPEG from exhausting memory.
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 100, maxMemoryUsageInMB: 1024 });
      return { width: img.width, height: img.height, data: img.data };
    }
  } catch (e) {
    throw new CliError(`${name}: cannot decode the image (${e instanceof Error ? e.message : String(e)})`);
  }
  throw new CliError(`${name}: not a PNG or JPEG file`);
}

/** Read and decode an image file; a missing file is one clear error. */
export function readImage(path: string): RgbaImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new CliError(`${path}: no such image file`);
  }
  return decodeImage(bytes, path);
}

/**
 * Grey levels in [0, 1] (ITU-R 601 luma). Transparent pixels are composited onto a background
 * chosen to contrast with the visible strokes: a dark digit drawn on a transparent canvas gets
 * white paper, a light one gets black.
 */
export function toGrey({ width, height, data }: RgbaImage): GreyImage {
  const n = width * height;
  const luma = new Float32Array(n);
  let transparent = false;
  let inkSum = 0;
  let inkCount = 0;
  for (let i = 0; i < n; i++) {
    const r = data[4 * i], g = data[4 * i + 1], b = data[4 * i + 2], a = data[4 * i + 3];
    luma[i] = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
    if (a < 255) transparent = true;
    if (a >= 128) {
      inkSum += luma[i];
      inkCount++;
    }
  }
  if (transparent) {
    const paper = inkCount > 0 && inkSum / inkCount > 0.5 ? 0 : 1;
    for (let i = 0; i < n; i++) {
      const alpha = data[4 * i + 3] / 255;
      luma[i] = alpha * luma[i] + (1 - alpha) * paper;
    }
  }
  return { width, height, data: luma };
}

/** Median of the border pixels: the background level, robust to a stroke touching the edge. */
export function borderLevel({ width, height, data }: GreyImage): number {
  const border: number[] = [];
  for (let x = 0; x < width; x++) border.push(data[x], data[(height - 1) * width + x]);
  for (let y = 1; y < height - 1; y++) border.push(data[y * width], data[y * width + width - 1]);
  border.sort((a, b) => a - b);
  return border[Math.floor(border.length / 2)];
}

/**
 * A white digit on black with the background at 0 and the strongest ink at 1: inverted when the
 * background is light (paper, a drawing app), then stretched between the background level and
 * the brightest pixel, so a photo's grey paper does not count as ink.
 */
export function normaliseInk(img: GreyImage): GreyImage {
  const light = borderLevel(img) > 0.5;
  const data = light ? img.data.map((v) => 1 - v) : img.data.slice();
  const bg = borderLevel({ ...img, data });
  let peak = 0;
  for (const v of data) peak = Math.max(peak, v);
  const range = peak - bg;
  for (let i = 0; i < data.length; i++) data[i] = range > 1e-6 ? Math.min(1, Math.max(0, (data[i] - bg) / range)) : 0;
  return { width: img.width, height: img.height, data };
}

/** Smallest box holding every pixel above `threshold`, or null for an empty image. */
export function boundingBox({ width, height, data }: GreyImage, threshold = 0.15): { x: number; y: number; w: number; h: number } | null {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] > threshold) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x);
        y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

export function crop(img: GreyImage, box: { x: number; y: number; w: number; h: number }): GreyImage {
  const data = new Float32Array(box.w * box.h);
  for (let y = 0; y < box.h; y++) data.set(img.data.subarray((box.y + y) * img.width + box.x, (box.y + y) * img.width + box.x + box.w), y * box.w);
  return { width: box.w, height: box.h, data };
}

/**
 * Resample to outW × outH by area averaging: each output pixel is the mean of the source area it
 * covers (fractional pixels weighted by overlap). Anti-aliased when shrinking, like the MNIST
 * normalisation; a box filter when enlarging.
 */
export function resizeArea(img: GreyImage, outW: number, outH: number): GreyImage {
  const sx = img.width / outW;
  const sy = img.height / outH;
  const out = new Float32Array(outW * outH);
  for (let oy = 0; oy < outH; oy++) {
    const ya = oy * sy, yb = (oy + 1) * sy;
    for (let ox = 0; ox < outW; ox++) {
      const xa = ox * sx, xb = (ox + 1) * sx;
      let sum = 0;
      for (let y = Math.floor(ya); y < Math.min(img.height, Math.ceil(yb)); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        for (let x = Math.floor(xa); x < Math.min(img.width, Math.ceil(xb)); x++) {
          sum += wy * (Math.min(xb, x + 1) - Math.max(xa, x)) * img.data[y * img.width + x];
        }
      }
      out[oy * outW + ox] = sum / (sx * sy);
    }
  }
  return { width: outW, height: outH, data: out };
}

/** Centre of mass (row, column) of the pixel values, in pixel-index coordinates. */
export function centreOfMass({ width, height, data }: GreyImage): { y: number; x: number } {
  let m = 0, my = 0, mx = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x];
      m += v; my += v * y; mx += v * x;
    }
  }
  return m > 0 ? { y: my / m, x: mx / m } : { y: (height - 1) / 2, x: (width - 1) / 2 };
}

/**
 * MNIST preprocessing of a decoded image: 28×28 values in [0, 1], white digit on black. The
 * digit's box is scaled so its longer side is `box` (20) pixels, then shifted by whole pixels so
 * the centre of mass lands on the field's centre (13.5, 13.5).
 */
export function toMnist(rgba: RgbaImage, { size = 28, box = 20 } = {}): GreyImage {
  const ink = normaliseInk(toGrey(rgba));
  const bbox = boundingBox(ink);
  if (bbox === null) throw new CliError('the image is blank: no digit found');
  const digit = crop(ink, bbox);
  const scale = box / Math.max(digit.width, digit.height);
  const w = Math.max(1, Math.round(digit.width * scale));
  const h = Math.max(1, Math.round(digit.height * scale));
  const small = resizeArea(digit, w, h);
  const com = centreOfMass(small);
  const centre = (size - 1) / 2;
  const top = Math.round(centre - com.y);
  const left = Math.round(centre - com.x);
  const out = new Float32Array(size * size);
  for (let y = 0; y < h; y++) {
    const ty = top + y;
    if (ty < 0 || ty >= size) continue;
    for (let x = 0; x < w; x++) {
      const tx = left + x;
      if (tx >= 0 && tx < size) out[ty * size + tx] = small.data[y * w + x];
    }
  }
  return { width: size, height: size, data: out };
}

/** A small text picture of a grey image, for `hebb predict --show`. */
export function asciiArt({ width, height, data }: GreyImage): string {
  const ramp = ' .:-=+*#%@';
  const lines: string[] = [];
  for (let y = 0; y < height; y++) {
    let line = '';
    for (let x = 0; x < width; x++) line += ramp[Math.min(ramp.length - 1, Math.floor(data[y * width + x] * ramp.length))].repeat(2);
    lines.push(line.trimEnd());
  }
  return lines.join('\n');
}
