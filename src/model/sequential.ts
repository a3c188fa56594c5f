// Sequential: a linear stack of single-input, single-output layers. It is a functional Model
// whose graph is input → layer 1 → … → layer n, built as soon as the input shape is known: from
// the first layer's inputShape, an hb.input() added first, build(shape), or the first data seen.
import { checkOptions, type DType, is, ValueError } from '../base/index.js';
import { type Config, type ConfigValue, deserializeLayer, Layer, registerLayer, type Shape, SymbolicTensor } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';
import { InputLayer } from './input-layer.js';
import { Model } from './model.js';
import type { ModelData, PredictOptions } from './training.js';

/** What {@link sequential} takes: the `layers` in order, and a name. */
export interface SequentialArgs {
  layers?: (Layer | SymbolicTensor)[];
  name?: string;
  trainable?: boolean;
}

/** A plain stack of layers, each feeding the next (`hb.sequential([...])`); `add(layer)` appends one. */
export class Sequential extends Model {
  static override readonly className: string = 'Sequential';
  private stack: Layer[] = [];
  private inputLayer: InputLayer | null = null;

  constructor(args: SequentialArgs = {}) {
    super({ name: args.name, trainable: args.trainable });
    for (const l of args.layers ?? []) this.add(l);
  }

  /** The stacked layers (the InputLayer excluded, as in Keras). */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  override sublayers(): Layer[] {
    return this.inputLayer ? [this.inputLayer, ...this.stack] : [...this.stack];
  }

  /** Before the input shape is known the output is still the last layer's, so compile() can run. */
  override get outputNames(): string[] {
    if (this.outputs.length === 0 && this.stack.length > 0) return [this.stack[this.stack.length - 1].name];
    return super.outputNames;
  }

  /** One output, so one Tensor (docs/api.md: `const p = model.predict(x, { batchSize }) // Tensor`). */
  override predict(x: ModelData, options: PredictOptions = {}): Tensor {
    return super.predict(x, options) as Tensor;
  }

  /** Append a layer (or, first, an hb.input() tensor that fixes the input shape). */
  add(item: Layer | SymbolicTensor): void {
    const who = `Sequential '${this.name}'`;
    if (item instanceof SymbolicTensor) {
      const layer = item.node?.layer;
      if (!(layer instanceof InputLayer)) throw new ValueError(`${who}: add() takes layers, or hb.input() as the first item`);
      item = layer;
    }
    if (!(item instanceof Layer)) throw new ValueError(`${who}: add() expects a Layer, got ${typeof item}`);
    if (item instanceof InputLayer) {
      if (this.stack.length > 0 || this.inputLayer) throw new ValueError(`${who}: an input can only be added first`);
      this.inputLayer = item;
      return;
    }
    if (this.stack.includes(item)) throw new ValueError(`${who}: layer '${item.name}' is already in the model`);
    if (this.stack.some((l) => l.name === item.name)) throw new ValueError(`${who}: a layer named '${item.name}' is already in the model; names must be unique`);
    this.stack.push(item);
    let createdInput = false;
    if (!this.inputLayer && this.stack.length === 1) {
      const shape = firstInputShape(item);
      if (shape) {
        this.inputLayer = new InputLayer({ batchShape: shape, dtype: inputDType(item) });
        createdInput = true;
      }
    }
    if (!this.inputLayer) return;
    try {
      // Only the new layer is applied: the graph so far stays as it is.
      const x = this.outputs.length > 0 ? this.outputs[0] : this.inputLayer.output;
      this.setGraph([this.inputLayer.output], [this.applyOne(item, x)]);
    } catch (e) {
      this.stack.pop();
      if (createdInput) this.inputLayer = null;
      throw e;
    }
  }

  /** Remove the last layer. */
  pop(): Layer {
    const last = this.stack.pop();
    if (!last) throw new ValueError(`Sequential '${this.name}': pop() on an empty model`);
    if (this.inputLayer && this.stack.length > 0) this.connect();
    else {
      this.inputs = [];
      this.outputs = [];
      this.nodes = [];
      this.graphLayers = [];
    }
    return last;
  }

