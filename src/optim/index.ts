// Optimizers and learning-rate schedules: the classes, their factories (hb.optimizers.adam(…)),
// and get() which accepts a name, a serialised config or an instance.
import { ValueError } from '../base/index.js';
import { Adadelta, type AdadeltaOptions } from './adadelta.js';
import { Adagrad, type AdagradOptions } from './adagrad.js';
import { Adam, type AdamOptions, AdamW } from './adam.js';
import { Adamax, type AdamaxOptions } from './adamax.js';
import { Optimizer } from './optimizer.js';
import { RMSprop, type RmspropOptions } from './rmsprop.js';
import * as schedules from './schedules.js';
import { SGD, type SgdOptions } from './sgd.js';
import type { JsonObject, SerializedObject } from './types.js';

export { Optimizer, type OptimizerOptions, type UpdateContext, type Slots } from './optimizer.js';
export { SGD, type SgdOptions } from './sgd.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { RMSprop, type RmspropOptions } from './rmsprop.js';
export { Adadelta, type AdadeltaOptions } from './adadelta.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { Adamax, type AdamaxOptions } from './adamax.js';
export type { OptimizerVariable, GradientPair, JsonValue, JsonObject, SerializedObject } from './types.js';
export {
  LearningRateSchedule, TimeDecay, ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, StepDecay, CosineDecay, deserializeSchedule,
  type TimeDecayOptions, type ExponentialDecayOptions, type InverseTimeDecayOptions, type PiecewiseConstantDecayOptions, type StepDecayOptions, type CosineDecayOptions,
} from './schedules.js';
export { schedules };

/**
 * Stochastic gradient descent (optionally with momentum): `hb.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 })`.
 */
export const sgd = (options?: SgdOptions): SGD => new SGD(options);
/** Adagrad: per-weight step sizes shrinking with the sum of squared gradients. */
export const adagrad = (options?: AdagradOptions): Adagrad => new Adagrad(options);
/** RMSprop: the gradient divided by a running RMS of recent gradients. */
export const rmsprop = (options?: RmspropOptions): RMSprop => new RMSprop(options);
/** Adadelta: steps scaled by the ratio of running RMS values. */
export const adadelta = (options?: AdadeltaOptions): Adadelta => new Adadelta(options);
/** Adam: `hb.optimizers.adam({ learningRate: 1e-3 })`. */
export const adam = (options?: AdamOptions): Adam => new Adam(options);
/** Adamax: Adam with the infinity norm. */
export const adamax = (options?: AdamaxOptions): Adamax => new Adamax(options);
/** AdamW: Adam with decoupled weight decay. */
export const adamw = (options?: AdamOptions): AdamW => new AdamW(options);

interface OptimizerClass {
  readonly className: string;
  new (options?: never): Optimizer;
  fromConfig(config: JsonObject): Optimizer;
}

const classes: readonly OptimizerClass[] = [SGD, Adagrad, RMSprop, Adadelta, Adam, Adamax, AdamW];
const byName = new Map<string, OptimizerClass>(classes.map((c) => [c.className.toLowerCase(), c]));

/** The names get() accepts (case-insensitive). */
export function optimizerNames(): string[] {
  return classes.map((c) => c.className);
}

/**
 * An optimizer from a name ('adam', 'SGD' …, with Keras defaults), a serialised
 * `{ className, config }`, or an instance (returned as is). Unknown names throw ValueError.
 */
export function get(identifier: string | SerializedObject | Optimizer): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') {
    const cls = byName.get(identifier.toLowerCase());
    if (!cls) throw new ValueError(`optimizers.get: unknown optimizer '${identifier}'; known: ${optimizerNames().join(', ')}`);
    return new cls();
  }
  if (typeof identifier === 'object' && identifier !== null && typeof identifier.className === 'string') {
    const cls = byName.get(identifier.className.toLowerCase());
    if (!cls) throw new ValueError(`optimizers.get: unknown optimizer class '${identifier.className}'; known: ${optimizerNames().join(', ')}`);
    const config = identifier.config ?? {};
    if (typeof config !== 'object' || Array.isArray(config)) throw new ValueError(`optimizers.get: config of '${identifier.className}' must be an object`);
    return cls.fromConfig(config);
  }
  throw new ValueError(`optimizers.get: expected a name, { className, config } or an Optimizer, got ${JSON.stringify(identifier)?.slice(0, 200)}`);
}

/** The name-to-instance round trip used by saved models. */
export function serialize(optimizer: Optimizer): SerializedObject {
  return optimizer.serialize();
}
