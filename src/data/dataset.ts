// hb.data: a small input pipeline in the spirit of tf.data. A Dataset is a recipe for a stream
// of elements: each element is a tensor, an array of tensors, or a record of tensors, sliced
// along axis 0 of the source. The stream stays lazy: until map() needs values, an element is
// only a block of source row numbers, so shuffle → batch costs one gather per batch and key.
import { checkOptions, fmtShape, globalRng, is, Rng, ShapeError, ValueError } from '../base/index.js';
import { gather, stack, type TensorLike } from '../ops/index.js';
import { noGrad, Tensor, tensor } from '../tensor/index.js';

/** What a Dataset yields: one tensor, a tuple of tensors, or named tensors (e.g. `{ x, y }`). */
export type Element = Tensor | readonly Tensor[] | { readonly [key: string]: Tensor };

/**
 * One element in flight: either source rows not yet read (`rows` holds row numbers laid out
 * in `shape`: [] for one example, [b] for a batch, [n, b] for a batch of batches), or a value
 * that map() produced.
 */
type Item<T> = { rows: Int32Array; shape: readonly number[] } | { value: T };

/** Options of `Dataset.shuffle`: seed, buffer size, and whether each pass reshuffles. */
export interface ShuffleOptions {
  /** Seed of this shuffle's generator; without it one is drawn from the global one (hb.setSeed). */
  seed?: number;
  /** Elements held and drawn from at random; default: the whole dataset (an exact shuffle). */
  bufferSize?: number;
  /** A new order on every pass (epoch) — a reproducible sequence for a given seed. Default true. */
  reshuffleEachIteration?: boolean;
}

/** Options of `Dataset.batch`: whether to drop a short last batch. */
export interface BatchOptions {
  /** Drop the last batch when it is smaller than the batch size (default false). */
  dropRemainder?: boolean;
}

/**
 * A re-iterable input pipeline over tensors (as tf.data): build one with {@link fromTensors} or {@link fromArrays},
 * then `shuffle`, `batch`, `take`, `skip`, `repeat`; iterate it with `for` or `for await`, or `toArray()`.
 */
export class Dataset<T extends Element> implements Iterable<T>, AsyncIterable<T> {
  /** @internal Use fromTensors / fromArrays. */
  constructor(
    private readonly source: Element,
    private readonly items: () => Iterator<Item<T>>,
    /** Number of elements one pass yields (Infinity after repeat() without a count). */
    readonly size: number,
  ) {}

  private derive<U extends Element>(items: () => Iterator<Item<U>>, size: number): Dataset<U> {
    return new Dataset<U>(this.source, items, size);
  }

  /**
   * Elements in random order: a buffer of `bufferSize` elements is filled and drawn from at
   * random (as in tf.data); the default buffer is the whole dataset, so every order is equally likely.
   */
  shuffle(options: ShuffleOptions = {}): Dataset<T> {
    const { seed, bufferSize, reshuffleEachIteration = true } = checkOptions('Dataset.shuffle', options, { seed: is.int, bufferSize: is.posInt, reshuffleEachIteration: is.bool });
    if (seed !== undefined && !Number.isFinite(seed)) throw new ValueError(`Dataset.shuffle: seed must be a finite number, got ${seed}`);
    if (bufferSize === undefined && this.size === Infinity) {
      throw new ValueError('Dataset.shuffle: the dataset is infinite (repeat() without a count); shuffle before repeat, or give a bufferSize');
    }
    const buffer = bufferSize ?? Math.max(1, this.size);
    if (!Number.isInteger(buffer) || buffer < 1) throw new ValueError(`Dataset.shuffle: bufferSize must be a positive integer, got ${bufferSize}`);
    const base = seed ?? globalRng.nextUint32();
    const shared = new Rng(base);
    const inner = this.items;
    return this.derive(() => shuffled(inner(), buffer, reshuffleEachIteration ? shared : new Rng(base)), this.size);
  }

