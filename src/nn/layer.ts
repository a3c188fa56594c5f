// The Layer base class (Keras style): build() creates weights once the input shape is known,
// call() computes the output with ops, getConfig()/fromConfig() serialise the architecture.
// apply() is what users call: on tensors it computes, on symbolic tensors it records a node of
// the functional graph. Layers are thin: the maths lives in src/ops.
import { checkOptions, checkShape, type DType, DTYPES, FormatError, fmtShape, is, type OptionSpec, ShapeError, ValueError } from '../base/index.js';
import { noGrad, Tensor, zeros } from '../tensor/index.js';
import { getInitializer, type InitializerIdentifier } from './initializers.js';
import { firstMask, getMask, type MaskArg, setMask } from './mask.js';
import { assignKeptFields, checkLayerOptions, keptConfig, keptWeights, type LayerArgs, type LayerOptionSpec } from './options.js';
import { isSymbolic, type LayerNode, SymbolicTensor } from './symbolic.js';
import type { CallArgs, Config, Constraint, Initializer, Regularizer, Shape } from './types.js';
import { Variable } from './variable.js';
import type { WeightParams } from './weight-params.js';

export type { LayerArgs };

/** What a layer requires of its input; checked at every call with a clear ShapeError. */
export interface InputSpec {
  ndim?: number;
  minNdim?: number;
  /** axis → required size (negative axes count from the end). */
  axes?: Record<number, number>;
}

const nameCounts = new Map<string, number>();

