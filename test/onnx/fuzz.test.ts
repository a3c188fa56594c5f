// Fuzzing importOnnx: ONNX files are damaged in 300 reproducible ways — flipped bits, truncations,
// garbage, and structural edits of the decoded protobuf (a node dropped, an attribute changed,
// dims or data types of an initializer altered, inputs renamed) re-encoded so they reach the
// importer's deeper checks. ONNX has no checksum, so a damaged file may still be a valid model;
// what must never happen is any error other than FormatError (or, when a model comes out, a
// non-hebb error while it predicts). Each case is described in its failure message.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as hb from '../../src/index.js';
import { decodeModel, encodeModel, type ModelProto } from '../../src/io/onnx/index.js';
import { generator, type Rand } from '../util/seeded.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'onnx');


/** Structural edits of a decoded model; each returns a description. */
const EDITS: ((m: ModelProto, r: Rand) => string)[] = [
  (m, r) => {
    const nodes = m.graph!.node!;
    const i = r.int(nodes.length);
    nodes.splice(i, 1);
    return `drop node ${i}`;
  },
  (m, r) => {
    const n = r.pick(m.graph!.node!);
    const a = n.attribute?.length ? r.pick(n.attribute) : null;
    if (!a) return 'no attribute to edit';
    a.i = r.pick([-1, 0, 7, 1e9]);
    a.ints = (a.ints ?? []).map(() => r.pick([-3, 0, 1, 99]));
    a.f = r.pick([NaN, -1, 1e30]);
    return `edit attribute ${a.name} of ${n.opType}`;
  },
  (m, r) => {
    const t = r.pick(m.graph!.initializer!);
    t.dims = (t.dims ?? []).map(() => r.pick([0, 1, 3, 1e6]));
    return `change dims of initializer ${t.name}`;
  },
  (m, r) => {
    const t = r.pick(m.graph!.initializer!);
    t.dataType = r.pick([0, 2, 7, 8, 11, 16, 99]);
    return `change data type of initializer ${t.name} to ${t.dataType}`;
  },
  (m, r) => {
    const n = r.pick(m.graph!.node!);
    if (!n.input?.length) return 'no input to rename';
    const k = r.int(n.input.length);
    n.input[k] = r.pick(['', 'missing', m.graph!.node![0].output![0]]);
    return `rename input ${k} of ${n.opType} to '${n.input[k]}'`;
  },
  (m, r) => {
    const n = r.pick(m.graph!.node!);
    n.opType = r.pick(['Conv', 'Gemm', 'LSTM', 'Reshape', 'Transpose', 'Concat', 'Softmax', '']);
    return `change op type to '${n.opType}'`;
  },
  (m, r) => {
    const dims = m.graph!.input![0].type!.tensorType!.shape!.dim!;
    const k = r.int(dims.length);
    dims[k] = r.pick([{ dimValue: 0 }, { dimValue: 5 }, {}, { dimParam: 'x' }]);
    return `change input dim ${k}`;
  },
  (m) => {
    m.graph!.output = [];
    return 'no outputs';
  },
];

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e);
}

/** Import; a model that comes out must predict, or fail with a hebb error. Returns a problem, or what happened. */
function check(bytes: Uint8Array): { problem: string | null; outcome: 'model' | 'rejected' } {
  let m: hb.Model;
  try {
    m = hb.io.importOnnxBytes(bytes);
  } catch (e) {
    return { problem: e instanceof hb.FormatError ? null : describeError(e), outcome: 'rejected' };
  }
  try {
    const xs = m.inputs.map((s) => (s.dtype === 'int32' ? hb.zeros([2, ...s.shape.slice(1).map((d) => d ?? 3)], 'int32') : hb.randomNormal([2, ...s.shape.slice(1).map((d) => d ?? 3)])));
    m.predict(xs.length === 1 ? xs[0] : xs);
  } catch (e) {
    if (!(e instanceof hb.HebbError)) return { problem: `predict: ${describeError(e)}`, outcome: 'model' };
  }
  return { problem: null, outcome: 'model' };
}

describe('importOnnx fuzz', () => {
  it('every damaged file (300 cases) is either a model or a FormatError', () => {
    hb.setSeed(1);
    const small = hb.sequential([hb.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1] }), hb.layers.batchNormalization(), hb.layers.flatten(), hb.layers.dense({ units: 2, activation: 'softmax' })]);
    const corpus: [string, Uint8Array][] = [
      ['hebb conv model', hb.io.exportOnnxBytes(small)],
      ...['gru', 'lstm-classifier', 'mobilenet-block'].map((n): [string, Uint8Array] => [n, new Uint8Array(readFileSync(join(FIXTURES, `${n}.onnx`)))]),
    ];
    const problems: string[] = [];
    const outcomes = { model: 0, rejected: 0 };
    for (let i = 0; i < 300; i++) {
      const r = generator(1000 + i);
      const [name, original] = r.pick(corpus);
      let bytes: Uint8Array = original.slice();
      let what: string;
      const kind = i % 10;
      if (kind < 3) {
        const pos = r.int(bytes.length);
        bytes[pos] ^= 1 << r.int(8);
        what = `flip a bit at ${pos}`;
      } else if (kind < 5) {
        const cut = r.int(bytes.length);
        bytes = bytes.slice(0, cut);
        what = `truncate to ${cut} bytes`;
      } else if (kind < 6) {
        bytes = Uint8Array.from({ length: 1 + r.int(64) }, () => r.int(256));
        what = `${bytes.length} random bytes`;
      } else {
        const proto = decodeModel(original);
        what = r.pick(EDITS)(proto, r);
        bytes = encodeModel(proto);
      }
      const { problem, outcome } = check(bytes);
      outcomes[outcome]++;
      if (problem) problems.push(`case ${i} (${name}: ${what}): ${problem}`);
    }
    expect(problems).toEqual([]);
    // Both paths are exercised: most damage is caught, some leaves a still-valid model.
    expect(outcomes.rejected).toBeGreaterThan(150);
    expect(outcomes.model).toBeGreaterThan(10);
  }, 60_000);
});
