// The exporter's value model and layer helpers: Val (an ONNX value standing for one hebb tensor,
// with its layout), the channels-last ↔ channels-first permutations, and the small readers of a
// layer's config and weights. Its own module so that the OnnxExporter core and the per-layer-kind
// emitters share one definition without importing each other's internals.
import { ValueError } from '../../base/index.js';
import type { Layer, Shape, Variable } from '../../nn/index.js';

export type Layout = 'cl' | 'cf';

/** A value of the ONNX graph standing for one hebb tensor. */
export interface Val {
  name: string;
  /** The hebb (channels-last) shape, batch axis first and possibly null. */
  shape: Shape;
  layout: Layout;
  /** Set on a Flatten of a channels-first value: the value it flattened (in 'cf' order). */
  flatOf?: Val;
  /** Conversions already emitted, by layout. */
  alt: Partial<Record<Layout, string>>;
  /** ONNX element type (FLOAT unless an integer model input). */
  elemType: number;
}

export const rankOf = (v: Val): number => v.shape.length;
/** cl → cf: [0, r−1, 1, …, r−2]. */
export const toCfPerm = (r: number): number[] => [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];
/** cf → cl: [0, 2, …, r−1, 1]. */
export const toClPerm = (r: number): number[] => [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
export const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

export function config<T>(layer: Layer, key: string): T {
  return layer.getConfig()[key] as T;
}

/** A normalisation layer's axis config (a number or a list) as a sorted list of non-negative axes. */
export function axesOf(layer: Layer, r: number): number[] {
  const a = layer.getConfig().axis as number | number[];
  return (Array.isArray(a) ? a : [a]).map((v) => (v < 0 ? v + r : v)).sort((p, q) => p - q);
}

/** The layer's weight whose name ends in `/suffix` (hebb names weights `layer/kernel`, …). */
export function weightOf(layer: Layer, suffix: string): Variable | null {
  return layer.weights.find((w) => w.name === `${layer.name}/${suffix}`) ?? null;
}

export function requireWeight(layer: Layer, suffix: string): Variable {
  const w = weightOf(layer, suffix);
  if (!w) throw new ValueError(`exportOnnx: layer '${layer.name}' (${layer.className}) has no weight '${suffix}' (is it built?)`);
  return w;
}

/** TF/Keras 'same' padding for one axis: total = max((⌈n/s⌉ − 1)·s + (k − 1)·d + 1 − n, 0), the extra one at the end. */
export function samePads(n: number, k: number, s: number, d: number): [number, number] {
  const total = Math.max((Math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}
