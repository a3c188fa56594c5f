// Running sums (cumsum) of float32 along the middle axis of x viewed as [outer, size, inner].
// Each line (o, i) is one float64 accumulator stored to float32 after every step, exactly as
// the reference backend does, so the results are identical to cpu's.
import { CumsumArg } from '../tasks';
import { arg, ptr, imin } from './common';

/** Arguments: CumsumArg. Item: lines [item·chunk, …) of the outer·inner lines. */
export function cumsumItem(args: usize, item: i32): void {
  const x = ptr(args, CumsumArg.X), y = ptr(args, CumsumArg.Y);
  const outer = arg(args, CumsumArg.Outer), size = arg(args, CumsumArg.Size), inner = arg(args, CumsumArg.Inner);
  const exclusive = arg(args, CumsumArg.Exclusive) != 0, reverse = arg(args, CumsumArg.Reverse) != 0;
  const chunk = arg(args, CumsumArg.Chunk);
  const end = imin(outer * inner, (item + 1) * chunk);
  // Element steps along the axis, in bytes, and where a line starts.
  const step: isize = reverse ? -(<isize>inner << 2) : <isize>inner << 2;
  for (let line = item * chunk; line < end; line++) {
    const o = line / inner, i = line % inner;
    let at: usize = x + ((<usize>(o * size * inner + i) + (reverse ? <usize>((size - 1) * inner) : 0)) << 2);
    let out: usize = at - x + y;
    let acc: f64 = 0;
    for (let k = 0; k < size; k++) {
      const v = <f64>load<f32>(at);
      if (exclusive) {
        store<f32>(out, <f32>acc);
        acc += v;
      } else {
        acc += v;
        store<f32>(out, <f32>acc);
      }
      at += step;
      out += step;
    }
  }
}
