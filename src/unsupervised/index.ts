// `hb.unsupervised`: restricted Boltzmann machines trained by contrastive divergence, and greedy
// layer-wise pre-training of a model's dense layers (RBMs, auto-encoders, denoising auto-encoders).
export { RBM, rbm, type RbmOptions, type RbmFitOptions, type RbmGradients } from './rbm.js';
export { pretrain, type PretrainOptions, type PretrainMethod } from './pretrain.js';
