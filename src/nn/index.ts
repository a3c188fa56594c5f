export * from './types.js';
export { Variable, type VariableOptions } from './variable.js';
export { SymbolicTensor, isSymbolic, type LayerNode } from './symbolic.js';
export { Layer, uniqueName, isShapeList, type LayerArgs, type InputSpec, type AddWeightOptions, type LayerClass, type LayerInput, type LayerOutput } from './layer.js';
export { registerLayer, deserializeLayer, layerClassNames } from './registry.js';
