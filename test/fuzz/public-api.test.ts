// Typed errors everywhere (issue 9): a seeded fuzz over the public ops and layers. Every call
// gets random arguments: tensors of random rank (0–4), sizes (0–4 per axis) and dtype, numbers
// (NaN, negative, huge), strings, null, arrays, and option objects with random keys and values.
// Whatever happens, only a HebbError may escape, and no call may take longer than the time bound.
// A failure prints the seed, the call number and the call, so it reproduces:
//   HEBB_FUZZ_SEED=<seed> HEBB_FUZZ_CALLS=<n> npx vitest run test/fuzz
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { generator, type Rand } from '../util/seeded.js';

const SEED = Number(process.env.HEBB_FUZZ_SEED ?? 20261204);
const CALLS = Number(process.env.HEBB_FUZZ_CALLS ?? 1500);
/** Per call; the inputs are tiny, so anything near this is a hang. */
const TIME_BOUND_MS = 3000;


const DTYPES = ['float32', 'float64', 'int32', 'bool'] as const;
const NUMBERS = [0, 1, 2, 3, -1, 0.5, 1.5, NaN, Infinity, -Infinity, 1e9, -0, 7];
const STRINGS = ['same', 'valid', 'relu', 'float32', 'int32', 'softmax', 'glorotUniform', 'causal', '', 'nope'];
const KEYS = [
  'units', 'filters', 'kernelSize', 'strides', 'padding', 'activation', 'rate', 'axis', 'poolSize', 'dilation', 'groups', 'training',
  'seed', 'inputShape', 'useBias', 'kernelInitializer', 'returnSequences', 'epsilon', 'momentum', 'size', 'targetShape', 'dims',
  'inputDim', 'outputDim', 'cropping', 'layer', 'mode', 'batch_size', 'noiseShape', 'outputShape', 'dataFormat', 'alpha', 'name',
];

/** A described value, so the failing call can be printed. */
interface Arg {
  value: unknown;
  text: string;
}

function randomShape(r: Rand, rank = r.int(5)): number[] {
  return Array.from({ length: rank }, () => (r.next() < 0.08 ? 0 : 1 + r.int(4)));
}

function randomTensor(r: Rand, shape = randomShape(r)): Arg {
  const dtype = r.next() < 0.7 ? 'float32' : r.pick(DTYPES);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, () => (dtype === 'bool' ? r.int(2) : Math.round((r.next() * 6 - 3) * 100) / 100));
  return { value: hb.tensor(values, shape, dtype), text: `hb.tensor(<${size} values>, [${shape}], '${dtype}')` };
}

function randomPlain(r: Rand, depth = 0): Arg {
  const kind = r.int(depth > 1 ? 4 : 7);
  switch (kind) {
    case 0: {
      const n = r.pick(NUMBERS);
      return { value: n, text: String(n) };
    }
    case 1: {
      const s = r.pick(STRINGS);
      return { value: s, text: JSON.stringify(s) };
    }
    case 2:
      return r.next() < 0.5 ? { value: null, text: 'null' } : { value: undefined, text: 'undefined' };
    case 3: {
      const b = r.next() < 0.5;
      return { value: b, text: String(b) };
    }
    case 4: {
      const items = Array.from({ length: r.int(5) }, () => (r.next() < 0.7 ? { value: r.int(5) - 1, text: '' } : randomPlain(r, depth + 1)));
      return { value: items.map((i) => i.value), text: `[${items.map((i) => i.text || String(i.value)).join(', ')}]` };
    }
    case 5:
      return randomOptions(r, depth + 1);
    default:
      return randomTensor(r);
  }
}

function randomOptions(r: Rand, depth = 0): Arg {
  const entries = Array.from({ length: r.int(4) }, () => [r.pick(KEYS), r.next() < 0.6 ? { value: r.pick(NUMBERS.slice(0, 7)), text: '' } : randomPlain(r, depth + 1)] as const);
  const value = Object.fromEntries(entries.map(([k, v]) => [k, v.value]));
  return { value, text: `{ ${entries.map(([k, v]) => `${k}: ${v.text || String(v.value)}`).join(', ')} }` };
}

/** Mostly tensors (so the calls get past the first check), sometimes anything. */
function randomArg(r: Rand): Arg {
  return r.next() < 0.75 ? randomTensor(r) : randomPlain(r);
}

type Target = [name: string, arity: number, call: (...args: unknown[]) => unknown];
const fn = (name: string, arity: number): Target => [name, arity, (...a) => (hb as unknown as Record<string, (...x: unknown[]) => unknown>)[name](...a)];