  /** Groups of `batchSize` consecutive elements, stacked along a new axis 0. */
  batch(batchSize: number, options: BatchOptions = {}): Dataset<T> {
    const { dropRemainder = false } = checkOptions('Dataset.batch', options, { dropRemainder: is.bool });
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`Dataset.batch: batchSize must be a positive integer, got ${batchSize}`);
    const inner = this.items;
    const source = this.source;
    const size = dropRemainder ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
    return this.derive(function* () {
      let group: Item<T>[] = [];
      for (let it = inner(), r = it.next(); !r.done; r = it.next()) {
        group.push(r.value);
        if (group.length === batchSize) {
          yield batchItems(source, group);
          group = [];
        }
      }
      if (group.length > 0 && !dropRemainder) yield batchItems(source, group);
    }, size);
  }

  /** Apply `fn` to every element (after reading it from the source). */
  map<U extends Element>(fn: (element: T) => U): Dataset<U> {
    if (typeof fn !== 'function') throw new ValueError(`Dataset.map: expected a function, got ${typeof fn}`);
    const inner = this.items;
    const source = this.source;
    return this.derive(function* () {
      for (let it = inner(), r = it.next(); !r.done; r = it.next()) yield { value: fn(materialize<T>(source, r.value)) };
    }, this.size);
  }

  /** The first `count` elements. */
  take(count: number): Dataset<T> {
    checkCount('take', count);
    const inner = this.items;
    return this.derive(function* () {
      if (count === 0) return;
      let n = 0;
      for (let it = inner(), r = it.next(); !r.done; r = it.next()) {
        yield r.value;
        if (++n === count) return;
      }
    }, Math.min(this.size, count));
  }

  /** All but the first `count` elements. */
  skip(count: number): Dataset<T> {
    checkCount('skip', count);
    const inner = this.items;
    return this.derive(function* () {
      let n = 0;
      for (let it = inner(), r = it.next(); !r.done; r = it.next()) if (n++ >= count) yield r.value;
    }, Math.max(0, this.size - count));
  }

  /** The dataset `count` times over (forever without a count); a shuffle before it reshuffles each pass. */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) checkCount('repeat', count);
    const inner = this.items;
    const size = count === undefined ? (this.size === 0 ? 0 : Infinity) : this.size * count;
    return this.derive(function* () {
      for (let pass = 0; count === undefined || pass < count; pass++) {
        let yielded = false;
        for (let it = inner(), r = it.next(); !r.done; r = it.next()) {
          yielded = true;
          yield r.value;
        }
        if (!yielded) return; // an empty dataset repeated forever is empty, not a hang
      }
    }, size);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let it = this.items(), r = it.next(); !r.done; r = it.next()) yield materialize<T>(this.source, r.value);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (const element of this) yield element;
  }

  /** Every element of one pass, in an array. */
  toArray(): T[] {
    if (this.size === Infinity) throw new ValueError('Dataset.toArray: the dataset is infinite (repeat() without a count); take(n) first');
    return [...this];
  }
}

function checkCount(op: string, count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new ValueError(`Dataset.${op}: count must be a non-negative integer, got ${count}`);
}

function* shuffled<T>(items: Iterator<T>, bufferSize: number, rng: Rng): Generator<T> {
  const buffer: T[] = [];
  // Draw one buffered item at random and fill its slot from the last one (swap-remove).
  const draw = (): T => {
    const j = rng.int(buffer.length);
    const picked = buffer[j];
    buffer[j] = buffer[buffer.length - 1];
    buffer.pop();
    return picked;
  };
  for (let r = items.next(); !r.done; r = items.next()) {
    buffer.push(r.value);
    if (buffer.length === bufferSize) yield draw();
  }
  while (buffer.length > 0) yield draw();
}

/** One batch from several items: row numbers stay lazy when all items are, else values are stacked. */
function batchItems<T extends Element>(source: Element, group: Item<T>[]): Item<T> {
  const lazy = group.every((it): it is { rows: Int32Array; shape: readonly number[] } => 'rows' in it);
  if (lazy && group.every((it) => shapeKey(it.shape) === shapeKey(group[0].shape))) {
    const per = group[0].rows.length;
    const rows = new Int32Array(group.length * per);
    group.forEach((it, i) => rows.set(it.rows, i * per));
    return { rows, shape: [group.length, ...group[0].shape] };
  }
  return { value: stackElements(group.map((it) => materialize<T>(source, it))) };
}

const shapeKey = (shape: readonly number[]): string => shape.join(',');

