// The functional Model: a graph of layer calls (LayerNodes) from symbolic inputs to symbolic
// outputs, run in topological order. A Model is itself a Layer, so models nest: a model used as
// a layer runs its own graph. Shared layers (one layer object called on several inputs, as in a
// Siamese network) appear once in `layers` and once in the weights, and in one node per call.
// Training (compile/fit/evaluate/predict), summary and save live in their own files; the
// methods here delegate to them.
import { checkOptions, fmtShape, is, ShapeError, ValueError } from '../base/index.js';
import {
  type CallArgs, type Config, type ConfigValue, deserializeLayer, Layer, type LayerInput, type LayerNode, type LayerOutput, registerLayer,
  type Shape, type SymbolicTensor, type Variable, isShapeList,
} from '../nn/index.js';
import { cast } from '../ops/index.js';
import { Tensor } from '../tensor/index.js';
import type { History } from './callbacks.js';
import { type CompileArgs, type CompiledModel, compileModel } from './compile.js';
import { InputLayer } from './input-layer.js';
import { type LoadWeightsReport, saveModel, type SaveOptions, saveWeightsFile, loadWeightsFile } from './save.js';
import { summarize, type SummaryOptions } from './summary.js';
import {
  defaultTestStep, defaultTrainStep, evaluateModel, type EvaluateOptions, fitModel, type FitOptions, type Logs, type ModelData, predictModel,
  type PredictOptions, type StepBatch, type StepLogs, testOnBatch, trainOnBatch, type BatchOptions,
} from './training.js';

/** One symbolic tensor or a list (a multi-output layer's result may appear as a nested list). */
export type SymbolicList = SymbolicTensor | readonly (SymbolicTensor | readonly SymbolicTensor[])[];

/** What {@link model} takes: the symbolic `inputs` and `outputs` (one or several), and a name. */
export interface ModelArgs {
  inputs: SymbolicList;
  outputs: SymbolicList;
  name?: string;
  trainable?: boolean;
}

const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const flatList = (x: SymbolicList): SymbolicTensor[] => (Array.isArray(x) ? (x as (SymbolicTensor | SymbolicTensor[])[]).flat() : [x as SymbolicTensor]);

/** `[layerName, nodeIndex, tensorIndex]`: a tensor of the graph, as saved in a model config. */
type TensorRef = [string, number, number];

/**
 * A network of layers from inputs to outputs (Keras's functional Model): `compile`, `fit`, `evaluate`, `predict`,
 * `summary`, `save`; a model is itself a layer.
 */
export class Model extends Layer {
  static override readonly className: string = 'Functional';

  /** Symbolic inputs (outputs of InputLayers) and outputs of the graph. */
  inputs: SymbolicTensor[] = [];
  outputs: SymbolicTensor[] = [];
  /** Layer calls in topological order (InputLayer nodes included). */
  protected nodes: LayerNode[] = [];
  protected graphLayers: Layer[] = [];
  /** Set by a callback (or by anyone) to end fit() after the current batch. */
  stopTraining = false;
  /** Loss, metrics and optimizer, once compile() has run. */
  compiled: CompiledModel | null = null;
  /** Epochs completed by fit() so far; saved with the model (pass it as fit's initialEpoch to resume). */
  epochsTrained = 0;
  /** The History of the latest fit(), as Keras's model.history. */
  history: History | null = null;

  constructor(args: Partial<ModelArgs> = {}) {
    super({ name: args.name, trainable: args.trainable });
    if (args.inputs !== undefined && args.outputs !== undefined) {
      this.setGraph(flatList(args.inputs), flatList(args.outputs));
    } else if (new.target === Model) {
      throw new ValueError(`model: inputs and outputs are required (symbolic tensors from hb.input() and layer.apply())`);
    }
  }

