// hb.zoo: the classic architectures, each a function ({ inputShape?, classes? }) => Model.
export { mlp, type MlpOptions } from './mlp.js';
export { lenet5 } from './lenet5.js';
export type { Model, ZooOptions } from './common.js';
