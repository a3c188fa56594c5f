// The entry point of a functional graph: `hb.input({ shape })` makes an InputLayer and returns
// its symbolic output, on which layers are then applied. On concrete tensors it is the identity.
import { checkOptions, type DType, is, isDType, ValueError } from '../base/index.js';
import { type CallArgs, type Config, Layer, type LayerInput, type LayerNode, registerLayer, type Shape, SymbolicTensor } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';

/** Options of {@link input}: the sample `shape` (or the whole `batchShape`), dtype, name. */
export interface InputOptions {
  /** Shape of one sample, without the batch axis; null for a dimension of any size. */
  shape?: readonly (number | null)[];
  /** Full shape including the batch axis (instead of shape). */
  batchShape?: readonly (number | null)[];
  /** Fixed batch size (default: any, null). */
  batchSize?: number | null;
  dtype?: DType;
  name?: string;
}

function checkDims(op: string, dims: unknown): (number | null)[] {
  if (!Array.isArray(dims) || !dims.every((d) => d === null || (Number.isInteger(d) && d >= 0))) {
    throw new ValueError(`${op}: shape must be an array of non-negative integers or null, got ${JSON.stringify(dims)}`);
  }
  return [...dims];
}

/** The layer behind {@link input}: the entry point of a functional model's graph. */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  readonly shape: Shape;

  constructor(options: InputOptions = {}) {
    const op = 'input';
    checkOptions(op, options, { shape: is.array, batchShape: is.array, batchSize: is.nullable(is.posInt), dtype: is.string, name: is.string });
    let batchShape: Shape;
    if (options.batchShape !== undefined) {
      if (options.shape !== undefined) throw new ValueError(`${op}: give shape or batchShape, not both`);
      batchShape = checkDims(op, options.batchShape);
      if (batchShape.length === 0) throw new ValueError(`${op}: batchShape needs at least the batch axis`);
    } else {
      if (options.shape === undefined) throw new ValueError(`${op}: shape is required (the shape of one sample, e.g. [784])`);
      const b = options.batchSize ?? null;
      if (b !== null && !(Number.isInteger(b) && b > 0)) throw new ValueError(`${op}: batchSize must be a positive integer, got ${b}`);
      batchShape = [b, ...checkDims(op, options.shape)];
    }
    const dtype = options.dtype ?? 'float32';
    if (!isDType(dtype)) throw new ValueError(`${op}: unknown dtype ${JSON.stringify(dtype)}`);
    super({ name: options.name, dtype, batchInputShape: batchShape });
    this.shape = batchShape;
    this.built = true;
    const output = new SymbolicTensor(batchShape, dtype, this.name);
    const node: LayerNode = { layer: this, inputs: [], outputs: [output], callArgs: {} };
    output.node = node;
    this.inboundNodes.push(node);
  }

  /** The symbolic tensor this layer feeds into the graph. */
  override get output(): SymbolicTensor {
    return this.inboundNodes[0].outputs[0];
  }

  call(inputs: LayerInput, _args: CallArgs): Tensor {
    return Array.isArray(inputs) ? inputs[0] : inputs;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : (inputShape as Shape);
  }

  override getConfig(): Config {
    return { name: this.name, dtype: this.dtype, batchShape: [...this.shape] };
  }

  static fromConfig(config: Config): InputLayer {
    const { name, dtype, batchShape } = config;
    if (typeof name !== 'string') throw new ValueError(`InputLayer: config.name must be a string, got ${JSON.stringify(name)}`);
    return new InputLayer({ name, dtype: dtype as DType, batchShape: batchShape as (number | null)[] });
  }
}
registerLayer(InputLayer);

/** A symbolic model input: `const x = hb.input({ shape: [28, 28, 1] })`. */
export function input(options: InputOptions): SymbolicTensor {
  return new InputLayer(options).output;
}
