// Recurrent emitters of the ONNX exporter: hebb LSTM/GRU/SimpleRNN (and Bidirectional) layers
// become ONNX LSTM/GRU/RNN nodes, with the gate weights restacked into ONNX's order and the
// directions merged as the layer's merge mode asks. Its own module because the [N, T, F] ↔
// [T, N, F] transposes and gate reordering concern recurrent layers only.
import { ValueError } from '../../base/index.js';
import { onnx } from '../../io/onnx/index.js';
import type { Layer, Shape } from '../../nn/index.js';
import { concat, reshape, split, transpose } from '../../ops/index.js';
import { type Tensor, zeros } from '../../tensor/index.js';
import { type AttrValue } from './builder.js';
import { type Val, requireWeight } from './export-values.js';
import { type OnnxExporter } from './export.js';

/**
 * SimpleRNN/LSTM/GRU (one layer) or a Bidirectional pair as one ONNX RNN/LSTM/GRU node.
 * ONNX: X [T, N, F]; W [dirs, G·u, F]; R [dirs, G·u, u]; B [dirs, 2·G·u] (input then
 * recurrent bias); Y [T, dirs, N, u]; Y_h [dirs, N, u]. Gate orders: LSTM ONNX i, o, f, c
 * (hebb i, f, c, o); GRU z, r, h in both.
 */
export function emitRnn(ex: OnnxExporter, layers: Layer[], x: Val, outShape: Shape, base: string, mergeMode: string): Val {
  const g = ex.g;
  const first = layers[0];
  const cls = first.className;
  const cfg = first.getConfig();
  const u = cfg.units as number;
  const who = `layer '${base}' (${layers.length > 1 ? 'Bidirectional' : cls})`;
  const returnSequences = cfg.returnSequences as boolean;
  const gates = cls === 'LSTM' ? 4 : cls === 'GRU' ? 3 : 1;
  const onnxName = (a: string): string => {
    const m: Record<string, string> = { sigmoid: 'Sigmoid', tanh: 'Tanh', relu: 'Relu' };
    if (!(a in m)) throw new ValueError(`exportOnnx: ${who}: activation '${a}' has no ONNX recurrent form (sigmoid, tanh, relu)`);
    return m[a];
  };
  const act = onnxName(cfg.activation as string);
  const activations = cls === 'SimpleRNN' ? [act] : [onnxName(cfg.recurrentActivation as string), act, ...(cls === 'LSTM' ? [act] : [])];
  const reorder = (t: Tensor): Tensor => {
    // columns in hebb gate order → rows in ONNX gate order, transposed: [in, G·u] → [G·u, in].
    if (cls !== 'LSTM') return transpose(t, [1, 0]);
    const [i, f, c, o] = split(t, 4, 1);
    return transpose(concat([i, o, f, c], 1), [1, 0]);
  };
  const reorderBias = (t: Tensor): Tensor => {
    if (cls !== 'LSTM') return t;
    const [i, f, c, o] = split(t, 4, 0);
    return concat([i, o, f, c], 0);
  };
  const key = layers.map((l) => l.name).join('+');
  const W = ex.weight(first, `onnx_W_${key}`, () => concat(layers.map((l) => reshape(reorder(requireWeight(l, 'kernel').value), [1, gates * u, -1])), 0));
  const R = ex.weight(first, `onnx_R_${key}`, () => concat(layers.map((l) => reshape(reorder(requireWeight(l, 'recurrent_kernel').value), [1, gates * u, u])), 0));
  const hasBias = cfg.useBias as boolean;
  const B = hasBias
    ? ex.weight(first, `onnx_B_${key}`, () => concat(layers.map((l) => {
      const b = requireWeight(l, 'bias').value;
      // GRU resetAfter keeps [input; recurrent] biases [2, 3u]; the others add zeros for R's bias.
      const both = b.rank === 2 ? reshape(b, [2 * gates * u]) : concat([reorderBias(b), zeros([gates * u])], 0);
      return reshape(both, [1, 2 * gates * u]);
    }), 0))
    : '';
  const bidirectional = layers.length === 2;
  const backwards = !bidirectional && (cfg.goBackwards as boolean);
  const attrs: Record<string, AttrValue | undefined> = {
    hidden_size: u,
    direction: bidirectional ? 'bidirectional' : backwards ? 'reverse' : 'forward',
    activations: undefined,
    linear_before_reset: cls === 'GRU' ? (cfg.resetAfter ? 1 : 0) : undefined,
  };
  const X = g.node('Transpose', [ex.cl(x)], `${base}_time_major`, { perm: [1, 0, 2] })[0];
  const op = cls === 'SimpleRNN' ? 'RNN' : cls;
  const outs = [g.fresh(`${base}_Y`), g.fresh(`${base}_Y_h`)];
  const dirs = bidirectional ? 2 : 1;
  const nodeInputs = [X, W, R, B].filter((s, i) => i < 3 || s !== '');
  const onnxActs = bidirectional ? [...activations, ...activations] : activations;
  g.node(op, nodeInputs, outs, { ...attrs });
  // Activations are always written: the defaults differ between ops and runtimes are strict.
  const last = g.nodes[g.nodes.length - 1];
  last.attribute!.push({ name: 'activations', type: onnx.AttributeProto.AttributeType.STRINGS, strings: onnxActs.map((a) => new TextEncoder().encode(a)) });
  const [Y, Yh] = outs;
  if (returnSequences) {
    // [T, dirs, N, u] → [N, T, dirs, u] → [N, T, dirs·u] (concat) or merged over dirs.
    let y = g.node('Transpose', [Y], `${base}_batch_major`, { perm: [2, 0, 1, 3] })[0];
    if (backwards) {
      // hebb returns goBackwards outputs in processing order (reversed in time); ONNX in time order.
      y = g.node('Slice', [y, g.ints('rev_start', [-1]), g.ints('rev_end', [-(2 ** 53)]), g.ints('axis1', [1]), g.ints('step_back', [-1])], `${base}_reversed`)[0];
    }
    return ex.val(emitMergeDirs(ex, y, 2, dirs, u, mergeMode, base), outShape, 'cl');
  }
  const h = g.node('Transpose', [Yh], `${base}_h`, { perm: [1, 0, 2] })[0];
  return ex.val(emitMergeDirs(ex, h, 1, dirs, u, mergeMode, base), outShape, 'cl');
}

/** Merge the directions axis `axis` of y: concat (reshape), sum, mul or ave. */
export function emitMergeDirs(ex: OnnxExporter, y: string, axis: number, dirs: number, u: number, mode: string, base: string): string {
  const g = ex.g;
  const lead = new Array<number>(axis).fill(0);
  if (dirs === 1 || mode === 'concat') return g.node('Reshape', [y, g.ints('shape', [...lead, dirs * u])], base)[0];
  const parts = [0, 1].map((d) => g.node('Gather', [y, g.ints(`dir${d}`, [d], [])], `${base}_dir${d}`, { axis })[0]);
  switch (mode) {
    case 'sum': return g.node('Add', parts, base)[0];
    case 'mul': return g.node('Mul', parts, base)[0];
    case 'ave': return g.node('Mean', parts, base)[0];
    default: throw new ValueError(`exportOnnx: layer '${base}' (Bidirectional): mergeMode '${mode}' has no ONNX form`);
  }
}
