// Small images for the report (digits, filters, feature maps) as PNG data URIs, encoded by
// pngjs. Pixels are enlarged by whole factors here, so they stay crisp in any viewer.
import { PNG } from 'pngjs';

/** A single-channel image, row-major. */
export interface Tile {
  data: ArrayLike<number>;
  width: number;
  height: number;
}

export type Colour = [number, number, number];

/** How values become colours: grey for images and activations, diverging for signed weights. */
export type ColourMap = 'grey' | 'diverging';

/** Map a value in [0, 1] (grey) or [−1, 1] (diverging: blue < 0 < red, white at 0). */
export function colourOf(v: number, map: ColourMap): Colour {
  if (map === 'grey') {
    const g = Math.round(255 * Math.min(1, Math.max(0, v)));
    return [g, g, g];
  }
  const t = Math.min(1, Math.max(-1, v));
  const fade = Math.round(255 * (1 - Math.abs(t)));
  return t >= 0 ? [255, fade, fade] : [fade, fade, 255];
}

/**
 * Scale a tile's values for display: grey maps [0, max] to [0, 1] (or [min, max] when values go
 * negative); diverging divides by the largest magnitude. A constant tile shows as 0.
 */
export function normalise(tile: Tile, map: ColourMap): Float32Array {
  const v = Float32Array.from(tile.data);
  let lo = Infinity, hi = -Infinity;
  for (const x of v) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  if (map === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    return m > 0 ? v.map((x) => x / m) : v.fill(0);
  }
  const base = lo < 0 ? lo : 0;
  const span = hi - base;
  return span > 0 ? v.map((x) => (x - base) / span) : v.fill(0);
}

/** PNG bytes of a tile, each pixel enlarged to `scale`×`scale`. Values are used as given. */
export function tilePng(tile: Tile, { scale = 1, map = 'grey' as ColourMap } = {}): Buffer {
  const w = tile.width * scale;
  const h = tile.height * scale;
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = colourOf(tile.data[Math.floor(y / scale) * tile.width + Math.floor(x / scale)], map);
      const o = 4 * (y * w + x);
      png.data[o] = r;
      png.data[o + 1] = g;
      png.data[o + 2] = b;
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

export function dataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}

/** A tile as a data URI, normalised for display first. */
export function tileUri(tile: Tile, map: ColourMap, scale: number, normaliseFirst = true): string {
  const data = normaliseFirst ? normalise(tile, map) : tile.data;
  return dataUri(tilePng({ ...tile, data }, { scale, map }));
}
