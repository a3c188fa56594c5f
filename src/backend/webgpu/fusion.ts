// Fused elementwise chains: consecutive unary / binary / where / cast kernels over one output
// shape are not dispatched one by one; they gather in a pending group, and the group runs as one
// WGSL program when something needs one of its results (a kernel of another kind, a read, a
// kernel over another shape, or a full set of bindings). Each op's value is computed once per
// element, in a `let` of its storage type, with the single kernels' own statements
// (elementwise.ts), so the results are those of the unfused kernels; the program reads each
// operand buffer once and writes the results whose tensors are still alive then. A result freed
// before the group runs is never written, and one nobody kept is never computed.
//
// The backend keeps the group's operand buffers out of its pool until the group has run, so a
// buffer freed meanwhile cannot be handed to another tensor and overwritten first.
/// <reference types="@webgpu/types" />
import type { DType } from '../../base/index.js';
import type { DataId } from '../backend.js';
import type { KernelAttrs, KernelName } from '../kernels.js';
import { binaryStatements, convert, load, unaryStatements, whereStatements } from './kernels/elementwise.js';
import { WGSL_MATH } from './kernels/wgsl-math.js';
import { bindings, elementwiseMain, wgslType } from './program.js';

/** The kernels a group takes. */
export type FusibleKernel = 'unary' | 'binary' | 'where' | 'cast';
export const FUSIBLE: ReadonlySet<KernelName> = new Set<FusibleKernel>(['unary', 'binary', 'where', 'cast']);

/** An operand: a buffer read by the group (a leaf) or an earlier node of the group. */
type Operand = { leaf: number } | { node: number };

interface Leaf {
  id: DataId;
  buffer: GPUBuffer;
  dtype: DType;
  shape: readonly number[];
  size: number;
}

export interface FusedNode {
  kernel: FusibleKernel;
  attrs: KernelAttrs[FusibleKernel];
  operands: Operand[];
  dtype: DType;
  /** The tensor buffer this node's value belongs to. */
  id: DataId;
}

/** Most ops in one program (keeps compile times and source sizes small). */
const MAX_NODES = 32;

export class FusionGroup {
  readonly leaves: Leaf[] = [];
  readonly nodes: FusedNode[] = [];
  private readonly nodeOf = new Map<DataId, number>();
  private readonly leafOf = new Map<DataId, number>();
  readonly size: number;

  constructor(readonly shape: readonly number[], private readonly maxBindings: number) {
    this.size = shape.reduce((a, b) => a * b, 1);
  }

  /** Whether `id` is a result of this group. */
  has(id: DataId): boolean {
    return this.nodeOf.has(id);
  }

  /** Whether `buffer` is read by this group. */
  reads(buffer: GPUBuffer): boolean {
    return this.leaves.some((l) => l.buffer === buffer);
  }

  /**
   * Whether a kernel with output `shape` and these inputs can join: the same shape, and room for
   * its bindings with every result still `alive` written (results only die meanwhile, never revive).
   */
  accepts(shape: readonly number[], inputs: readonly DataId[], alive: (id: DataId) => boolean): boolean {
    if (shape.length !== this.shape.length || shape.some((d, i) => d !== this.shape[i])) return false;
    if (this.nodes.length >= MAX_NODES) return false;
    const newLeaves = new Set(inputs.filter((id) => !this.nodeOf.has(id) && !this.leafOf.has(id))).size;
    const written = this.nodes.filter((n) => alive(n.id)).length;
    return this.leaves.length + newLeaves + written + 1 <= this.maxBindings;
  }

  /** Add a kernel: inputs are earlier results of the group or buffers (with `buffer(id)` their GPU buffer). */
  add(kernel: FusibleKernel, attrs: KernelAttrs[FusibleKernel], inputs: readonly { id: DataId; dtype: DType; shape: readonly number[] }[], output: { id: DataId; dtype: DType }, buffer: (id: DataId) => GPUBuffer): void {
    const operands = inputs.map((t): Operand => {
      const node = this.nodeOf.get(t.id);
      if (node !== undefined) return { node };
      let leaf = this.leafOf.get(t.id);
      if (leaf === undefined) {
        leaf = this.leaves.length;
        this.leaves.push({ id: t.id, buffer: buffer(t.id), dtype: t.dtype, shape: t.shape, size: t.shape.reduce((a, b) => a * b, 1) });
        this.leafOf.set(t.id, leaf);
      }
      return { leaf };
    });
    this.nodeOf.set(output.id, this.nodes.length);
    this.nodes.push({ kernel, attrs, operands, dtype: output.dtype, id: output.id });
  }

  /**
   * The program computing every node and writing those in `written` (node indices), its
   * pipeline key, and the bindings' order: the leaves, then the written nodes.
   */
  program(written: readonly number[]): { key: string; source: () => string } {
    const operandKey = (o: Operand): string => ('leaf' in o ? `l${o.leaf}` : `v${o.node}`);
    const key = [
      `fused:[${this.shape.join(',')}]`,
      this.leaves.map((l) => `${l.dtype}[${l.shape.join(',')}]`).join(';'),
      this.nodes.map((n) => `${n.kernel}.${'op' in n.attrs ? n.attrs.op : ''}.${n.dtype}(${n.operands.map(operandKey).join(',')})`).join(';'),
      `w${written.join(',')}`,
    ].join('|');
    const source = (): string => {
      const decls = [
        ...this.leaves.map((l, j) => ({ name: `L${j}`, type: wgslType(l.dtype) })),
        ...written.map((k) => ({ name: `O${k}`, type: wgslType(this.nodes[k].dtype), write: true })),
      ];
      const y = { shape: this.shape };
      // Each operand buffer read once per element (broadcast ones at their element), as the single kernels do.
      const body: string[] = this.leaves.map((l, j) => load(`l${j}`, `L${j}`, l, y));
      this.nodes.forEach((n, k) => {
        const ops = n.operands.map(operandKey);
        const dts = n.operands.map((o) => ('leaf' in o ? this.leaves[o.leaf].dtype : this.nodes[o.node].dtype));
        body.push(`  var v${k}: ${wgslType(n.dtype)};`, '  {', statements(n, ops, dts, `v${k}`), '  }');
      });
      for (const k of written) body.push(`  O${k}[i] = v${k};`);
      return `${WGSL_MATH}\n${bindings(decls)}\n${elementwiseMain(this.size, body.join('\n'))}`;
    };
    return { key, source };
  }
}

function statements(n: FusedNode, ops: string[], dtypes: DType[], out: string): string {
  switch (n.kernel) {
    case 'unary':
      return unaryStatements((n.attrs as KernelAttrs['unary']).op, ops[0], dtypes[0], n.dtype, out);
    case 'binary':
      return binaryStatements((n.attrs as KernelAttrs['binary']).op, ops[0], ops[1], dtypes[0], n.dtype, out);
    case 'where':
      return whereStatements(ops[0], ops[1], ops[2], [dtypes[0], dtypes[1], dtypes[2]], n.dtype, out);
    case 'cast':
      return `  ${out} = ${convert(ops[0], dtypes[0], n.dtype)};`;
  }
}
