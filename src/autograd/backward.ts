// Reverse-mode differentiation over the recorded graph. Each tensor made while recording
// carries a GradNode (its inputs and one gradient rule per input). Backward walks the nodes
// between the output and the requested leaves in reverse topological order, asks each node's
// rules for its inputs' cotangents and adds them up. The rules are ops, so when an enclosing
// grad() is recording, the backward pass is itself recorded and can be differentiated again.
import { fmtShape, ShapeError } from '../base/index.js';
import { add, castTo, reshape } from '../ops/index.js';
import { ones, type Tensor, zeros } from '../tensor/index.js';

/**
 * Cotangents of `leaves` given cotangent `seed` (default: ones) for `output`. A leaf that the
 * output does not depend on gets zeros. Traversal stops at leaves.
 */
export function backward(output: Tensor, leaves: readonly Tensor[], seed?: Tensor, unreached?: boolean[]): Tensor[] {
  const leafSet = new Set(leaves);
  const { order, reaches } = topologicalOrder(output, leafSet);
  const grads = new Map<Tensor, Tensor>();
  grads.set(output, seed ?? ones(output.shape, output.dtype));
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i];
    const dy = grads.get(t);
    if (dy === undefined || leafSet.has(t) || t.node === null) continue;
    grads.delete(t); // free intermediate cotangents as soon as they are used
    const { inputs, grads: rules } = t.node;
    inputs.forEach((input, k) => {
      const rule = rules[k];
      if (rule === null || !reaches.has(input)) return;
      let g = rule(dy);
      if (g.dtype !== input.dtype) g = castTo(g, input.dtype);
      if (g.size !== input.size) throw new ShapeError(`backward: gradient rule of '${t.node!.name}' returned ${fmtShape(g.shape)} for an input of ${fmtShape(input.shape)}`);
      if (g.rank !== input.rank) g = reshape(g, input.shape);
      const prev = grads.get(input);
      grads.set(input, prev === undefined ? g : add(prev, g));
    });
  }
  return leaves.map((l, i) => {
    const g = grads.get(l);
    if (unreached) unreached[i] = g === undefined;
    return g ?? zeros(l.shape, l.dtype);
  });
}

/**
 * The tensors on paths from `output` down to any leaf, inputs before the tensors made from them,
 * and the same set for membership tests.
 * Iterative depth-first search, so a graph thousands of ops deep does not overflow the stack.
 */
function topologicalOrder(output: Tensor, leaves: Set<Tensor>): { order: Tensor[]; reaches: Set<Tensor> } {
  const order: Tensor[] = [];
  const state = new Map<Tensor, 'open' | 'done'>();
  const onPath = new Set<Tensor>();
  const stack: { t: Tensor; next: number }[] = [{ t: output, next: 0 }];
  state.set(output, 'open');
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const { t } = frame;
    const inputs = leaves.has(t) || t.node === null ? [] : t.node.inputs;
    if (frame.next < inputs.length) {
      const child = inputs[frame.next++];
      if (!state.has(child)) {
        state.set(child, 'open');
        stack.push({ t: child, next: 0 });
      }
      continue;
    }
    stack.pop();
    state.set(t, 'done');
    const useful = leaves.has(t) || inputs.some((c) => onPath.has(c));
    if (useful) {
      onPath.add(t);
      order.push(t);
    }
  }
  return { order, reaches: onPath };
}