const OPS: Target[] = [
  ...['neg', 'abs', 'sign', 'exp', 'log', 'sqrt', 'square', 'relu', 'sigmoid', 'tanh', 'elu', 'selu', 'gelu', 'softplus', 'flatten', 'clone', 'logicalNot', 'isNaN']
    .map((n) => fn(n, 1)),
  ...['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'equal', 'greater', 'less', 'matmul', 'dot', 'outer', 'logicalAnd'].map((n) => fn(n, 2)),
  ...['sum', 'mean', 'max', 'min', 'argmax', 'argmin', 'variance', 'logSumExp', 'softmax', 'logSoftmax', 'expandDims', 'squeeze', 'reverse'].map((n) => fn(n, 3)),
  ...['reshape', 'transpose', 'tile', 'broadcastTo', 'cast', 'leakyRelu', 'oneHot', 'gather', 'concat', 'stack', 'split', 'unstack'].map((n) => fn(n, 2)),
  ...['slice', 'pad', 'clip', 'where', 'scatterAdd'].map((n) => fn(n, 3)),
  ...['conv1d', 'conv2d', 'conv3d', 'conv2dTranspose', 'depthwiseConv2d'].map((n) => fn(n, 3)),
  ...['maxPool1d', 'maxPool2d', 'avgPool2d', 'l2Pool2d', 'maxPool3d', 'localResponseNormalization'].map((n) => fn(n, 2)),
  fn('dropout', 3),
  ...['zeros', 'ones', 'randomNormal', 'randomUniform', 'eye', 'arange', 'linspace', 'full', 'tensor'].map((n) => fn(n, 2)),
];

const LAYERS = [
  'dense', 'activation', 'dropout', 'flatten', 'reshape', 'permute', 'embedding', 'batchNormalization', 'layerNormalization', 'conv1d',
  'conv2d', 'conv2dTranspose', 'depthwiseConv2d', 'separableConv2d', 'maxPooling2d', 'averagePooling1d', 'globalAveragePooling2d',
  'globalMaxPooling1d', 'zeroPadding2d', 'cropping2d', 'upSampling2d', 'simpleRNN', 'lstm', 'gru', 'repeatVector', 'leakyReLU', 'softmax',
];

/** A layer from random options, applied to a random tensor (or two, for merge layers). */
function layerTarget(name: string): Target {
  return [`layers.${name}`, 2, (options, x) => {
    const factory = (hb.layers as unknown as Record<string, (o: unknown) => { apply(x: unknown): unknown }>)[name];
    return factory(options).apply(x);
  }];
}

const TARGETS: Target[] = [...OPS, ...LAYERS.map(layerTarget), ...['add', 'concatenate', 'multiply'].map(layerTarget)];

/** Arguments for one call: layers get options first (sometimes meaningful ones). */
function argsFor(r: Rand, target: Target): Arg[] {
  const [name, arity] = target;
  if (name.startsWith('layers.')) {
    const x = r.next() < 0.2 ? { value: [randomTensor(r).value, randomTensor(r).value], text: '[<2 tensors>]' } : randomArg(r);
    // Options are always an object here: factories called with nothing, null or a number are
    // checked by test/nn (every hb.layers factory validates its arguments).
    return [randomOptions(r), x];
  }
  const n = Math.max(1, arity - r.int(2));
  return Array.from({ length: n }, (_, i) => (i === 0 || r.next() < 0.5 ? randomArg(r) : r.next() < 0.5 ? randomOptions(r) : randomPlain(r)));
}

describe('fuzzing the public API: only HebbErrors escape, nothing hangs', () => {
  it(`${CALLS} seeded random calls (seed ${SEED})`, () => {
    const r = generator(SEED);
    const untyped: string[] = [];
    const slow: string[] = [];
    let typed = 0;
    let succeeded = 0;
    const backends = hb.listBackends();
    for (let i = 0; i < CALLS; i++) {
      hb.setBackend(backends[i % backends.length]);
      const target = r.pick(TARGETS);
      // tidy: a fuzz run allocates thousands of tensors; release each call's at once.
      hb.tidy(() => {
        const args = argsFor(r, target);
        const text = `#${i} on ${hb.getBackend()}: ${target[0]}(${args.map((a) => a.text).join(', ')})`;
        const t0 = performance.now();
        try {
          target[2](...args.map((a) => a.value));
          succeeded++;
        } catch (e) {
          if (e instanceof hb.HebbError) typed++;
          else untyped.push(`${text}\n    → ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
        }
        const ms = performance.now() - t0;
        if (ms > TIME_BOUND_MS) slow.push(`${text} took ${ms.toFixed(0)} ms`);
      });
    }
    if (process.env.HEBB_FUZZ_VERBOSE) console.log([...untyped, ...slow].join('\n'));
    console.log(`fuzz seed ${SEED}: ${CALLS} calls, ${succeeded} succeeded, ${typed} typed errors, ${untyped.length} untyped, ${slow.length} over ${TIME_BOUND_MS} ms`);
    expect(untyped, `untyped errors (reproduce with HEBB_FUZZ_SEED=${SEED}):\n${untyped.slice(0, 20).join('\n')}`).toEqual([]);
    expect(slow, `calls over the time bound (HEBB_FUZZ_SEED=${SEED}):\n${slow.join('\n')}`).toEqual([]);
    expect(typed).toBeGreaterThan(CALLS / 4);
    expect(succeeded).toBeGreaterThan(CALLS / 20);
  });
});