  /** Trace the graph from `outputs` back to `inputs`: topological node order and the layer list. */
  protected setGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[]): void {
    const who = `${this.className} '${this.name}'`;
    if (inputs.length === 0 || outputs.length === 0) throw new ValueError(`${who}: needs at least one input and one output`);
    for (const x of inputs) {
      if (!(x.node?.layer instanceof InputLayer)) throw new ValueError(`${who}: input ${x.toString()} is not the output of hb.input()`);
    }
    const inputSet = new Set(inputs);
    if (inputSet.size !== inputs.length) throw new ValueError(`${who}: the same input is listed twice`);
    const order: LayerNode[] = [];
    const done = new Set<LayerNode>();
    const active = new Set<LayerNode>();
    // Depth-first post-order from each output; an iterative stack so deep graphs do not overflow.
    for (const out of outputs) {
      if (!out.node) throw new ValueError(`${who}: output ${out.toString()} was not produced by a layer`);
      const stack: { node: LayerNode; next: number }[] = [{ node: out.node, next: 0 }];
      if (done.has(out.node)) continue;
      active.add(out.node);
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        const { node } = frame;
        if (node.layer instanceof InputLayer && !inputSet.has(node.outputs[0])) {
          throw new ValueError(`${who}: graph disconnected: an output depends on input '${node.layer.name}', which is not among the model's inputs`);
        }
        if (frame.next < node.inputs.length) {
          const t = node.inputs[frame.next++];
          const producer = t.node;
          if (!producer) throw new ValueError(`${who}: tensor ${t.toString()} was not produced by a layer`);
          if (!done.has(producer) && !active.has(producer)) {
            active.add(producer);
            stack.push({ node: producer, next: 0 });
          }
          continue;
        }
        stack.pop();
        active.delete(node);
        done.add(node);
        order.push(node);
      }
    }
    // Inputs first, in the model's input order (an unused input still belongs to the model).
    const inputNodes = inputs.map((x) => x.node as LayerNode);
    this.nodes = [...inputNodes, ...order.filter((n) => !inputNodes.includes(n))];
    const layers: Layer[] = [];
    for (const n of this.nodes) if (!layers.includes(n.layer)) layers.push(n.layer);
    const names = new Set<string>();
    for (const l of layers) {
      if (names.has(l.name)) throw new ValueError(`${who}: two different layers are named '${l.name}'; layer names in a model must be unique`);
      names.add(l.name);
    }
    if (layers.includes(this)) throw new ValueError(`${who}: a model cannot contain itself`);
    this.inputs = [...inputs];
    this.outputs = [...outputs];
    this.graphLayers = layers;
    this.built = true;
  }

  /** The model's layers in graph order (for a functional model, InputLayers included). */
  get layers(): Layer[] {
    return [...this.graphLayers];
  }

  override sublayers(): Layer[] {
    return this.graphLayers;
  }

  /** A layer by name or by index in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    const found = typeof nameOrIndex === 'number' ? layers[nameOrIndex] : layers.find((l) => l.name === nameOrIndex);
    if (!found) {
      throw new ValueError(`${this.className} '${this.name}': no layer ${typeof nameOrIndex === 'number' ? `at index ${nameOrIndex} (${layers.length} layers)` : `named '${nameOrIndex}'; layers: ${layers.map((l) => l.name).join(', ')}`}`);
    }
    return found;
  }

  /** The model's own symbolic input (a list when it has several), as Keras's `model.input`. */
  override get input(): SymbolicTensor | SymbolicTensor[] {
    return this.graphEnds(this.inputs, 'input');
  }

  /** The model's own symbolic output (a list when it has several), as Keras's `model.output`. */
  override get output(): SymbolicTensor | SymbolicTensor[] {
    return this.graphEnds(this.outputs, 'output');
  }

  private graphEnds(ends: SymbolicTensor[], what: string): SymbolicTensor | SymbolicTensor[] {
    if (ends.length === 0) {
      throw new ValueError(`${this.className} '${this.name}': the model has no symbolic ${what} yet; give it an input shape (inputShape on the first layer, or model.build([null, …])) or call it once on data`);
    }
    return ends.length === 1 ? ends[0] : [...ends];
  }

  /** Names of the inputs (their InputLayers' names): the keys of object-form x. */
  get inputNames(): string[] {
    return this.inputs.map((x) => x.node!.layer.name);
  }

  /** Names of the outputs (their layers' names, suffixed when one layer gives several): the keys of object-form y. */
  get outputNames(): string[] {
    const base = this.outputs.map((o) => o.node!.layer.name);
    return base.map((n, i) => (base.indexOf(n) !== base.lastIndexOf(n) ? `${n}_${i}` : n));
  }

  /** The nodes of this model that call `layer`, in graph order. */
  protected nodesOf(layer: Layer): LayerNode[] {
    return this.nodes.filter((n) => n.layer === layer);
  }

  /** Every layer call's nodes in topological order (read-only view, for summary and save). */
  get graphNodes(): readonly LayerNode[] {
    return this.nodes;
  }

  /** Build from an input shape (a Sequential whose input was not given); functional models are built already. */
  override build(inputShape: Shape | Shape[]): void {
    void inputShape;
    this.built = true;
  }

  /** Make sure the model can run on data shaped like `xs` (a Sequential builds itself here). */
  ensureBuilt(xs: readonly Tensor[]): void {
    void xs;
  }

  /**
   * Run the graph on concrete inputs (one per model input). Returns one tensor per output and
   * the penalties (activity regularisation) the layers produced on the way.
   */
  runGraph(xs: readonly Tensor[], args: CallArgs = {}): { outputs: Tensor[]; losses: Tensor[] } {
    const who = `${this.className} '${this.name}'`;
    if (this.inputs.length === 0) throw new ValueError(`${who}: the model has no layers yet or its input shape is unknown`);
    if (xs.length !== this.inputs.length) throw new ValueError(`${who}: expected ${this.inputs.length} input tensor(s), got ${xs.length}`);
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((sym, i) => {
      let x = xs[i];
      if (!(x instanceof Tensor)) throw new ValueError(`${who}: input ${i} is not a Tensor`);
      const want = sym.shape;
      if (x.rank !== want.length || want.some((d, k) => d !== null && d !== x.shape[k])) {
        throw new ShapeError(`${who}: input '${sym.node!.layer.name}' expects shape ${fmtShape(want)}, got ${fmtShape(x.shape)}`);
      }
      if (x.dtype !== sym.dtype) x = cast(x, sym.dtype);
      values.set(sym, x);
    });
    const losses: Tensor[] = [];
    for (const node of this.nodes) {
      if (node.layer instanceof InputLayer) continue;
      const ins = node.inputs.map((s) => {
        const v = values.get(s);
        if (v === undefined) throw new ValueError(`${who}: no value for ${s.toString()} (graph order broken)`);
        return v;
      });
      const callArgs = { ...args, ...node.callArgs };
      const out = ins.length === 1 ? node.layer.apply(ins[0], callArgs) : node.layer.apply(ins, callArgs);
      losses.push(...node.layer.callLosses);
      const outs = asList(out);
      if (outs.length !== node.outputs.length) {
        throw new ValueError(`${who}: layer '${node.layer.name}' returned ${outs.length} tensors where its graph node has ${node.outputs.length}`);
      }
      node.outputs.forEach((s, i) => values.set(s, outs[i]));
    }
    return { outputs: this.outputs.map((s) => values.get(s)!), losses };
  }

  call(inputs: LayerInput, args: CallArgs): LayerOutput {
    const { outputs, losses } = this.runGraph(asList(inputs), args);
    this.callLosses.push(...losses);
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    if (shapes.length !== this.inputs.length) {
      throw new ValueError(`${this.className} '${this.name}': expected ${this.inputs.length} input shape(s), got ${shapes.length}`);
    }
    const known = new Map<SymbolicTensor, Shape>();
    this.inputs.forEach((s, i) => known.set(s, shapes[i]));
    for (const node of this.nodes) {
      if (node.layer instanceof InputLayer) continue;
      const ins = node.inputs.map((s) => known.get(s)!);
      const out = node.layer.computeOutputShape(ins.length === 1 ? ins[0] : ins);
      const outs = isShapeList(out) ? out : [out];
      node.outputs.forEach((s, i) => known.set(s, outs[i]));
    }
    const result = this.outputs.map((s) => known.get(s)!);
    return result.length === 1 ? result[0] : result;
  }

  /** Parameter count; `trainableOnly` counts trainable weights only. */
  override countParams(options: { trainableOnly?: boolean } = {}): number {
    checkOptions('countParams', options, { trainableOnly: is.bool });
    const ws: Variable[] = options.trainableOnly ? this.trainableWeights : this.weights;
    return ws.reduce((n, v) => n + v.size, 0);
  }

  // ---- serialisation ----

  /** A tensor's reference within this model: [producing layer, its node index here, output index]. */
  protected tensorRef(t: SymbolicTensor): TensorRef {
    const node = t.node!;
    return [node.layer.name, this.nodesOf(node.layer).indexOf(node), node.outputs.indexOf(t)];
  }

  /**
   * The architecture: every layer's { className, config }, then the layer calls in topological
   * order with their inputs as [layer, node, tensor] references, then the model's inputs and outputs.
   */
  override getConfig(): Config {
    return {
      name: this.name,
      trainable: this.trainable,
      layers: this.graphLayers.map((l) => ({ className: l.className, config: l.getConfig() })),
      nodes: this.nodes
        .filter((n) => !(n.layer instanceof InputLayer))
        .map((n) => ({ layer: n.layer.name, inputs: n.inputs.map((t) => this.tensorRef(t)), callArgs: n.callArgs as Config })),
      inputs: this.inputs.map((t) => this.tensorRef(t)),
      outputs: this.outputs.map((t) => this.tensorRef(t)),
    };
  }

  static fromConfig(config: Config): Model {
    if (typeof config.name !== 'string') throw new ValueError(`Functional config: name must be a string, got ${JSON.stringify(config.name)}`);
    const { inputs, outputs } = rebuildGraph('Functional', config);
    const m = new Model({ name: config.name as string, inputs, outputs });
    if (config.trainable === false) m.trainable = false;
    return m;
  }

  // ---- training, delegated ----

  /** Configure loss, metrics and optimizer for fit/evaluate. */
  compile(args: CompileArgs): void {
    this.compiled = compileModel(this, args);
  }

  /** The optimizer set by compile(). */
  get optimizer(): CompiledModel['optimizer'] | null {
    return this.compiled?.optimizer ?? null;
  }

  /**
   * One training step on one batch, called by fit() and trainOnBatch() (Keras 3's train_step).
   * The default takes one step of the compiled optimizer on the compiled loss. Override it in a
   * subclass, or assign a function (`model.trainStep = (batch) => …`), to train differently; return
   * the batch's values by name ({ dLoss, gLoss }) and fit reports their epoch means. With a
   * custom step, fit passes x (and y, which may be omitted) to it as given.
   */
  trainStep(batch: StepBatch): StepLogs {
    defaultTrainStep(this, batch);
  }

  /** One evaluation step (validation in fit(), evaluate(), testOnBatch()); overridable like trainStep. */
  testStep(batch: StepBatch): StepLogs {
    defaultTestStep(this, batch);
  }

  /** Whether trainStep or testStep is not the built-in one (then data go to it unchecked). */
  protected get customSteps(): boolean {
    return this.trainStep !== Model.prototype.trainStep || this.testStep !== Model.prototype.testStep;
  }

  /** Every optimizer set by compile(), by name (one, or e.g. generator and discriminator). */
  get optimizers(): Readonly<Record<string, CompiledModel['optimizer']>> {
    return this.compiled?.optimizers ?? {};
  }

  async fit(x: ModelData, y?: ModelData | null, options: FitOptions = {}): Promise<History> {
    this.history = await fitModel(this, x, y, options, this.customSteps);
    return this.history;
  }

  evaluate(x: ModelData, y?: ModelData | null, options: EvaluateOptions = {}): Promise<Logs> {
    return evaluateModel(this, x, y, options, this.customSteps);
  }

  predict(x: ModelData, options: PredictOptions = {}): Tensor | Tensor[] {
    return predictModel(this, x, options);
  }

  trainOnBatch(x: ModelData, y?: ModelData | null, options: BatchOptions = {}): Logs {
    return trainOnBatch(this, x, y, options, this.customSteps);
  }

  testOnBatch(x: ModelData, y?: ModelData | null, options: BatchOptions = {}): Logs {
    return testOnBatch(this, x, y, options, this.customSteps);
  }

  /** The Keras-style table of layers, output shapes and parameter counts (printed unless print: false). */
  summary(options: SummaryOptions = {}): string {
    checkOptions('summary', options, { print: is.bool, printFn: is.fn });
    const text = summarize(this, options);
    if (options.print !== false) (options.printFn ?? console.log)(text);
    return text;
  }

  /** Save to a directory: model.json, weights.safetensors and (by default) optimizer.safetensors. */
  save(dir: string, options: SaveOptions = {}): Promise<void> {
    return saveModel(this, dir, options);
  }

  /** Save only the weights, as one safetensors file. */
  saveWeights(path: string): Promise<void> {
    return saveWeightsFile(this, path);
  }

  /** Load weights saved by saveWeights() (names and shapes must match exactly). */
  loadWeights(path: string): Promise<LoadWeightsReport> {
    return loadWeightsFile(this, path);
  }
}
registerLayer(Model);

