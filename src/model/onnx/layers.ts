// The one layer ONNX import needs beyond hb.layers: an elementwise Add/Sub/Mul/Div, either of
// two graph tensors (Div has no Keras merge layer) or of a tensor and a stored constant (a bias
// or scale that an exporter left as a separate node). The constant is a trainable weight, as the
// parameter it came from was. Registered, so imported models save and load like any other.
import { ValueError } from '../../base/index.js';
import {
  type CallArgs, type Config, getInitializer, Layer, type LayerArgs, type LayerInput, registerLayer, type Shape, type Variable,
} from '../../nn/index.js';
import { add, div, mul, sub } from '../../ops/index.js';
import type { Tensor } from '../../tensor/index.js';

export type ElementwiseOp = 'add' | 'sub' | 'mul' | 'div';
const OPS: { [K in ElementwiseOp]: (a: Tensor, b: Tensor) => Tensor } = { add, sub, mul, div };

export interface OnnxElementwiseArgs extends LayerArgs {
  op: ElementwiseOp;
  /** Shape of the stored constant (broadcast against the input, batch axis excluded); null: two inputs. */
  constantShape?: number[] | null;
  /** The constant is the left operand (c − x, c / x). */
  constantFirst?: boolean;
}

export class OnnxElementwise extends Layer {
  static override readonly className = 'OnnxElementwise';
  readonly op: ElementwiseOp;
  readonly constantShape: number[] | null;
  readonly constantFirst: boolean;
  constant: Variable | null = null;

  constructor(args: OnnxElementwiseArgs) {
    super(args);
    if (!(args.op in OPS)) throw new ValueError(`OnnxElementwise '${this.name}': op must be add, sub, mul or div, got ${JSON.stringify(args.op)}`);
    this.op = args.op;
    this.constantShape = args.constantShape ? [...args.constantShape] : null;
    this.constantFirst = args.constantFirst ?? false;
  }

  override build(_inputShape: Shape | Shape[]): void {
    if (this.constantShape && !this.constant) this.constant = this.addWeight('constant', this.constantShape, getInitializer('zeros'));
    this.built = true;
  }

  call(inputs: LayerInput, _args: CallArgs): Tensor {
    const f = OPS[this.op];
    if (this.constant) {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return this.constantFirst ? f(this.constant.value, x) : f(x, this.constant.value);
    }
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new ValueError(`OnnxElementwise '${this.name}': expects two inputs`);
    return f(inputs[0], inputs[1]);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), op: this.op, constantShape: this.constantShape, constantFirst: this.constantFirst };
  }

  static fromConfig(config: Config): OnnxElementwise {
    return new OnnxElementwise(config as unknown as OnnxElementwiseArgs);
  }
}
registerLayer(OnnxElementwise);
