// A small ONNX graph builder: unique value names, nodes with typed attributes, and initializers
// (weights) deduplicated by key, so a shared layer's weights are stored once.
import {
  type AttributeProto, type NodeProto, ONNX_FLOAT, ONNX_INT64, type TensorProto, makeTensor, onnx,
} from '../../io/onnx/index.js';
import type { Tensor } from '../../tensor/index.js';

export type AttrValue = number | number[] | string | { floats: number[] } | { float: number };

const AT = onnx.AttributeProto.AttributeType;

/** An attribute: integers as INT/INTS, strings as STRING, { float } / { floats } for floats. */
function attribute(name: string, v: AttrValue): AttributeProto {
  if (typeof v === 'number') return { name, type: AT.INT, i: v };
  if (typeof v === 'string') return { name, type: AT.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: AT.INTS, ints: v };
  if ('floats' in v) return { name, type: AT.FLOATS, floats: v.floats };
  return { name, type: AT.FLOAT, f: v.float };
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly byKey = new Map<string, string>();
  /** Operator types emitted, for the exporter's report. */
  readonly opTypes = new Set<string>();

  /** A fresh value name based on `base` (ONNX names must be unique in a graph). */
  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'v';
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserve a name that must appear exactly as given (a graph input or output). */
  reserve(name: string): string {
    this.used.add(name);
    return name;
  }

  /** One node; returns its output names (fresh names from `outName`, or the given list). */
  node(op: string, inputs: readonly string[], outName: string | string[], attrs: Record<string, AttrValue | undefined> = {}): string[] {
    const outputs = Array.isArray(outName) ? outName : [this.fresh(outName)];
    const attributeList = Object.entries(attrs)
      .filter((e): e is [string, AttrValue] => e[1] !== undefined)
      .map(([k, v]) => attribute(k, v));
    this.nodes.push({ opType: op, input: [...inputs], output: outputs, name: this.fresh(`${op}_${outputs[0]}`), attribute: attributeList });
    this.opTypes.add(op);
    return outputs;
  }

  /** A float initializer from a tensor (cast to float32); `key` deduplicates transformed weights. */
  weight(key: string, t: Tensor, name = key): string {
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const n = this.fresh(name);
    const data = t.dataSync();
    this.initializers.push(makeTensor(n, t.shape, data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>), ONNX_FLOAT));
    this.byKey.set(key, n);
    return n;
  }

  /** A constant float initializer. */
  floats(name: string, dims: readonly number[], values: readonly number[]): string {
    return this.constant(name, dims, values, ONNX_FLOAT);
  }

  /** A constant int64 initializer (shapes, axes, pads). */
  ints(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant(name, dims, values, ONNX_INT64);
  }

  private constant(name: string, dims: readonly number[], values: readonly number[], type: number): string {
    const key = `const:${type}:${dims.join('x')}:${values.join(',')}`;
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const n = this.fresh(name);
    this.initializers.push(makeTensor(n, dims, values, type));
    this.byKey.set(key, n);
    return n;
  }
}
