// Convolution over 5-D channels-last data, written as the lectures draw it: slide the kernel
// over the (padded, dilated) input and take dot products. The two backward kernels run the
// very same loop and move the product the other way, which makes them the exact adjoints:
//   convBackpropInput  scatters dy·w back onto the input positions it came from (equivalently
//                      a "full" convolution of dy with the 180°-rotated kernel),
//   convBackpropFilter accumulates x·dy for every kernel tap.
import type { ConvAttrs } from '../kernels.js';
import type { Buf } from './buffer.js';

interface Geometry {
  N: number; D: number; H: number; W: number; C: number;
  KD: number; KH: number; KW: number; CG: number; F: number;
  OD: number; OH: number; OW: number; FG: number;
}

function geometry(x: readonly number[], w: readonly number[], y: readonly number[], groups: number): Geometry {
  const [N, D, H, W, C] = x;
  const [KD, KH, KW, CG, F] = w;
  const [, OD, OH, OW] = y;
  return { N, D, H, W, C, KD, KH, KW, CG, F, OD, OH, OW, FG: F / groups };
}

/**
 * Call `visit(xIndex, wIndex, yIndex)` for every (output, tap, input channel) triple whose
 * input position lies inside the unpadded input. All three kernels are this loop.
 */
function forEachTap(g: Geometry, a: ConvAttrs, visit: (xi: number, wi: number, yi: number) => void): void {
  const [sd, sh, sw] = a.strides;
  const [dd, dh, dw] = a.dilations;
  const [pd, ph, pw] = [a.pads[0][0], a.pads[1][0], a.pads[2][0]];
  for (let n = 0; n < g.N; n++)
    for (let od = 0; od < g.OD; od++)
      for (let oh = 0; oh < g.OH; oh++)
        for (let ow = 0; ow < g.OW; ow++)
          for (let f = 0; f < g.F; f++) {
            const yi = (((n * g.OD + od) * g.OH + oh) * g.OW + ow) * g.F + f;
            const c0 = Math.floor(f / g.FG) * g.CG; // first input channel of f's group
            for (let kd = 0; kd < g.KD; kd++) {
              const id = od * sd - pd + kd * dd;
              if (id < 0 || id >= g.D) continue;
              for (let kh = 0; kh < g.KH; kh++) {
                const ih = oh * sh - ph + kh * dh;
                if (ih < 0 || ih >= g.H) continue;
                for (let kw = 0; kw < g.KW; kw++) {
                  const iw = ow * sw - pw + kw * dw;
                  if (iw < 0 || iw >= g.W) continue;
                  const xBase = (((n * g.D + id) * g.H + ih) * g.W + iw) * g.C + c0;
                  const wBase = ((kd * g.KH + kh) * g.KW + kw) * g.CG * g.F + f;
                  for (let c = 0; c < g.CG; c++) visit(xBase + c, wBase + c * g.F, yi);
                }
              }
            }
          }
}

/** Which of (x, w, y) a buffer is: the index into forEachTap's (xIndex, wIndex, yIndex). */
const enum Role { X = 0, W = 1, Y = 2 }

/**
 * A kernel that adds up, over every tap, the product of its two inputs into its output, the
 * three buffers playing the roles `inputs` and `output` among (x, w, y). The three convolution
 * kernels are this one loop with the roles exchanged.
 */
function tapKernel(inputs: [Role, Role], output: Role) {
  return ([a, b]: Buf[], [out]: Buf[], attrs: ConvAttrs): void => {
    const byRole: Buf[] = [];
    [byRole[inputs[0]], byRole[inputs[1]], byRole[output]] = [a, b, out];
    const g = geometry(byRole[Role.X].shape, byRole[Role.W].shape, byRole[Role.Y].shape, attrs.groups);
    const acc = new Float64Array(out.data.length);
    const index = [0, 0, 0];
    forEachTap(g, attrs, (xi, wi, yi) => {
      index[Role.X] = xi;
      index[Role.W] = wi;
      index[Role.Y] = yi;
      acc[index[output]] += a.data[index[inputs[0]]] * b.data[index[inputs[1]]];
    });
    out.data.set(acc);
  };
}

/** y = Σ x·w. */
export const conv = tapKernel([Role.X, Role.W], Role.Y);
/** dx = Σ dy·w (the adjoint of conv in x). */
export const convBackpropInput = tapKernel([Role.Y, Role.W], Role.X);
/** dw = Σ x·dy (the adjoint of conv in w). */
export const convBackpropFilter = tapKernel([Role.X, Role.Y], Role.W);
