// Bad input gets the right error: every op of the API contract's lists (docs/api.md), the neural-network functions, the
// tensor constructors and autograd, each given bad shapes, bad dtypes and bad options. Each line
// names the error class and what the message must show: it starts with the op's name and
// contains the offending shapes or values. A sweep then feeds every op odd inputs and checks that
// nothing escapes as a plain TypeError/RangeError, and NaN inputs are shown to propagate.
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

type ErrorClass = typeof hb.ShapeError | typeof hb.DTypeError | typeof hb.ValueError;

interface Line {
  /** The name the message must start with (the op the user called). */
  op: string;
  what: string;
  call: () => unknown;
  error: ErrorClass;
  /** Substrings the message must contain (shapes as `[2,3]`, values as written). */
  shows: string[];
}

const z = (shape: number[], dtype: hb.DType = 'float32'): hb.Tensor => hb.zeros(shape, dtype);
const b = (shape: number[]): hb.Tensor => z(shape, 'bool');
const i32 = (values: number[]): hb.Tensor => hb.tensor(values, undefined, 'int32');
const img = (shape: number[] = [1, 5, 5, 2]): hb.Tensor => z(shape);
const disposed = (): hb.Tensor => {
  const t = z([2, 2]);
  t.dispose();
  return t;
};

const { ShapeError, DTypeError, ValueError } = hb;

/** Broadcasting binary ops: incompatible shapes and bool operands. */
function binaryLines(op: 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum', boolIsError = true): Line[] {
  const f = hb[op] as (a: hb.Tensor, b: hb.Tensor) => hb.Tensor;
  const lines: Line[] = [
    { op, what: '[2,3] with [4]', call: () => f(z([2, 3]), z([4])), error: ShapeError, shows: ['[2,3]', '[4]'] },
    { op, what: '[2,3] with [3,2]', call: () => f(z([2, 3]), z([3, 2])), error: ShapeError, shows: ['[2,3]', '[3,2]'] },
    { op, what: 'a disposed operand', call: () => f(disposed(), z([2, 2])), error: ValueError, shows: ['[2,2]', 'disposed'] },
  ];
  if (boolIsError) lines.push({ op, what: 'bool with bool', call: () => f(b([2]), b([2])), error: DTypeError, shows: ['bool', '[2]'] });
  return lines;
}

function compareLines(op: 'equal' | 'greater' | 'less'): Line[] {
  const f = hb[op];
  return [
    { op, what: '[2] with [3]', call: () => f(z([2]), z([3])), error: ShapeError, shows: ['[2]', '[3]'] },
    { op, what: '[5,1,3] with [2,4]', call: () => f(z([5, 1, 3]), z([2, 4])), error: ShapeError, shows: ['[5,1,3]', '[2,4]'] },
  ];
}

/** Unary float ops refuse bool (int32 is converted to float32, as in PyTorch). */
function unaryBoolLine(op: string, f: (x: hb.Tensor) => hb.Tensor): Line {
  return { op, what: 'a bool tensor', call: () => f(b([2, 2])), error: DTypeError, shows: ['bool', '[2,2]'] };
}

function reductionLines(op: 'sum' | 'mean' | 'max' | 'min' | 'variance' | 'logSumExp', boolIsError: boolean): Line[] {
  const f = hb[op] as (x: hb.Tensor, axis?: number | number[], keepDims?: boolean) => hb.Tensor;
  const lines: Line[] = [
    { op, what: 'axis 2 of a rank-2 tensor', call: () => f(z([2, 3]), 2), error: ValueError, shows: ['axis 2', 'rank 2'] },
    { op, what: 'axis -3 of a rank-2 tensor', call: () => f(z([2, 3]), -3), error: ValueError, shows: ['-3', 'rank 2'] },
    { op, what: 'a repeated axis', call: () => f(z([2, 3]), [0, -2]), error: ValueError, shows: ['[0,-2]'] },
    { op, what: 'a fractional axis', call: () => f(z([2, 3]), 0.5), error: ValueError, shows: ['0.5'] },
  ];
  if (boolIsError) lines.push({ op, what: 'a bool tensor', call: () => f(b([3])), error: DTypeError, shows: ['bool', '[3]'] });
  return lines;
}

function argLines(op: 'argmax' | 'argmin'): Line[] {
  const f = hb[op];
  return [
    { op, what: 'axis 5 of a rank-2 tensor', call: () => f(z([2, 3]), 5), error: ValueError, shows: ['axis 5', 'rank 2'] },
    { op, what: 'a bool tensor', call: () => f(b([4])), error: DTypeError, shows: ['bool', '[4]'] },
    { op, what: 'an empty axis', call: () => f(z([0, 3]), 0), error: ValueError, shows: ['[0,3]'] },
  ];
}

