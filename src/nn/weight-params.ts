// A weight's initializer, regularizer and constraint as layer options give them (`kernelInitializer`,
// `kernelRegularizer`, `kernelConstraint` for the weight 'kernel'), resolved once, and written back
// to a config under the same keys.
import { getConstraint, type ConstraintIdentifier } from './constraints.js';
import { getInitializer, type InitializerIdentifier } from './initializers.js';
import { getRegularizer, type RegularizerIdentifier } from './regularizers.js';
import { serialize, serializeOrNull } from './serialization.js';
import type { Config, Constraint, Initializer, Regularizer } from './types.js';

/** A weight's initializer, regularizer and constraint, resolved from layer arguments. */
export interface WeightParams {
  initializer: Initializer;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

/** What messages need of a layer: its class and its name. */
export interface Named {
  readonly className: string;
  readonly name: string;
}

/** How messages name a layer: `Dense 'dense_1'`. */
export function who(layer: Named): string {
  return `${layer.className} '${layer.name}'`;
}

export function weightParams(
  layer: Named, prefix: string, init: InitializerIdentifier | undefined, fallback: InitializerIdentifier,
  reg?: RegularizerIdentifier | null, con?: ConstraintIdentifier | null,
): WeightParams {
  const where = who(layer);
  return {
    initializer: getInitializer(init ?? fallback, `${where} ${prefix}Initializer`),
    regularizer: getRegularizer(reg, `${where} ${prefix}Regularizer`),
    constraint: getConstraint(con, `${where} ${prefix}Constraint`),
  };
}

/** `{ kernelInitializer, kernelRegularizer, kernelConstraint }` for prefix 'kernel'. */
export function weightConfig(prefix: string, p: WeightParams): Config {
  return {
    [`${prefix}Initializer`]: serialize(p.initializer),
    [`${prefix}Regularizer`]: serializeOrNull(p.regularizer),
    [`${prefix}Constraint`]: serializeOrNull(p.constraint),
  };
}