  private applyOne(layer: Layer, x: SymbolicTensor): SymbolicTensor {
    const out: unknown = layer.apply(x);
    if (!(out instanceof SymbolicTensor)) {
      throw new ValueError(`Sequential '${this.name}': layer '${layer.name}' has ${Array.isArray(out) ? out.length : 'several'} outputs; a Sequential model needs single-output layers (use hb.model())`);
    }
    return out;
  }

  /** Apply the whole stack to the input symbolically (layers already built keep their weights). */
  private connect(): void {
    const input = this.inputLayer!;
    let x: SymbolicTensor = input.output;
    for (const layer of this.stack) x = this.applyOne(layer, x);
    this.setGraph([input.output], [x]);
  }

  /** Build for inputs of `inputShape` (batch axis included, null for any size). */
  override build(inputShape: Shape | Shape[]): void {
    if (this.inputLayer) return;
    const shape = Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : (inputShape as Shape);
    this.inputLayer = new InputLayer({ batchShape: shape, dtype: this.stack.length > 0 ? inputDType(this.stack[0]) : 'float32' });
    if (this.stack.length > 0) this.connect();
  }

  /** Build from the first batch when the input shape was not given: [null, ...x.shape[1:]]. */
  override ensureBuilt(xs: readonly Tensor[]): void {
    if (this.inputLayer && this.inputs.length > 0) return;
    if (this.stack.length === 0) throw new ValueError(`Sequential '${this.name}': the model has no layers`);
    if (this.inputLayer) return;
    const x = xs[0];
    if (!x) throw new ValueError(`Sequential '${this.name}': no input data`);
    this.inputLayer = new InputLayer({ batchShape: [null, ...x.shape.slice(1)], dtype: x.dtype });
    try {
      this.connect();
    } catch (e) {
      this.inputLayer = null;
      throw e;
    }
  }

  override getConfig(): Config {
    return {
      name: this.name,
      trainable: this.trainable,
      input: this.inputLayer ? { name: this.inputLayer.name, dtype: this.inputLayer.dtype, batchShape: [...this.inputLayer.shape] } : null,
      layers: this.stack.map((l) => ({ className: l.className, config: l.getConfig() })),
    };
  }

  static override fromConfig(config: Config): Sequential {
    const { name, input, layers, trainable } = config;
    if (typeof name !== 'string') throw new ValueError(`Sequential config: name must be a string, got ${JSON.stringify(name)}`);
    if (!Array.isArray(layers)) throw new ValueError('Sequential config: layers must be an array');
    const m = new Sequential({ name });
    if (input !== null && input !== undefined) {
      if (typeof input !== 'object' || Array.isArray(input)) throw new ValueError('Sequential config: input must be an object or null');
      m.add(InputLayer.fromConfig(input as Config));
    }
    for (const spec of layers as ConfigValue[]) m.add(deserializeLayer(spec));
    if (trainable === false) m.trainable = false;
    return m;
  }
}
registerLayer(Sequential);

/** The batch input shape a layer declares (inputShape/batchInputShape), or a nested model's input shape. */
function firstInputShape(layer: Layer): Shape | null {
  if (layer.batchInputShape) return [...layer.batchInputShape];
  if (layer instanceof Model && layer.inputs.length === 1) return [...layer.inputs[0].shape];
  return null;
}

function inputDType(layer: Layer): DType {
  if (layer instanceof Model && layer.inputs.length === 1) return layer.inputs[0].dtype;
  return layer.dtype;
}

/** `hb.sequential([layers], { name })` or `hb.sequential({ layers, name })`. */
export function sequential(layers?: (Layer | SymbolicTensor)[] | SequentialArgs, options: Omit<SequentialArgs, 'layers'> = {}): Sequential {
  const spec = { layers: is.array, name: is.string, trainable: is.bool };
  if (layers !== undefined && !Array.isArray(layers)) return new Sequential(checkOptions('sequential', layers, spec));
  return new Sequential({ ...checkOptions('sequential', options, spec), layers });
}
