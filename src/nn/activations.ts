// Activations by name, as layers take them (`activation: 'relu'`): the same names as the hb
// activation ops. Keras's snake_case spellings ('leaky_relu', 'hard_sigmoid') are accepted too
// and stored in the camelCase form.
import { ValueError } from '../base/index.js';
import {
  elu, gelu, hardSigmoid, leakyRelu, logSoftmax, relu, relu6, selu, sigmoid, softmax, softplus, softsign, swish, tanh,
} from '../ops/index.js';
import type { Tensor } from '../tensor/index.js';

/** The activations a layer's `activation` option accepts by name ('linear' is the identity). */
export type ActivationName =
  | 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'softmax' | 'logSoftmax' | 'elu' | 'selu' | 'gelu'
  | 'softplus' | 'softsign' | 'swish' | 'leakyRelu' | 'hardSigmoid';

export type ActivationFn = (x: Tensor) => Tensor;

const ACTIVATIONS: { [K in ActivationName]: ActivationFn } = {
  linear: (x) => x,
  relu: (x) => relu(x),
  relu6: (x) => relu6(x),
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => tanh(x),
  softmax: (x) => softmax(x, -1),
  logSoftmax: (x) => logSoftmax(x, -1),
  elu: (x) => elu(x),
  selu: (x) => selu(x),
  gelu: (x) => gelu(x),
  softplus: (x) => softplus(x),
  softsign: (x) => softsign(x),
  swish: (x) => swish(x),
  leakyRelu: (x) => leakyRelu(x),
  hardSigmoid: (x) => hardSigmoid(x),
};

const ALIASES: Record<string, ActivationName> = { silu: 'swish', None: 'linear' };

export function activationNames(): ActivationName[] {
  return Object.keys(ACTIVATIONS) as ActivationName[];
}

/** 'leaky_relu' → 'leakyRelu'. */
export function camelCase(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The canonical name for `name` (camelCase or snake_case, or null/undefined for linear). */
export function normalizeActivation(name: string | null | undefined, where = 'activation'): ActivationName {
  if (name === null || name === undefined) return 'linear';
  if (typeof name !== 'string') throw new ValueError(`${where}: activation must be a name, got ${JSON.stringify(name)}`);
  const canonical = ALIASES[name] ?? camelCase(name);
  if (!(canonical in ACTIVATIONS)) {
    throw new ValueError(`${where}: unknown activation '${name}'; known: ${activationNames().join(', ')}`);
  }
  return canonical as ActivationName;
}

/** The function for an activation name. */
export function getActivation(name: string | null | undefined, where?: string): ActivationFn {
  return ACTIVATIONS[normalizeActivation(name, where)];
}
