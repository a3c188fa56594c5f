// A drawing (white ink on a black canvas) as an MNIST digit, the way MNIST itself was made:
// crop to the ink's bounding box, scale (area averaging) so the longer side is 20 pixels, and
// place it in a 28×28 field with its centre of mass at the centre.

/** 28×28 values in [0, 1], row-major; null when nothing is drawn. */
export function prepareDigit(canvas: HTMLCanvasElement): Float32Array | null {
  const { width: W, height: H } = canvas;
  const rgba = canvas.getContext('2d')!.getImageData(0, 0, W, H).data;
  const grey = new Float32Array(W * H);
  for (let i = 0; i < W * H; i++) grey[i] = rgba[4 * i] / 255;
  let x0 = W, y0 = H, x1 = -1, y1 = -1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (grey[y * W + x] > 0.15) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const ow = Math.max(1, Math.round(bw * scale)), oh = Math.max(1, Math.round(bh * scale));
  // Area averaging: each output pixel is the mean of the source area it covers.
  const small = new Float32Array(ow * oh);
  const sx = bw / ow, sy = bh / oh;
  for (let oy = 0; oy < oh; oy++) {
    const ya = oy * sy, yb = (oy + 1) * sy;
    for (let ox = 0; ox < ow; ox++) {
      const xa = ox * sx, xb = (ox + 1) * sx;
      let sum = 0;
      for (let y = Math.floor(ya); y < Math.min(bh, Math.ceil(yb)); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        for (let x = Math.floor(xa); x < Math.min(bw, Math.ceil(xb)); x++) {
          sum += wy * (Math.min(xb, x + 1) - Math.max(xa, x)) * grey[(y0 + y) * W + x0 + x];
        }
      }
      small[oy * ow + ox] = Math.min(1, sum / (sx * sy));
    }
  }
  let m = 0, my = 0, mx = 0;
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const v = small[y * ow + x];
      m += v;
      my += v * y;
      mx += v * x;
    }
  }
  const cy = m > 0 ? my / m : (oh - 1) / 2, cx = m > 0 ? mx / m : (ow - 1) / 2;
  const top = Math.round(13.5 - cy), left = Math.round(13.5 - cx);
  const out = new Float32Array(28 * 28);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const ty = y + top, tx = x + left;
      if (ty >= 0 && ty < 28 && tx >= 0 && tx < 28) out[ty * 28 + tx] = small[y * ow + x];
    }
  }
  return out;
}