/** Keras-style unique names: dense, dense_1, dense_2, … */
export function uniqueName(base: string): string {
  const n = nameCounts.get(base) ?? 0;
  nameCounts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Keras's to_snake_case: Conv2D → conv2d, MaxPooling2D → max_pooling2d, ReLU → re_lu. */
function snakeCase(s: string): string {
  return s.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

export function isShapeList(s: Shape | Shape[]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

export interface AddWeightOptions {
  trainable?: boolean;
  regularizer?: Regularizer | null;
  constraint?: Constraint | null;
  dtype?: DType;
}

const ADD_WEIGHT_OPTIONS: OptionSpec<AddWeightOptions> = {
  trainable: is.bool,
  regularizer: (v) => (v === null || (typeof v === 'object' && typeof (v as Regularizer).apply === 'function') ? null : 'a Regularizer or null'),
  constraint: (v) => (v === null || (typeof v === 'object' && typeof (v as Constraint).apply === 'function') ? null : 'a Constraint or null'),
  dtype: is.oneOf(...DTYPES),
};

/** The one error for using a layer's weights before it is built: a ValueError naming the layer. */
export function notBuiltError(layer: Layer): ValueError {
  return new ValueError(`${layer.className} '${layer.name}': call() before build(); apply the layer to an input (or call build(inputShape)) first`);
}

/** One weight that build() creates: its name within the layer, shape and whether training updates it. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
}

export type LayerInput = Tensor | Tensor[];
export type LayerOutput = Tensor | Tensor[];

/**
 * The base of every layer: `apply` to tensors (computes) or to symbolic tensors (builds a graph), weights created on
 * first use by `build`, and a config for saving. Subclass it for a custom layer (docs/adding-a-layer.md).
 */
export abstract class Layer {
  /** The registered class name used in saved models (e.g. 'Dense'). */
  static readonly className: string = 'Layer';

  readonly name: string;
  dtype: DType;
  built = false;
  inputSpec: InputSpec | InputSpec[] | null = null;
  /** Input shape with batch axis, when given at construction (first layer of a Sequential). */
  readonly batchInputShape: Shape | null;
  /** The functional-graph calls of this layer. */
  readonly inboundNodes: LayerNode[] = [];
  /** Penalties (activity regularisation) produced by the latest call. */
  callLosses: Tensor[] = [];
  activityRegularizer: Regularizer | null = null;
  /** Whether the input's sequence mask passes through this layer (see computeMask and src/nn/mask.ts). */
  supportsMasking = false;

  private trainableFlag: boolean;
  private ownWeights: Variable[] = [];

  /**
   * The layer's own options (besides the base ones in nn/options.ts): key → check. When a class
   * declares it, the constructor rejects unknown keys and bad values with a ValueError naming the
   * layer; classes without one (user subclasses, models) are not checked.
   */
  static readonly options: LayerOptionSpec | undefined = undefined;

  constructor(args: LayerArgs = {}) {
    const cls = new.target as unknown as typeof Layer;
    if (cls.options !== undefined) checkLayerOptions(cls.className, args, cls.options);
    args ??= {};
    this.name = args.name ?? uniqueName(snakeCase(this.className));
    this.trainableFlag = args.trainable ?? true;
    this.dtype = args.dtype ?? 'float32';
    if (args.batchInputShape) this.batchInputShape = [...args.batchInputShape];
    else if (args.inputShape) {
      if (!Array.isArray(args.inputShape)) throw new ValueError(`${this.constructor.name}: inputShape must be an array, got ${typeof args.inputShape}`);
      this.batchInputShape = [args.batchSize ?? null, ...(args.inputShape as readonly (number | null)[])];
    }
    else this.batchInputShape = null;
  }

  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  /** Frozen layers (trainable = false) keep their weights through training. */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(on: boolean) {
    this.trainableFlag = on;
    for (const l of this.sublayers()) l.trainable = on;
  }

  /** Layers nested inside this one (a model's layers, a wrapper's inner layer). */
  sublayers(): Layer[] {
    return [];
  }

  /** Create weights for inputs of `inputShape` (batch axis included, possibly null). */
  build(_inputShape: Shape | Shape[]): void {
    this.built = true;
  }

  /**
   * The weights build() creates for inputs of `inputShape`, computed without creating them: the
   * one place a layer's weight shapes are written, used by its build() and by parameter counts
   * that must not allocate (the zoo's dry run). null: the layer does not declare them.
   */
  weightShapes(_inputShape: Shape | Shape[]): WeightSpec[] | null {
    return null;
  }

  /** The computation, on concrete tensors. */
  abstract call(inputs: LayerInput, args: CallArgs): LayerOutput;

  /**
   * Output shape for `inputShape`. The default traces call() on zeros with unknown axes set to 1
   * (under noGrad) and puts the unknown batch axis back; layers override it when they can say
   * it directly.
   */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const concrete = (s: Shape): number[] => s.map((d) => d ?? 1);
    return noGrad(() => {
      const input = isShapeList(inputShape) ? inputShape.map((s) => zeros(concrete(s), this.dtype)) : zeros(concrete(inputShape), this.dtype);
      const out = this.call(input, { training: false });
      const firstBatch = isShapeList(inputShape) ? inputShape[0][0] : inputShape[0];
      const restore = (t: Tensor): Shape => [firstBatch === null ? null : t.shape[0], ...t.shape.slice(1)];
      return Array.isArray(out) ? out.map(restore) : restore(out);
    });
  }

  /**
   * The mask of the output(s) given the input mask (Keras's compute_mask): by default the first
   * input's mask passes through when the layer supports masking, else it is dropped.
   */
  computeMask(_inputs: LayerInput, mask: MaskArg): MaskArg {
    return this.supportsMasking ? firstMask(mask) : null;
  }

  /** JSON configuration from which fromConfig() rebuilds an equal layer (without weights). */
  getConfig(): Config {
    const config: Config = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    return config;
  }

  /** Create a weight; called from build(). The initializer may be a name ('zeros'), a config or an instance. */
  addWeight(name: string, shape: readonly number[], initializer: Initializer | InitializerIdentifier, options: AddWeightOptions = {}): Variable {
    const where = `${this.className} '${this.name}': addWeight`;
    if (typeof name !== 'string' || name === '') throw new ValueError(`${where}: name must be a non-empty string, got ${typeof name}`);
    checkOptions(`${where}('${name}')`, options, ADD_WEIGHT_OPTIONS);
    checkShape(`${where}('${name}')`, shape);
    const init = typeof initializer === 'object' && initializer !== null && typeof (initializer as Initializer).apply === 'function'
      ? (initializer as Initializer)
      : getInitializer(initializer as InitializerIdentifier, `${where}('${name}')`);
    const dtype = options.dtype ?? this.dtype;
    const value = noGrad(() => init.apply(shape, dtype));
    const v = new Variable(value, {
      name: `${this.name}/${name}`,
      trainable: options.trainable ?? true,
      regularizer: options.regularizer ?? null,
      constraint: options.constraint ?? null,
    });
    this.ownWeights.push(v);
    return v;
  }

  /**
   * All weights, this layer's in creation order and then each sublayer's (Keras 3 order). The
   * order does not depend on which layers are frozen, so getWeights/setWeights round trips
   * survive freezing.
   */
  get weights(): Variable[] {
    return unique([...this.ownWeights, ...this.sublayers().flatMap((l) => l.weights)]);
  }

  get trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    const own = this.ownWeights.filter((v) => v.trainable);
    return unique([...own, ...this.sublayers().flatMap((l) => l.trainableWeights)]);
  }

  get nonTrainableWeights(): Variable[] {
    const own = this.trainable ? this.ownWeights.filter((v) => !v.trainable) : this.ownWeights;
    const sub = this.sublayers().flatMap((l) => (this.trainable ? l.nonTrainableWeights : l.weights));
    return unique([...own, ...sub]);
  }

  /** Copies of the weight values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => v.value.clone());
  }

  /** Set weight values in `weights` order; shapes must match exactly. */
  setWeights(values: readonly Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new ValueError(`${this.className} '${this.name}': setWeights got ${values.length} tensors for ${ws.length} weights`);
    }
    ws.forEach((v, i) => {
      const t = values[i];
      if (t.shape.length !== v.shape.length || t.shape.some((d, k) => d !== v.shape[k])) {
        throw new ShapeError(`${this.className} '${this.name}': weight ${v.name} has shape ${fmtShape(v.shape)}, got ${fmtShape(t.shape)}`);
      }
      v.assign(t.dtype === v.dtype ? t.clone() : t.cast(v.dtype));
    });
  }

  /**
   * Penalties to add to the loss (Keras's `layer.losses`): each weight's regularizer applied to
   * its current value (sublayers' weights included) — computed on access, so inside a gradient
   * computation they are differentiated — followed by the activity penalties of the latest call
   * (a container gathers its sublayers' into its own callLosses, as Model does). Each is a scalar.
   */
  get losses(): Tensor[] {
    const weightPenalties = this.weights.flatMap((v) => (v.regularizer ? [v.regularizer.apply(v.value)] : []));
    return [...weightPenalties, ...this.callLosses];
  }

  countParams(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /**
   * The symbolic input of this layer's first call (Keras's `layer.input`): what a feature
   * extractor starts from. A layer called several times (shared weights) has one input per call;
   * `getInputAt(i)` picks one.
   */
  get input(): SymbolicTensor | SymbolicTensor[] {
    return this.getInputAt(0);
  }

  /**
   * The symbolic output of this layer's first call (Keras's `layer.output`), e.g.
   * `hb.model({ inputs: m.inputs, outputs: m.getLayer('c1').output })` for a feature extractor
   * that shares m's weights. A list when the layer has several outputs.
   */
  get output(): SymbolicTensor | SymbolicTensor[] {
    return this.getOutputAt(0);
  }

  /** The symbolic input(s) of call `nodeIndex` of this layer in a functional graph. */
  getInputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const node = this.nodeAt(nodeIndex, 'input');
    if (node.inputs.length === 0) throw new ValueError(`${this.className} '${this.name}': an input layer has no input tensor; use its output`);
    return node.inputs.length === 1 ? node.inputs[0] : [...node.inputs];
  }

  /** The symbolic output(s) of call `nodeIndex` of this layer in a functional graph. */
  getOutputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const node = this.nodeAt(nodeIndex, 'output');
    return node.outputs.length === 1 ? node.outputs[0] : [...node.outputs];
  }

  private nodeAt(nodeIndex: number, what: string): LayerNode {
    if (this.inboundNodes.length === 0) {
      throw new ValueError(
        `${this.className} '${this.name}': the layer has never been called on a symbolic tensor, so it has no ${what}; ` +
          'give the model an input shape (inputShape on the first layer, hb.input(), or model.build([null, …])) or call it once on data',
      );
    }
    if (!Number.isInteger(nodeIndex) || nodeIndex < 0 || nodeIndex >= this.inboundNodes.length) {
      throw new ValueError(`${this.className} '${this.name}': no call ${nodeIndex}; the layer has been called ${this.inboundNodes.length} time(s)`);
    }
    return this.inboundNodes[nodeIndex];
  }

  /** Check input shapes against inputSpec; throws ShapeError naming the layer. */
  protected checkInput(shapes: Shape[]): void {
    if (!this.inputSpec) return;
    const specs = Array.isArray(this.inputSpec) ? this.inputSpec : shapes.map(() => this.inputSpec as InputSpec);
    shapes.forEach((s, i) => {
      const spec = specs[i];
      if (!spec) return;
      // Formatted only for an error: this check runs on every call.
      const show = (): string => fmtShape(s);
      if (spec.ndim !== undefined && s.length !== spec.ndim) {
        throw new ShapeError(`${this.className} '${this.name}': expected input of rank ${spec.ndim}, got shape ${show()}`);
      }
      if (spec.minNdim !== undefined && s.length < spec.minNdim) {
        throw new ShapeError(`${this.className} '${this.name}': expected input of rank >= ${spec.minNdim}, got shape ${show()}`);
      }
      for (const [axisKey, size] of Object.entries(spec.axes ?? {})) {
        const axis = Number(axisKey) < 0 ? s.length + Number(axisKey) : Number(axisKey);
        if (s[axis] !== null && s[axis] !== size) {
          throw new ShapeError(`${this.className} '${this.name}': expected axis ${axisKey} of the input to be ${size}, got shape ${show()}`);
        }
      }
    });
  }

  /**
   * Call the layer. On tensors: builds on first use, then computes. On symbolic tensors (the
   * functional API): records a node and returns symbolic outputs.
   */
  apply(inputs: SymbolicTensor, args?: CallArgs): SymbolicTensor;
  /** Merge layers (add, concatenate, …) take a list and give one output; see applyMulti for several. */
  apply(inputs: SymbolicTensor[], args?: CallArgs): SymbolicTensor;
  apply(inputs: Tensor, args?: CallArgs): Tensor;
  apply(inputs: Tensor[], args?: CallArgs): LayerOutput;
  apply(inputs: LayerInput | SymbolicTensor | SymbolicTensor[], args: CallArgs = {}): LayerOutput | SymbolicTensor | SymbolicTensor[] {
    if (isSymbolic(inputs)) return this.applySymbolic(inputs, args);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (!list.every((t) => t instanceof Tensor)) {
      throw new ValueError(`${this.className} '${this.name}': inputs must be Tensors or symbolic tensors from hb.input()`);
    }
    const shapes: Shape[] = list.map((t) => [...t.shape]);
    this.checkInput(shapes);
    if (!this.built) {
      this.build(Array.isArray(inputs) ? shapes : shapes[0]);
      this.built = true;
    }
    // Reset before call() so that call() itself may add penalties (a model adds its layers').
    this.callLosses = [];
    // Masks ride on the input tensors; call() sees them as args.mask (never an outer caller's).
    const inMasks = list.map(getMask);
    const mask: MaskArg = Array.isArray(inputs) ? (inMasks.some((m) => m) ? inMasks : null) : inMasks[0];
    const { mask: _outer, ...rest } = args;
    const out = this.call(inputs, mask ? { ...rest, mask } : rest);
    const outMask = this.computeMask(inputs, mask);
    if (outMask) {
      const outs = Array.isArray(out) ? out : [out];
      outs.forEach((o, i) => setMask(o, Array.isArray(outMask) ? (outMask[i] ?? null) : outMask));
    }
    if (this.activityRegularizer) {
      for (const o of Array.isArray(out) ? out : [out]) this.callLosses.push(this.activityRegularizer.apply(o));
    }
    return out;
  }

  /** Symbolic apply that always returns a list: for layers and models with several outputs. */
  applyMulti(inputs: SymbolicTensor | SymbolicTensor[], args: CallArgs = {}): SymbolicTensor[] {
    const out = this.applySymbolic(inputs, args);
    return Array.isArray(out) ? out : [out];
  }

  private applySymbolic(inputs: SymbolicTensor | SymbolicTensor[], args: CallArgs): SymbolicTensor | SymbolicTensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const shapes = list.map((s) => [...s.shape]);
    this.checkInput(shapes);
    const shapeArg = Array.isArray(inputs) ? shapes : shapes[0];
    if (!this.built) {
      this.build(shapeArg);
      this.built = true;
    }
    const outShape = this.computeOutputShape(shapeArg);
    const outShapes = isShapeList(outShape) ? outShape : [outShape];
    const outputs = outShapes.map((s, i) => new SymbolicTensor(s, this.dtype, outShapes.length === 1 ? this.name : `${this.name}:${i}`));
    const node: LayerNode = { layer: this, inputs: list, outputs, callArgs: { ...args } };
    outputs.forEach((o, i) => {
      o.node = node;
      o.outputIndex = i;
    });
    this.inboundNodes.push(node);
    return isShapeList(outShape) ? outputs : outputs[0];
  }
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/**
 * The base of the built-in layers: a layer whose config is its constructor's arguments, so one
 * generic fromConfig rebuilds it (after a shape check of the config; the constructor then checks
 * every option against the class's `options`). The options the class marks as kept (`field`,
 * `weightOptions` with a fallback; nn/options.ts) become fields here and go back into getConfig,
 * so a layer writes neither the assignment nor the config entry of a plain option.
 */