/** Convolutions: dtype, rank, channels, groups, strides, dilation, padding and fit. */
function convLines(op: 'conv1d' | 'conv2d' | 'conv3d', dims: 1 | 2 | 3): Line[] {
  const f = hb[op];
  const sp = (n: number): number[] => new Array<number>(dims).fill(n);
  const x = (c = 2, n = 5): hb.Tensor => z([1, ...sp(n), c]);
  const w = (cin = 2, cout = 3, k = 3): hb.Tensor => z([...sp(k), cin, cout]);
  const xShape = `[${[1, ...sp(5), 2].join(',')}]`;
  return [
    { op, what: 'an int32 input', call: () => f(z([1, ...sp(5), 2], 'int32'), w()), error: DTypeError, shows: ['int32', xShape] },
    { op, what: 'a bool filter', call: () => f(x(), z([...sp(3), 2, 3], 'bool')), error: DTypeError, shows: ['bool'] },
    { op, what: `an input of rank ${dims + 1}`, call: () => f(z([...sp(5), 2]), w()), error: ShapeError, shows: [`[${[...sp(5), 2].join(',')}]`, `rank ${dims + 2}`] },
    { op, what: `a filter of rank ${dims + 1}`, call: () => f(x(), z([...sp(3), 2])), error: ShapeError, shows: [`[${[...sp(3), 2].join(',')}]`] },
    { op, what: 'input channels ≠ filter channels', call: () => f(x(3), w(2)), error: ShapeError, shows: [`[${[1, ...sp(5), 3].join(',')}]`, `[${[...sp(3), 2, 3].join(',')}]`] },
    { op, what: 'strides 0', call: () => f(x(), w(), { strides: 0 }), error: ValueError, shows: ['strides', '0'] },
    { op, what: 'strides −1', call: () => f(x(), w(), { strides: -1 }), error: ValueError, shows: ['strides', '-1'] },
    { op, what: 'strides with the wrong count', call: () => f(x(), w(), { strides: sp(1).concat([1]) }), error: ValueError, shows: ['strides'] },
    { op, what: 'dilation 0', call: () => f(x(), w(), { dilation: 0 }), error: ValueError, shows: ['dilation', '0'] },
    { op, what: "padding 'full'", call: () => f(x(), w(), { padding: 'full' as never }), error: ValueError, shows: ['padding', 'full'] },
    { op, what: 'padding −1', call: () => f(x(), w(), { padding: -1 }), error: ValueError, shows: ['padding', '-1'] },
    { op, what: 'a kernel larger than the input', call: () => f(x(2, 2), w(2, 3, 3)), error: ShapeError, shows: [`[${[1, ...sp(2), 2].join(',')}]`] },
    { op, what: 'groups 0', call: () => f(x(4), w(2), { groups: 0 }), error: ValueError, shows: ['groups', '0'] },
    { op, what: 'groups not dividing the input channels', call: () => f(x(3), w(1, 2), { groups: 2 }), error: ShapeError, shows: [`[${[1, ...sp(5), 3].join(',')}]`, '2 groups'] },
    { op, what: 'groups not dividing the output channels', call: () => f(x(4), w(2, 3), { groups: 2 }), error: ShapeError, shows: ['3 output channels', '2 groups'] },
  ];
}

function poolLines(op: string, f: (x: hb.Tensor, o?: hb.PoolOptions) => hb.Tensor, dims: number): Line[] {
  const sp = (n: number): number[] => new Array<number>(dims).fill(n);
  return [
    { op, what: 'an int32 input', call: () => f(z([1, ...sp(4), 1], 'int32')), error: DTypeError, shows: ['int32'] },
    { op, what: `an input of rank ${dims + 1}`, call: () => f(z([...sp(4), 1])), error: ShapeError, shows: [`[${[...sp(4), 1].join(',')}]`] },
    { op, what: 'padding equal to the window', call: () => f(z([1, ...sp(4), 1]), { poolSize: 2, padding: 2 }), error: ValueError, shows: ['padding', 'window 2'] },
    { op, what: 'poolSize 0', call: () => f(z([1, ...sp(4), 1]), { poolSize: 0 }), error: ValueError, shows: ['poolSize', '0'] },
    { op, what: 'strides −2', call: () => f(z([1, ...sp(4), 1]), { strides: -2 }), error: ValueError, shows: ['strides', '-2'] },
    { op, what: 'a window larger than the input', call: () => f(z([1, ...sp(2), 1]), { poolSize: 3 }), error: ShapeError, shows: [`[${[1, ...sp(2), 1].join(',')}]`] },
    { op, what: "padding 'bogus'", call: () => f(z([1, ...sp(4), 1]), { padding: 'bogus' as never }), error: ValueError, shows: ['bogus'] },
  ];
}

