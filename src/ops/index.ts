// Every op, one definition each. Importing this module also installs the Tensor methods.
import './methods.js';

export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './matmul.js';
export * from './activations.js';
export * from './conv.js';
export * from './pool.js';
export * from './normalization.js';
export * from './random.js';
export { fusedRecurrenceAvailable, gruSequence, lstmSequence } from './recurrent.js';
export { castTo, toTensor, type TensorLike } from './util.js';
export * as image from './image.js';
