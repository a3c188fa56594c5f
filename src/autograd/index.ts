export { grad, valueAndGrad, variableGrads, vjp, customGrad, type CustomGradResult } from './grad.js';
export { checkGrad, type CheckGradOptions, type CheckGradResult } from './check-grad.js';
export { backward } from './backward.js';
export { noGrad } from '../tensor/index.js';
export { stopGradient } from '../ops/index.js';
