// Every name of the core sections of the API contract (docs/api.md) exists on `hb` (and as a
// Tensor method where the contract says ops read well as methods): "Tensors and ops",
// "Neural-network functions", "Autograd", the error classes of its conventions, and the core
// names of "Data, zoo, backends".
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';

const api = hb as unknown as Record<string, unknown>;

/** "Tensors": creation functions and the seed. */
const TENSOR_FUNCTIONS = ['tensor', 'scalar', 'zeros', 'ones', 'full', 'eye', 'arange', 'randomNormal', 'randomUniform', 'setSeed'];
/** "Tensors": what every tensor has. */
const TENSOR_PROPERTIES = ['shape', 'dtype', 'rank', 'size'];
const TENSOR_INSTANCE_METHODS = ['toArray', 'dataSync', 'data', 'item', 'dispose'];

/** The op lists: elementwise (broadcasting), matmul, movement, reductions, activations. */
const ELEMENTWISE = ['add', 'sub', 'mul', 'div', 'pow', 'neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'square', 'clip', 'maximum', 'minimum', 'where', 'equal', 'greater', 'less'];
const LINEAR_ALGEBRA = ['matmul'];
const MOVEMENT = ['reshape', 'transpose', 'concat', 'stack', 'slice', 'gather', 'pad', 'flatten', 'expandDims', 'squeeze', 'tile'];
const REDUCTIONS = ['sum', 'mean', 'max', 'min', 'argmax', 'argmin', 'variance', 'logSumExp'];
const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'softmax', 'logSoftmax', 'leakyRelu', 'elu', 'selu', 'gelu', 'softplus'];
const OPS = [...ELEMENTWISE, ...LINEAR_ALGEBRA, ...MOVEMENT, ...REDUCTIONS, ...ACTIVATIONS];

/** "Neural-network functions" ("1d/3d likewise" for the pools). */
const NN_FUNCTIONS = [
  'conv1d', 'conv2d', 'conv3d', 'conv2dTranspose', 'depthwiseConv2d',
  'maxPool1d', 'maxPool2d', 'maxPool3d', 'avgPool1d', 'avgPool2d', 'avgPool3d', 'l2Pool1d', 'l2Pool2d', 'l2Pool3d', 'dropout',
];
/** "Autograd". */
const AUTOGRAD = ['grad', 'valueAndGrad', 'noGrad', 'checkGrad'];
/** Conventions: errors are hb.HebbError subclasses. */
const ERRORS = ['HebbError', 'ShapeError', 'DTypeError', 'ValueError', 'FormatError'];
/** "Data, zoo, interop": the names that belong to the core. */
const INTEROP = ['oneHot', 'setBackend', 'getBackend'];

/**
 * Ops that read well as methods: all of the op lists except `where` (a condition is not the
 * natural receiver) and `concat`/`stack` (they take a list). Each with arguments after `this`.
 */
const METHOD_CASES: Record<string, unknown[]> = {
  add: [2], sub: [2], mul: [2], div: [2], pow: [2], maximum: [0], minimum: [0], equal: [1], greater: [1], less: [1],
  neg: [], abs: [], sign: [], exp: [], log: [], sqrt: [], square: [], clip: [0.5, 2],
  matmul: [[[1, 0], [0, 2]]],
  reshape: [[4]], transpose: [[1, 0]], slice: [[1], [1]], gather: [[1, 0], 0], pad: [[[1, 0], [0, 1]], 7], flatten: [], expandDims: [0],
  squeeze: [], tile: [[2, 1]],
  sum: [1, true], mean: [0], max: [1], min: [], argmax: [1], argmin: [0], variance: [], logSumExp: [1],
  relu: [], sigmoid: [], tanh: [], softmax: [0], logSoftmax: [], leakyRelu: [0.1], elu: [0.5], selu: [], gelu: [true], softplus: [],
};
const NOT_METHODS = ['where', 'concat', 'stack'];

describe('the API contract\'s names exist on hb', () => {
  const groups: [string, string[]][] = [
    ['Tensors', TENSOR_FUNCTIONS], ['elementwise', ELEMENTWISE], ['matmul', LINEAR_ALGEBRA], ['movement', MOVEMENT],
    ['reductions', REDUCTIONS], ['activations', ACTIVATIONS], ['Neural-network functions', NN_FUNCTIONS], ['Autograd', AUTOGRAD],
    ['errors', ERRORS], ['interop', INTEROP],
  ];
  it.each(groups)('%s', (_, names) => {
    const missing = names.filter((n) => typeof api[n] !== 'function');
    expect(missing).toEqual([]);
  });

  it('the error classes form the documented hierarchy', () => {
    for (const name of ['ShapeError', 'DTypeError', 'ValueError', 'FormatError'] as const) {
      const e = new hb[name]('op: message');
      expect(e).toBeInstanceOf(hb.HebbError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(name);
    }
  });
});

describe('Tensor', () => {
  const t = hb.tensor([[1, 2], [3, 4]]);

  it('has shape, dtype, rank, size and the reading methods', () => {
    for (const p of TENSOR_PROPERTIES) expect(p in t, p).toBe(true);
    expect(t.shape).toEqual([2, 2]);
    expect(t.dtype).toBe('float32');
    expect(t.rank).toBe(2);
    expect(t.size).toBe(4);
    for (const m of TENSOR_INSTANCE_METHODS) expect(typeof (t as unknown as Record<string, unknown>)[m], m).toBe('function');
  });

  it('every op that reads well as a method is a method, and the list covers all ops', () => {
    expect([...Object.keys(METHOD_CASES), ...NOT_METHODS].sort()).toEqual([...OPS].sort());
    const missing = Object.keys(METHOD_CASES).filter((m) => typeof (t as unknown as Record<string, unknown>)[m] !== 'function');
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(METHOD_CASES))('a.%s(…) equals hb.%s(a, …)', (name, args) => {
    const a = hb.tensor([[0.5, 2], [3, 4]]);
    const viaMethod = ((a as unknown as Record<string, (...xs: unknown[]) => hb.Tensor>)[name])(...args);
    const viaFunction = (api[name] as (...xs: unknown[]) => hb.Tensor)(a, ...args);
    expect(viaMethod).toBeInstanceOf(hb.Tensor);
    expect(viaMethod.shape).toEqual(viaFunction.shape);
    expect(viaMethod.dtype).toBe(viaFunction.dtype);
    expect(viaMethod.toArray()).toEqual(viaFunction.toArray());
  });
});
