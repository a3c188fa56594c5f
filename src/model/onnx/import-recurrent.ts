// ONNX recurrent converters of the importer: LSTM, GRU and RNN nodes (one or both directions)
// become hebb LSTM/GRU/SimpleRNN layers (a forward and a backward one when bidirectional), with
// ONNX's stacked gate weights reordered into hebb's gate order. Its own module because the weight
// rearrangement and the [T, N, F] ↔ [N, T, F] views are specific to recurrent layers.
import { type Layer, layers as L, type SymbolicTensor } from '../../nn/index.js';
import { add, concat, reshape, slice, split, transpose } from '../../ops/index.js';
import { noGrad, type Tensor } from '../../tensor/index.js';
import { type Importer } from './import.js';

/** A zero (or absent) initial state / sequence_lens is fine; anything else is not supported. */
export function importRequireAbsentOrZero(im: Importer, i: number, what: string): void {
  const name = im.node.input?.[i];
  if (!name) return;
  const v = im.get(name);
  if (v.kind === 'const' && (v.fill === 0 || Array.from(v.values).every((x) => x === 0))) return;
  im.fail(`a non-zero ${what} is not supported`);
}

export function importRnn(im: Importer, op: 'LSTM' | 'GRU' | 'RNN', base: string): void {
  const x = im.tensorIn(0);
  if (x.perm.length !== 3) im.fail('X must be [T, N, F]');
  if (im.int('layout', 0) !== 0) im.fail('layout = 1 is not supported');
  const wc = im.constIn(1, 'W');
  const rc = im.constIn(2, 'R');
  const bc = im.optionalConst(3, 'B');
  if (im.node.input?.[4]) im.fail('sequence_lens is not supported');
  importRequireAbsentOrZero(im, 5, 'initial_h');
  if (op === 'LSTM') {
    importRequireAbsentOrZero(im, 6, 'initial_c');
    importRequireAbsentOrZero(im, 7, 'peephole weights P');
    if (im.int('input_forget', 0) !== 0) im.fail('input_forget is not supported');
  }
  if (im.attr('clip')) im.fail('cell clipping is not supported');
  const u = im.int('hidden_size', rc.dims[2] ?? 0);
  const direction = im.str('direction', 'forward');
  const dirs = direction === 'bidirectional' ? 2 : 1;
  const gates = op === 'LSTM' ? 4 : op === 'GRU' ? 3 : 1;
  if (wc.dims.length !== 3 || wc.dims[0] !== dirs || wc.dims[1] !== gates * u) im.fail(`W has shape [${wc.dims.join(',')}], expected [${dirs}, ${gates * u}, F]`);
  const f = wc.dims[2];
  // Activations: ONNX lists f, g(, h) per direction; hebb has recurrentActivation (f) and activation (g = h).
  const names: Record<string, 'sigmoid' | 'tanh' | 'relu'> = { Sigmoid: 'sigmoid', Tanh: 'tanh', Relu: 'relu' };
  const defaults = op === 'LSTM' ? ['Sigmoid', 'Tanh', 'Tanh'] : op === 'GRU' ? ['Sigmoid', 'Tanh'] : ['Tanh'];
  const acts = im.strings('activations') ?? [...defaults, ...(dirs === 2 ? defaults : [])];
  const per = defaults.length;
  if (acts.length !== per * dirs || acts.some((a) => !(a in names))) im.fail(`activations [${acts.join(',')}] are not supported (Sigmoid, Tanh, Relu)`);
  for (let i = 0; i < per; i++) if (dirs === 2 && acts[i] !== acts[i + per]) im.fail('both directions must use the same activations');
  if (op === 'LSTM' && acts[1] !== acts[2]) im.fail('LSTM with different g and h activations is not supported');
  const activation = names[op === 'RNN' ? acts[0] : acts[1]];
  const recurrentActivation = names[acts[0]];
  const outs = im.node.output ?? [];
  const used = outs.map((o) => Boolean(o) && (im.consumers.has(o) || im.isGraphOutput(o)));
  if (used[2]) im.fail('the Y_c output is not supported');
  if (used[0] && used[1]) im.fail('using both Y and Y_h is not supported');
  const returnSequences = used[0];
  if (returnSequences && direction === 'reverse') im.fail('Y of a reverse-direction RNN is not supported (use Y_h or a bidirectional RNN)');
  const sym = im.materialize(x, [1, 0, 2], base);
  if (sym.shape[2] !== f) im.fail(`X has ${sym.shape[2]} features, W expects ${f}`);
  const name = im.layerName(base);
  const mk = (n: string, goBackwards: boolean): Layer => {
    const common = { units: u, activation, returnSequences, goBackwards, useBias: bc !== null, name: n };
    if (op === 'LSTM') return L.lstm({ ...common, recurrentActivation, unitForgetBias: false });
    if (op === 'GRU') return L.gru({ ...common, recurrentActivation, resetAfter: im.int('linear_before_reset', 0) === 1 });
    return L.simpleRNN(common);
  };
  const W = im.constTensor(wc);
  const R = im.constTensor(rc);
  const B = bc ? im.constTensor(bc) : null;
  // ONNX rows in gate order (LSTM i, o, f, c) → hebb columns (i, f, c, o); [G·u, in] → [in, G·u].
  const toHebb = (m: Tensor): Tensor => noGrad(() => {
    if (op !== 'LSTM') return transpose(m, [1, 0]);
    const [i, o, fg, c] = split(m, 4, 0);
    return transpose(concat([i, fg, c, o], 0), [1, 0]);
  });
  const reorderBias = (b: Tensor): Tensor => noGrad(() => {
    if (op !== 'LSTM') return b;
    const [i, o, fg, c] = split(b, 4, 0);
    return concat([i, fg, c, o], 0);
  });
  const fill = (layer: Layer, dir: number): void => {
    const pick = (t: Tensor, rows: number, cols: number): Tensor => noGrad(() => reshape(slice(t, [dir, 0, 0], [1, rows, cols]), [rows, cols]));
    im.setWeight(layer, 'kernel', toHebb(pick(W, gates * u, f)));
    im.setWeight(layer, 'recurrent_kernel', toHebb(pick(R, gates * u, u)));
    if (B) {
      const both = noGrad(() => reshape(slice(B, [dir, 0], [1, 2 * gates * u]), [2, gates * u]));
      const [wb, rb] = noGrad(() => split(both, 2, 0)).map((t) => noGrad(() => reshape(t, [gates * u])));
      const resetAfter = op === 'GRU' && im.int('linear_before_reset', 0) === 1;
      // GRU resetAfter keeps both biases; otherwise they act as one sum.
      im.setWeight(layer, 'bias', resetAfter ? both : reorderBias(noGrad(() => add(wb, rb))));
    }
  };
  let y: SymbolicTensor;
  if (dirs === 2) {
    const inner = mk(`${name}_forward`, false);
    const bi = L.bidirectional({ layer: inner, mergeMode: 'concat', name });
    y = im.apply(bi, sym);
    const [fwd, bwd] = bi.sublayers();
    fill(fwd, 0);
    fill(bwd, 1);
  } else {
    const layer = mk(name, direction === 'reverse');
    y = im.apply(layer, sym);
    fill(layer, 0);
  }
  // Y [T, dirs, N, u] = view of hebb [N, T, dirs·u]; Y_h [dirs, N, u] = view of hebb [N, dirs·u].
  if (returnSequences) {
    const t = y.shape[1];
    im.set(0, { kind: 'tensor', sym: y, pre: [null, t, dirs, u], perm: [1, 2, 0, 3] });
  } else {
    im.set(1, { kind: 'tensor', sym: y, pre: [null, dirs, u], perm: [1, 0, 2] });
  }
}
