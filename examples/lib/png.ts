// Writing small image grids (digits, perturbations, saliency maps) as PNG with pngjs, for the
// issue-12 examples. `grid` comes from hb.explain.tileImages ([H, W, 1] or [H, W, 3] in [0, 1]).
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type * as hb from '../../src/index.js';

/** Write `grid` [H, W, C] (values in [0, 1]) as a PNG, each pixel enlarged `scale` times. */
export function writePng(path: string, grid: hb.Tensor, scale = 4): void {
  const [h, w, c] = grid.shape;
  const v = grid.dataSync();
  const png = new PNG({ width: w * scale, height: h * scale });
  for (let y = 0; y < h * scale; y++) {
    for (let x = 0; x < w * scale; x++) {
      const p = (Math.floor(y / scale) * w + Math.floor(x / scale)) * c;
      const o = 4 * (y * w * scale + x);
      for (let k = 0; k < 3; k++) png.data[o + k] = Math.round(255 * Math.min(1, Math.max(0, v[p + (c === 3 ? k : 0)])));
      png.data[o + 3] = 255;
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}