function isRef(v: unknown): v is TensorRef {
  return Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && Number.isInteger(v[1]) && v[1] >= 0 && Number.isInteger(v[2]) && v[2] >= 0;
}

/**
 * Recreate a functional graph from its config: build each layer from { className, config },
 * then replay the recorded calls in order on symbolic tensors. Anything inconsistent throws a
 * ValueError (deserializeLayer turns it into a FormatError for files).
 */
export function rebuildGraph(kind: string, config: Config): { layers: Layer[]; nodes: LayerNode[]; inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
  const fail = (what: string): never => {
    throw new ValueError(`${kind} config: ${what}`);
  };
  const { layers: layerSpecs, nodes: nodeSpecs, inputs: inRefs, outputs: outRefs } = config;
  if (!Array.isArray(layerSpecs)) fail('layers must be an array');
  if (!Array.isArray(nodeSpecs)) fail('nodes must be an array');
  if (!Array.isArray(inRefs) || !Array.isArray(outRefs)) fail('inputs and outputs must be arrays of [layer, node, tensor]');
  // Through the registry, so nested models (registered like any layer) rebuild too.
  const layers = new Map<string, Layer>();
  for (const spec of layerSpecs as ConfigValue[]) {
    const layer = deserializeLayer(spec);
    if (layers.has(layer.name)) fail(`two layers are named '${layer.name}'`);
    layers.set(layer.name, layer);
  }
  // Each layer's nodes in this graph, in creation order: an InputLayer's own node first.
  const nodesByLayer = new Map<Layer, LayerNode[]>();
  for (const l of layers.values()) nodesByLayer.set(l, l instanceof InputLayer ? [l.inboundNodes[0]] : []);
  const resolveRef = (ref: unknown): SymbolicTensor => {
    if (!isRef(ref)) return fail(`bad tensor reference ${JSON.stringify(ref)?.slice(0, 80)} (expected [layer, node, tensor])`);
    const [name, nodeIndex, tensorIndex] = ref;
    const layer = layers.get(name);
    if (!layer) return fail(`reference to unknown layer '${name}'`);
    const node = nodesByLayer.get(layer)![nodeIndex];
    if (!node) return fail(`reference to call ${nodeIndex} of layer '${name}', which has not been made (yet)`);
    const t = node.outputs[tensorIndex];
    if (!t) return fail(`layer '${name}' call ${nodeIndex} has no output ${tensorIndex}`);
    return t;
  };
  const nodes: LayerNode[] = [];
  for (const spec of nodeSpecs as ConfigValue[]) {
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return fail('each node must be an object { layer, inputs, callArgs }');
    const { layer: name, inputs: refs, callArgs } = spec as Config;
    const layer = typeof name === 'string' ? layers.get(name) : undefined;
    if (!layer) return fail(`node calls unknown layer ${JSON.stringify(name)}`);
    if (!Array.isArray(refs) || refs.length === 0) return fail(`node of '${layer.name}' must list its inputs`);
    if (callArgs !== undefined && (typeof callArgs !== 'object' || callArgs === null || Array.isArray(callArgs))) fail(`callArgs of '${layer.name}' must be an object`);
    const ins = refs.map(resolveRef);
    const before = layer.inboundNodes.length;
    if (ins.length === 1) layer.apply(ins[0], (callArgs ?? {}) as CallArgs);
    else layer.apply(ins, (callArgs ?? {}) as CallArgs);
    const node = layer.inboundNodes[before];
    nodesByLayer.get(layer)!.push(node);
    nodes.push(node);
  }
  return { layers: [...layers.values()], nodes, inputs: (inRefs as unknown[]).map(resolveRef), outputs: (outRefs as unknown[]).map(resolveRef) };
}