/** The element an item stands for: source rows gathered (one gather per tensor), or the mapped value. */
function materialize<T extends Element>(source: Element, item: Item<T>): T {
  if ('value' in item) return item.value;
  return noGrad(() => {
    const idx = tensor(item.rows, item.shape, 'int32');
    const out = mapElement(source, (t) => gather(t, idx, 0));
    idx.dispose();
    return out as T;
  });
}

function mapElement(el: Element, fn: (t: Tensor, key: string) => Tensor): Element {
  if (el instanceof Tensor) return fn(el, '');
  if (Array.isArray(el)) return el.map((t, i) => fn(t, String(i)));
  const rec = el as { readonly [key: string]: Tensor };
  return Object.fromEntries(Object.entries(rec).map(([k, t]) => [k, fn(t, k)]));
}

/** Stack elements of one structure (as produced by map()) along a new axis 0. */
function stackElements<T extends Element>(elements: T[]): T {
  const first = elements[0];
  const part = (el: Element, key: string): Tensor => {
    const t = el instanceof Tensor ? el : (el as Record<string, Tensor>)[key];
    if (!(t instanceof Tensor)) throw new ValueError(`Dataset.batch: elements differ in structure: ${key === '' ? 'a tensor' : `key ${key}`} is missing in one of them`);
    return t;
  };
  return noGrad(() => mapElement(first, (_, key) => stack(elements.map((el) => part(el, key)), 0))) as T;
}

/**
 * A Dataset over the rows of `source` (axis 0): one tensor, an array of tensors, or a record
 * such as `{ x: images [N, 28, 28, 1], y: labels [N] }`; all must have the same length N.
 */
export function fromTensors<S extends Element>(source: S): Dataset<S> {
  const parts: [string, unknown][] = source instanceof Tensor ? [['', source]]
    : Array.isArray(source) ? source.map((t, i) => [`[${i}]`, t])
    : source !== null && typeof source === 'object' ? Object.entries(source) : [];
  if (parts.length === 0) throw new ValueError('fromTensors: expected a tensor, or a non-empty array or record of tensors');
  let n = -1;
  for (const [key, t] of parts) {
    const name = key === '' ? 'the tensor' : `tensor ${key}`;
    if (!(t instanceof Tensor)) throw new ValueError(`fromTensors: ${name} is not a Tensor (use fromArrays for plain arrays)`);
    t.assertAlive('fromTensors');
    if (t.rank === 0) throw new ShapeError(`fromTensors: ${name} is a scalar; every tensor needs an axis 0 to slice`);
    if (n >= 0 && t.shape[0] !== n) {
      throw new ShapeError(`fromTensors: every tensor needs the same length along axis 0, but ${name} is ${fmtShape(t.shape)} and the first has ${n} rows`);
    }
    n = t.shape[0];
  }
  return new Dataset<S>(source, function* () {
    for (let i = 0; i < n; i++) yield { rows: Int32Array.of(i), shape: [] };
  }, n);
}

/**
 * fromTensors over plain values: each TensorLike becomes a tensor with hb.tensor (nested
 * numbers are float32; typed arrays keep their dtype, e.g. Int32Array labels stay int32).
 */
export function fromArrays(source: TensorLike): Dataset<Tensor>;
export function fromArrays<K extends string>(source: { readonly [key in K]: TensorLike }): Dataset<{ readonly [key in K]: Tensor }>;
export function fromArrays(source: TensorLike | { readonly [key: string]: TensorLike }): Dataset<Element> {
  const isRecord = source !== null && typeof source === 'object' && !Array.isArray(source) && !ArrayBuffer.isView(source) && !(source instanceof Tensor);
  if (!isRecord) return fromTensors(toTensorRow(source as TensorLike, 'the values'));
  const entries = Object.entries(source as { readonly [key: string]: TensorLike });
  return fromTensors(Object.fromEntries(entries.map(([k, v]) => [k, toTensorRow(v, k)])));
}

function toTensorRow(values: TensorLike, name: string): Tensor {
  if (values instanceof Tensor) return values;
  try {
    return tensor(values);
  } catch (e) {
    throw new ValueError(`fromArrays: cannot make a tensor of ${name}: ${(e as Error).message}`);
  }
}