export abstract class ConfigurableLayer<A extends LayerArgs = LayerArgs> extends Layer {
  /** Typed by the class's options `A`; optional when every option is. */
  constructor(...[args]: object extends A ? [args?: A] : [args: A]) {
    super(args);
    const own = (new.target as unknown as typeof Layer).options ?? {};
    assignKeptFields(own, args, this);
    this.keptWeights = keptWeights(own, args, this);
  }

  /** The initializer, regularizer and constraint of each kept weight (weightOptions with a fallback), by prefix. */
  private readonly keptWeights: Map<string, WeightParams>;

  /** Creates weight `name` from the kept options of weight `prefix` (`kernelInitializer`, … for 'kernel'). */
  protected addKeptWeight(name: string, shape: readonly number[], prefix = name): Variable {
    const p = this.keptWeights.get(prefix);
    if (!p) throw new ValueError(`${this.className} '${this.name}': no kept options for weight '${prefix}'`);
    return this.addWeight(name, shape, p.initializer, { regularizer: p.regularizer, constraint: p.constraint });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), ...keptConfig((this.constructor as typeof Layer).options ?? {}, this, this.keptWeights) };
  }

  static fromConfig<T extends Layer>(this: new (args: never) => T, config: Config): T {
    const name = (this as unknown as typeof Layer).className;
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new FormatError(`${name}.fromConfig: config must be an object`);
    return new this(config as never);
  }
}

/** A layer class as the registry sees it: constructible from its config. */
export interface LayerClass {
  readonly className: string;
  fromConfig(config: Config): Layer;
}