const table: Line[] = [
  // ---- tensors ----
  { op: 'tensor', what: 'a ragged nested array', call: () => hb.tensor([[1, 2], [3]]), error: ShapeError, shows: ['ragged', 'length 2', 'length 1'] },
  { op: 'tensor', what: 'an unknown dtype', call: () => hb.tensor([1, 2], undefined, 'float16' as never), error: DTypeError, shows: ['float16'] },
  { op: 'tensor', what: 'a shape that does not fit the values', call: () => hb.tensor([1, 2, 3], [2, 2]), error: ShapeError, shows: ['[2,2]', '3'] },
  { op: 'tensor', what: 'a negative dimension', call: () => hb.tensor([1], [-1]), error: ShapeError, shows: ['[-1]'] },
  { op: 'tensor', what: 'string values', call: () => hb.tensor(['a'] as never), error: ValueError, shows: ['string'] },
  { op: 'tensor', what: 'an Int8Array', call: () => hb.tensor(new Int8Array(2) as never), error: DTypeError, shows: ['Int8Array'] },
  { op: 'full', what: 'zeros with an unknown dtype', call: () => hb.zeros([2], 'complex64' as never), error: DTypeError, shows: ['complex64'] },
  { op: 'full', what: 'ones with a fractional dimension', call: () => hb.ones([1.5]), error: ShapeError, shows: ['[1.5]'] },
  { op: 'eye', what: 'a negative size', call: () => hb.eye(-1), error: ValueError, shows: ['-1'] },
  { op: 'arange', what: 'step 0', call: () => hb.arange(0, 5, 0), error: ValueError, shows: ['step', '0'] },
  { op: 'arange', what: 'a NaN stop', call: () => hb.arange(0, NaN), error: ValueError, shows: ['NaN'] },
  { op: 'linspace', what: 'a negative count', call: () => hb.linspace(0, 1, -2), error: ValueError, shows: ['-2'] },
  { op: 'randomNormal', what: 'a negative std', call: () => hb.randomNormal([2], { std: -1 }), error: ValueError, shows: ['std', '-1'] },
  { op: 'randomNormal', what: 'an int32 dtype', call: () => hb.randomNormal([2], { dtype: 'int32' }), error: DTypeError, shows: ['int32'] },
  { op: 'randomUniform', what: 'min > max', call: () => hb.randomUniform([2], { min: 1, max: 0 }), error: ValueError, shows: ['min 1', 'max 0'] },
  { op: 'item', what: 'item() of a 2-element tensor', call: () => z([2]).item(), error: ValueError, shows: ['2 elements', '[2]'] },
  { op: 'dataSync', what: 'dataSync() of a disposed tensor', call: () => disposed().dataSync(), error: ValueError, shows: ['[2,2]', 'disposed'] },
  { op: 'dataSync', what: 'toArray() of a disposed tensor', call: () => disposed().toArray(), error: ValueError, shows: ['disposed'] },
  { op: 'relu', what: 'a disposed tensor in an op', call: () => hb.relu(disposed()), error: ValueError, shows: ['[2,2]', 'disposed'] },
  { op: 'reshape', what: 'a disposed tensor in a method', call: () => disposed().reshape([4]), error: ValueError, shows: ['disposed'] },
  // ---- elementwise ----
  ...binaryLines('add'), ...binaryLines('sub'), ...binaryLines('mul'), ...binaryLines('div'), ...binaryLines('pow'),
  ...binaryLines('maximum'), ...binaryLines('minimum'),
  ...(['neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'square'] as const).map((op) => unaryBoolLine(op, hb[op])),
  { op: 'clip', what: 'min > max', call: () => hb.clip(z([2]), 1, 0), error: ValueError, shows: ['min 1', 'max 0'] },
  { op: 'clip', what: 'a NaN bound', call: () => hb.clip(z([2]), NaN, 1), error: ValueError, shows: ['NaN'] },
  unaryBoolLine('clip', (x) => hb.clip(x, 0, 1)),
  { op: 'where', what: 'a float condition', call: () => hb.where(z([2]), z([2]), z([2])), error: DTypeError, shows: ['float32', '[2]'] },
  { op: 'where', what: 'branches [2] and [3]', call: () => hb.where(b([2]), z([2]), z([3])), error: ShapeError, shows: ['[2]', '[3]'] },
  { op: 'where', what: 'a condition [4] against [2]', call: () => hb.where(b([4]), z([2]), z([2])), error: ShapeError, shows: ['[4]', '[2]'] },
  ...compareLines('equal'), ...compareLines('greater'), ...compareLines('less'),
  // ---- matmul ----
  { op: 'matmul', what: '[2,3] x [4,5]', call: () => hb.matmul(z([2, 3]), z([4, 5])), error: ShapeError, shows: ['[2,3]', '[4,5]'] },
  { op: 'matmul', what: 'a vector [3] x [4]', call: () => hb.matmul(z([3]), z([4])), error: ShapeError, shows: ['[3]', '[4]'] },
  { op: 'matmul', what: 'transposeB making [2,3] x [3,4]ᵀ mismatch', call: () => hb.matmul(z([2, 3]), z([3, 4]), false, true), error: ShapeError, shows: ['[2,3]', '[3,4]', 'transposed'] },
  { op: 'matmul', what: 'batches [2] and [3]', call: () => hb.matmul(z([2, 2, 3]), z([3, 3, 4])), error: ShapeError, shows: ['[2,2,3]', '[3,3,4]'] },
  { op: 'matmul', what: 'a scalar operand', call: () => hb.matmul(hb.scalar(1), z([2])), error: ShapeError, shows: ['[]', '[2]'] },
  { op: 'matmul', what: 'bool operands', call: () => hb.matmul(b([2, 2]), b([2, 2])), error: DTypeError, shows: ['bool', '[2,2]'] },
  // ---- movement ----
  { op: 'reshape', what: '[2,3] into [4,2]', call: () => hb.reshape(z([2, 3]), [4, 2]), error: ShapeError, shows: ['[2,3]', '[4,2]'] },
  { op: 'reshape', what: 'two −1 dimensions', call: () => hb.reshape(z([4]), [-1, -1]), error: ShapeError, shows: ['[-1,-1]'] },
  { op: 'reshape', what: '[2,3] into [-1,4]', call: () => hb.reshape(z([2, 3]), [-1, 4]), error: ShapeError, shows: ['[2,3]', '[-1,4]'] },
  { op: 'transpose', what: 'perm [0,0]', call: () => hb.transpose(z([2, 3]), [0, 0]), error: ValueError, shows: ['[0,0]', '[2,3]'] },
  { op: 'transpose', what: 'perm [1] for rank 2', call: () => hb.transpose(z([2, 3]), [1]), error: ValueError, shows: ['[1]', '[2,3]'] },
  { op: 'transpose', what: 'perm [0,2] for rank 2', call: () => hb.transpose(z([2, 3]), [0, 2]), error: ValueError, shows: ['axis 2', 'rank 2'] },
  { op: 'transpose', what: 'a number instead of a perm', call: () => hb.transpose(z([2, 3]), 1 as never), error: ValueError, shows: ['[2,3]', '1'] },
  { op: 'concat', what: '[2,3] and [2,4] along 0', call: () => hb.concat([z([2, 3]), z([2, 4])], 0), error: ShapeError, shows: ['[2,3]', '[2,4]'] },
  { op: 'concat', what: 'ranks 2 and 1', call: () => hb.concat([z([2, 3]), z([3])], 0), error: ShapeError, shows: ['[2,3]', '[3]'] },
  { op: 'concat', what: 'axis 2 of rank 2', call: () => hb.concat([z([2, 3]), z([2, 3])], 2), error: ValueError, shows: ['axis 2', 'rank 2'] },
  { op: 'concat', what: 'an empty list', call: () => hb.concat([]), error: ValueError, shows: ['non-empty'] },
  { op: 'concat', what: 'scalars', call: () => hb.concat([hb.scalar(1), hb.scalar(2)]), error: ShapeError, shows: ['scalars'] },
  { op: 'stack', what: '[2] and [3]', call: () => hb.stack([z([2]), z([3])]), error: ShapeError, shows: ['[2]', '[3]'] },
  { op: 'stack', what: 'axis 3 for rank-1 inputs', call: () => hb.stack([z([2]), z([2])], 3), error: ValueError, shows: ['axis 3'] },
  { op: 'slice', what: 'begin+size past the end', call: () => hb.slice(z([3, 4]), [1, 2], [3, 1]), error: ValueError, shows: ['[1,2]', '[3,1]', '[3,4]'] },
  { op: 'slice', what: 'a negative begin', call: () => hb.slice(z([3, 4]), [-1]), error: ValueError, shows: ['[-1]', '[3,4]'] },
  { op: 'slice', what: 'more axes than the rank', call: () => hb.slice(z([3, 4]), [0, 0, 0], [1, 1, 1]), error: ShapeError, shows: ['[0,0,0]', '[3,4]'] },
  { op: 'slice', what: 'begin and size of different lengths', call: () => hb.slice(z([3, 4]), [0, 0], [1]), error: ShapeError, shows: ['[0,0]', '[1]'] },
  { op: 'gather', what: 'float indices', call: () => hb.gather(z([3, 4]), hb.tensor([0, 1])), error: DTypeError, shows: ['int32', 'float32', '[2]'] },
  { op: 'gather', what: 'index 5 of 3', call: () => hb.gather(z([3, 4]), i32([0, 5])), error: ValueError, shows: ['5', '[0, 3)'] },
  { op: 'gather', what: 'index −1', call: () => hb.gather(z([3, 4]), i32([-1])), error: ValueError, shows: ['-1'] },
  { op: 'gather', what: 'axis 2 of rank 2', call: () => hb.gather(z([3, 4]), i32([0]), 2), error: ValueError, shows: ['axis 2', 'rank 2'] },
  { op: 'gather', what: 'a scalar source', call: () => hb.gather(hb.scalar(1), i32([0])), error: ShapeError, shows: ['scalar'] },
  { op: 'pad', what: 'a negative padding', call: () => hb.pad(z([2]), [[1, -1]]), error: ValueError, shows: ['[[1,-1]]', '[2]'] },
  { op: 'pad', what: 'one pair for rank 2', call: () => hb.pad(z([2, 2]), [[1, 1]]), error: ValueError, shows: ['2 pairs', '[2,2]'] },
  { op: 'flatten', what: 'startAxis 5 of rank 2', call: () => hb.flatten(z([2, 3]), 5), error: ValueError, shows: ['axis 5', 'rank 2'] },
  { op: 'flatten', what: 'startAxis after endAxis', call: () => hb.flatten(z([2, 3, 4]), 2, 1), error: ValueError, shows: ['2', '1'] },
  { op: 'expandDims', what: 'axis 3 of rank 1', call: () => hb.expandDims(z([2]), 3), error: ValueError, shows: ['axis 3', 'rank 2'] },
  { op: 'squeeze', what: 'an axis of size 2', call: () => hb.squeeze(z([2, 3]), 0), error: ShapeError, shows: ['axis 0', '[2,3]', 'size 2'] },
  { op: 'squeeze', what: 'axis 1 of rank 1', call: () => hb.squeeze(z([1]), 1), error: ValueError, shows: ['axis 1', 'rank 1'] },
  { op: 'tile', what: 'reps of the wrong length', call: () => hb.tile(z([2]), [1, 2]), error: ValueError, shows: ['[1,2]', '[2]'] },
  { op: 'tile', what: 'negative reps', call: () => hb.tile(z([2]), [-1]), error: ValueError, shows: ['[-1]'] },
  // ---- reductions ----
  ...reductionLines('sum', false), ...reductionLines('mean', false), ...reductionLines('max', true), ...reductionLines('min', true),
  ...reductionLines('variance', true), ...reductionLines('logSumExp', true),
  { op: 'max', what: 'an empty axis', call: () => hb.max(z([0, 2]), 0), error: ValueError, shows: ['[0,2]'] },
  ...argLines('argmax'), ...argLines('argmin'),
  // ---- activations ----
  ...(['relu', 'sigmoid', 'tanh', 'softmax', 'logSoftmax', 'leakyRelu', 'elu', 'selu', 'gelu', 'softplus'] as const).map((op) =>
    unaryBoolLine(op, hb[op] as (x: hb.Tensor) => hb.Tensor)),
  { op: 'softmax', what: 'axis 2 of rank 2', call: () => hb.softmax(z([2, 3]), 2), error: ValueError, shows: ['axis 2', 'rank 2'] },
  { op: 'softmax', what: 'a scalar', call: () => hb.softmax(hb.scalar(1)), error: ValueError, shows: ['scalar'] },
  { op: 'logSoftmax', what: 'axis −3 of rank 2', call: () => hb.logSoftmax(z([2, 3]), -3), error: ValueError, shows: ['-3', 'rank 2'] },
  // ---- neural-network functions ----
  ...convLines('conv1d', 1), ...convLines('conv2d', 2), ...convLines('conv3d', 3),
  { op: 'conv2dTranspose', what: 'an int32 input', call: () => hb.conv2dTranspose(z([1, 4, 4, 2], 'int32'), z([3, 3, 1, 2])), error: DTypeError, shows: ['int32', '[1,4,4,2]'] },
  { op: 'conv2dTranspose', what: 'a rank-3 input', call: () => hb.conv2dTranspose(z([4, 4, 2]), z([3, 3, 1, 2])), error: ShapeError, shows: ['[4,4,2]'] },
  { op: 'conv2dTranspose', what: 'channels ≠ the filter\'s in channels', call: () => hb.conv2dTranspose(z([1, 4, 4, 2]), z([3, 3, 1, 3])), error: ShapeError, shows: ['[1,4,4,2]', '[3,3,1,3]'] },
  { op: 'conv2dTranspose', what: 'strides 0', call: () => hb.conv2dTranspose(z([1, 4, 4, 2]), z([3, 3, 1, 2]), { strides: 0 }), error: ValueError, shows: ['strides', '0'] },
  { op: 'conv2dTranspose', what: 'an inconsistent outputShape', call: () => hb.conv2dTranspose(z([1, 4, 4, 2]), z([3, 3, 1, 2]), { outputShape: [3, 3] }), error: ShapeError, shows: ['3x3', '[1,4,4,2]'] },
  { op: 'conv2dTranspose', what: 'a negative outputShape', call: () => hb.conv2dTranspose(z([1, 4, 4, 2]), z([3, 3, 1, 2]), { outputShape: [-6, 6] }), error: ValueError, shows: ['[-6,6]'] },
  { op: 'conv2dTranspose', what: "padding 'full'", call: () => hb.conv2dTranspose(z([1, 4, 4, 2]), z([3, 3, 1, 2]), { padding: 'full' as never }), error: ValueError, shows: ['full'] },
  { op: 'depthwiseConv2d', what: 'an int32 input', call: () => hb.depthwiseConv2d(z([1, 4, 4, 2], 'int32'), z([3, 3, 2, 1])), error: DTypeError, shows: ['int32'] },
  { op: 'depthwiseConv2d', what: 'a rank-3 input', call: () => hb.depthwiseConv2d(z([4, 4, 2]), z([3, 3, 2, 1])), error: ShapeError, shows: ['[4,4,2]'] },
  { op: 'depthwiseConv2d', what: 'channel mismatch', call: () => hb.depthwiseConv2d(z([1, 4, 4, 2]), z([3, 3, 3, 1])), error: ShapeError, shows: ['[3,3,3,1]', '[1,4,4,2]'] },
  { op: 'depthwiseConv2d', what: 'strides −1', call: () => hb.depthwiseConv2d(z([1, 4, 4, 2]), z([3, 3, 2, 1]), { strides: -1 }), error: ValueError, shows: ['strides', '-1'] },
  { op: 'separableConv2d', what: 'a pointwise filter with the wrong channels', call: () => hb.separableConv2d(z([1, 4, 4, 2]), z([3, 3, 2, 1]), z([1, 1, 3, 4])), error: ShapeError, shows: ['[1,1,3,4]'] },
  ...poolLines('maxPool1d', hb.maxPool1d, 1), ...poolLines('maxPool2d', hb.maxPool2d, 2), ...poolLines('maxPool3d', hb.maxPool3d, 3),
  ...poolLines('avgPool1d', hb.avgPool1d, 1), ...poolLines('avgPool2d', hb.avgPool2d, 2), ...poolLines('avgPool3d', hb.avgPool3d, 3),
  ...poolLines('l2Pool1d', hb.l2Pool1d, 1), ...poolLines('l2Pool2d', hb.l2Pool2d, 2), ...poolLines('l2Pool3d', hb.l2Pool3d, 3),
  ...poolLines('sumPool1d', hb.sumPool1d, 1), ...poolLines('sumPool2d', hb.sumPool2d, 2), ...poolLines('sumPool3d', hb.sumPool3d, 3),
  { op: 'localResponseNormalization', what: 'a rank-3 input', call: () => hb.localResponseNormalization(z([4, 4, 3])), error: ShapeError, shows: ['[4,4,3]', 'rank 4'] },
  { op: 'localResponseNormalization', what: 'an int32 input', call: () => hb.localResponseNormalization(z([1, 2, 2, 3], 'int32')), error: DTypeError, shows: ['int32'] },
  { op: 'localResponseNormalization', what: 'depthRadius −1', call: () => hb.localResponseNormalization(img(), { depthRadius: -1 }), error: ValueError, shows: ['depthRadius', '-1'] },
  { op: 'localResponseNormalization', what: 'depthRadius 1.5', call: () => hb.localResponseNormalization(img(), { depthRadius: 1.5 }), error: ValueError, shows: ['depthRadius', '1.5'] },
  { op: 'localResponseNormalization', what: 'beta NaN', call: () => hb.localResponseNormalization(img(), { beta: NaN }), error: ValueError, shows: ['beta', 'NaN'] },
  { op: 'localResponseNormalization', what: "alpha '1'", call: () => hb.localResponseNormalization(img(), { alpha: '1' as never }), error: ValueError, shows: ['alpha', '"1"'] },
  { op: 'dropout', what: 'rate 1', call: () => hb.dropout(img(), 1), error: ValueError, shows: ['rate', '1'] },
  { op: 'dropout', what: 'rate −0.1', call: () => hb.dropout(img(), -0.1), error: ValueError, shows: ['-0.1'] },
  { op: 'dropout', what: 'rate NaN', call: () => hb.dropout(img(), NaN), error: ValueError, shows: ['NaN'] },
  { op: 'dropout', what: 'a bool input', call: () => hb.dropout(b([2]), 0.5), error: DTypeError, shows: ['bool', '[2]'] },
  // ---- autograd ----
  { op: 'grad', what: 'a non-scalar function', call: () => hb.grad((x) => hb.mul(x, 2))(z([3])), error: ShapeError, shows: ['scalar', '[3]'] },
  { op: 'grad', what: 'an int32 argument', call: () => hb.grad((x) => hb.sum(x))(z([3], 'int32')), error: DTypeError, shows: ['argument 0', 'int32'] },
  { op: 'grad', what: 'argnums past the arguments', call: () => hb.grad((x) => hb.sum(x), [0, 2])(z([3])), error: ValueError, shows: ['position 2', '1 argument'] },
  { op: 'grad', what: 'a function returning a number', call: () => hb.grad((() => 3) as never)(z([3])), error: ValueError, shows: ['Tensor', 'number'] },
  { op: 'grad', what: 'a function returning an int32 scalar', call: () => hb.grad(() => hb.scalar(1, 'int32'))(z([3])), error: DTypeError, shows: ['int32'] },
  { op: 'valueAndGrad', what: 'a non-scalar function', call: () => hb.valueAndGrad((x) => x)(z([2, 2])), error: ShapeError, shows: ['[2,2]'] },
  { op: 'vjp', what: 'a cotangent of the wrong size', call: () => hb.vjp((x) => hb.mul(x, 2), [z([3])], z([4])), error: ShapeError, shows: ['[4]', '[3]'] },
  { op: 'variableGrads', what: 'an int32 variable', call: () => hb.variableGrads(() => hb.sum(z([2])), [z([2], 'int32')]), error: DTypeError, shows: ['variable 0', 'int32'] },
  { op: 'checkGrad', what: 'eps 0', call: () => hb.checkGrad((x) => hb.sum(x), [z([2])], { eps: 0 }), error: ValueError, shows: ['eps', '0'] },
  {
    op: 'customGrad', what: 'a gradFunc returning two gradients for one input',
    call: () => hb.grad((x) => hb.sum(hb.customGrad((a) => ({ value: hb.mul(a, 1), gradFunc: (dy) => [dy, dy] }))(x)))(z([2])),
    error: ValueError, shows: ['2 gradients', '1 inputs'],
  },
  { op: 'setBackend', what: 'an unknown backend', call: () => hb.setBackend('no-such-backend'), error: ValueError, shows: ['no-such-backend'] },
];

/** Run `call` and return what it threw (failing the test if it did not throw). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, but the call returned normally');
}

describe('each op rejects bad shapes, dtypes and options with the right error', () => {
  it.each(table.map((l) => [`${l.op}: ${l.what} → ${l.error.name}`, l] as const))('%s', (_, line) => {
    const e = thrown(line.call);
    expect(e, String(e)).toBeInstanceOf(line.error);
    expect(e).toBeInstanceOf(hb.HebbError);
    const message = (e as Error).message;
    expect(message.startsWith(line.op), `"${message}" should start with "${line.op}"`).toBe(true);
    for (const s of line.shows) expect(message).toContain(s);
    expect((e as Error).name).toBe(line.error.name);
  });

  it('covers every op of the API contract and every neural-network function', () => {
    const apiOps = [
      'tensor', 'full', 'eye', 'arange', 'randomNormal', 'randomUniform', 'item',
      'add', 'sub', 'mul', 'div', 'pow', 'neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'square', 'clip', 'maximum', 'minimum',
      'where', 'equal', 'greater', 'less', 'matmul',
      'reshape', 'transpose', 'concat', 'stack', 'slice', 'gather', 'pad', 'flatten', 'expandDims', 'squeeze', 'tile',
      'sum', 'mean', 'max', 'min', 'argmax', 'argmin', 'variance', 'logSumExp',
      'relu', 'sigmoid', 'tanh', 'softmax', 'logSoftmax', 'leakyRelu', 'elu', 'selu', 'gelu', 'softplus',
      'conv1d', 'conv2d', 'conv3d', 'conv2dTranspose', 'depthwiseConv2d',
      'maxPool1d', 'maxPool2d', 'maxPool3d', 'avgPool1d', 'avgPool2d', 'avgPool3d', 'l2Pool1d', 'l2Pool2d', 'l2Pool3d', 'dropout',
      'grad', 'valueAndGrad',
    ];
    const covered = new Set(table.map((l) => l.op));
    expect(apiOps.filter((op) => !covered.has(op))).toEqual([]);
    // Each error class is exercised for the ops where it applies.
    const classesOf = (op: string): Set<string> => new Set(table.filter((l) => l.op === op).map((l) => l.error.name));
    for (const op of ['conv1d', 'conv2d', 'conv3d']) expect([...classesOf(op)].sort()).toEqual(['DTypeError', 'ShapeError', 'ValueError']);
    for (const op of ['add', 'gather', 'max']) expect(classesOf(op).has('DTypeError') || classesOf(op).has('ShapeError')).toBe(true);
  });
});

describe('no bad input escapes as a plain TypeError, RangeError or crash', () => {
  // Odd inputs crossed with every op: each call must either work or throw a HebbError.
  const inputs: [string, () => unknown][] = [
    ['empty [0]', () => hb.zeros([0])], ['empty [2,0]', () => hb.zeros([2, 0])], ['scalar', () => hb.scalar(1.5)],
    ['bool [2,3]', () => hb.ones([2, 3], 'bool')], ['int32 [2,3]', () => hb.ones([2, 3], 'int32')], ['float64 [2,3]', () => hb.ones([2, 3], 'float64')],
    ['image [1,3,3,2]', () => hb.ones([1, 3, 3, 2])], ['rank-5', () => hb.ones([1, 2, 3, 3, 1])], ['rank-3', () => hb.ones([1, 4, 2])],
    ['NaN/−∞', () => hb.tensor([NaN, 1, -Infinity])], ['number', () => 2], ['nested array', () => [[1, 2], [3, 4]]], ['boolean', () => true],
    ['null', () => null], ['string', () => 'x'], ['object', () => ({})],
  ];
  const call = (fn: unknown, ...args: unknown[]): unknown => (fn as (...a: unknown[]) => unknown)(...args);
  const check = (label: string, f: () => unknown, failures: string[]): void => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof hb.HebbError)) failures.push(`${label}: ${(e as Error)?.constructor?.name} ${(e as Error)?.message}`);
    }
  };
  const ops = hb as unknown as Record<string, unknown>;

  it('unary ops, reductions and activations with odd tensors and axes', () => {
    const names = ('neg abs sign exp log sqrt square reciprocal floor ceil round logicalNot isNaN isFinite relu relu6 sigmoid tanh softmax '
      + 'logSoftmax leakyRelu elu selu gelu softplus swish softsign hardSigmoid flatten expandDims squeeze clone sum mean max min argmax '
      + 'argmin variance std logSumExp any all unstack').split(' ');
    const axes: unknown[] = [undefined, 0, -1, 3, [0, 1], [0, 0], 1.5, 'a'];
    const failures: string[] = [];
    for (const op of names) {
      for (const [n, x] of inputs) {
        for (const a of axes) check(`${op}(${n}, ${JSON.stringify(a)})`, () => call(ops[op], x(), a), failures);
      }
    }
    expect(failures).toEqual([]);
  });

  it('binary ops and where with every pair of odd operands', () => {
    const names = 'add sub mul div pow mod maximum minimum equal notEqual greater greaterEqual less lessEqual logicalAnd logicalOr matmul outer'.split(' ');
    const failures: string[] = [];
    for (const op of names) for (const [n, a] of inputs) for (const [m, c] of inputs) check(`${op}(${n}, ${m})`, () => call(ops[op], a(), c()), failures);
    for (const [n, a] of inputs) for (const [m, c] of inputs) check(`where(${n}, ${m})`, () => hb.where(a() as never, c() as never, c() as never), failures);
    expect(failures).toEqual([]);
  });

  it('movement ops with odd arguments', () => {
    const calls: [string, unknown[]][] = [
      ['reshape', [[3, 2]]], ['reshape', ['a']], ['transpose', [[1, 0]]], ['transpose', ['ab']], ['slice', [[0], [1]]], ['slice', ['a']],
      ['gather', [[0, 1]]], ['gather', [[9], 1]], ['pad', [[[1, 1], [0, 0]]]], ['pad', [3]], ['tile', [[2, 1]]], ['tile', [3]],
      ['broadcastTo', [[4, 2, 3]]], ['broadcastTo', ['x']], ['reverse', [[0, 1]]], ['split', [2]], ['split', [[1, 1]]], ['oneHot', [3]],
      ['cast', ['int32']], ['cast', ['bad']], ['clip', [1, 0]], ['clip', [0, 1]],
    ];
    const failures: string[] = [];
    for (const [op, args] of calls) for (const [n, x] of inputs) check(`${op}(${n}, ${JSON.stringify(args)})`, () => call(ops[op], x(), ...args), failures);
    for (const [n, x] of inputs) {
      for (const [m, y] of inputs) {
        check(`concat(${n}, ${m})`, () => hb.concat([x(), y()] as never), failures);
        check(`stack(${n}, ${m})`, () => hb.stack([x(), y()] as never), failures);
        check(`scatterAdd(${n}, ${m})`, () => hb.scatterAdd(x() as never, y() as never, 0, [3]), failures);
      }
    }
    expect(failures).toEqual([]);
  });

  it('convolutions, pooling and dropout with odd inputs, filters and options', () => {
    const filters = [() => hb.ones([3, 2, 2]), () => hb.ones([2, 2, 2, 2]), () => hb.ones([1, 1, 1, 2, 2]), () => hb.ones([2, 2, 2, 2], 'int32'), () => hb.ones([5, 5, 2, 1])];
    const options: unknown[] = [undefined, {}, { strides: 2 }, { strides: 0 }, { padding: 'same' }, { padding: 1 }, { padding: 'bogus' }, { dilation: 2 },
      { groups: 2 }, { poolSize: 3 }, { strides: [1, 2] }, { padding: [[1, 0], [0, 1]] }, { outputShape: [7, 7] }];
    const failures: string[] = [];
    for (const op of 'conv1d conv2d conv3d conv1dTranspose conv2dTranspose conv3dTranspose depthwiseConv2d'.split(' ')) {
      for (const [n, x] of inputs.slice(0, 10)) for (const w of filters) for (const o of options) check(`${op}(${n}, w, ${JSON.stringify(o)})`, () => call(ops[op], x(), w(), o), failures);
    }
    for (const op of 'maxPool1d maxPool2d maxPool3d avgPool1d avgPool2d avgPool3d l2Pool1d l2Pool2d l2Pool3d sumPool1d sumPool2d sumPool3d localResponseNormalization'.split(' ')) {
      for (const [n, x] of inputs) for (const o of options) check(`${op}(${n}, ${JSON.stringify(o)})`, () => call(ops[op], x(), o), failures);
    }
    for (const [n, x] of inputs) for (const r of [0, 0.5, 1, -1, NaN]) check(`dropout(${n}, ${r})`, () => hb.dropout(x() as never, r), failures);
    expect(failures).toEqual([]);
  });

  it('autograd entry points with odd arguments', () => {
    const failures: string[] = [];
    for (const [n, x] of inputs) {
      check(`grad(sum)(${n})`, () => hb.grad((a) => hb.sum(a))(x() as never), failures);
      check(`grad(identity)(${n})`, () => hb.grad((a) => a)(x() as never), failures);
      check(`valueAndGrad(mean)(${n})`, () => hb.valueAndGrad((a) => hb.mean(a))(x() as never), failures);
      check(`vjp(${n})`, () => hb.vjp((a) => hb.mul(a, 2), [x() as never], x() as never), failures);
    }
    expect(failures).toEqual([]);
  });
});

describe('NaN is a value, not an error: it propagates', () => {
  const nanAt0 = (t: hb.Tensor): void => {
    const v = t.dataSync();
    expect(Number.isNaN(v[0])).toBe(true);
  };
  it('through elementwise ops, activations and reductions', () => {
    const x = hb.tensor([NaN, 1, -2]);
    for (const f of [hb.neg, hb.abs, hb.sign, hb.exp, hb.sqrt, hb.square, hb.sigmoid, hb.tanh, hb.relu, hb.leakyRelu, hb.elu, hb.selu, hb.gelu, hb.softplus]) {
      nanAt0((f as (t: hb.Tensor) => hb.Tensor)(x));
    }
    nanAt0(hb.add(x, 1));
    nanAt0(hb.maximum(x, 0));
    nanAt0(hb.minimum(x, 0));
    nanAt0(hb.clip(x, 0, 1));
    nanAt0(hb.sum(x));
    nanAt0(hb.mean(x));
    nanAt0(hb.max(x));
    nanAt0(hb.min(x));
    nanAt0(hb.logSumExp(x));
    // softmax over a row with a NaN: every entry of that row is NaN.
    expect(Array.from(hb.softmax(x).dataSync()).every(Number.isNaN)).toBe(true);
    // The finite elements stay finite where the op is elementwise.
    expect(hb.relu(x).dataSync()[1]).toBe(1);
    expect(hb.relu(x).dataSync()[2]).toBe(0);
  });
  it('through matmul, convolution and pooling', () => {
    nanAt0(hb.matmul(hb.tensor([[NaN, 1]]), hb.ones([2, 1])));
    nanAt0(hb.conv2d(hb.full([1, 3, 3, 1], NaN), hb.ones([3, 3, 1, 1])));
    nanAt0(hb.maxPool2d(hb.tensor([1, NaN, 2, 3], [1, 2, 2, 1])));
    nanAt0(hb.avgPool2d(hb.tensor([1, NaN, 2, 3], [1, 2, 2, 1])));
  });
  it('through gradients', () => {
    nanAt0(hb.grad((x) => hb.sum(hb.mul(x, x)))(hb.tensor([NaN, 1])));
  });
});
