// hb.explain: what a trained network sees (feature maps, activation maximisation, DeepDream)
// and what its decisions depend on (saliency, SmoothGrad, integrated gradients).
export { saliency, type SaliencyOptions, type SaliencyMethod } from './saliency.js';
export {
  featureMaps, activationMaximization, deepDream, tileImages,
  type ActivationMaximizationOptions, type DeepDreamOptions, type Regularization, type TileOptions,
} from './visualize.js';
