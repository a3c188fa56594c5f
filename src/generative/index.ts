// `hb.generative`: GANs (original, DCGAN, conditional, WGAN, WGAN-GP) trained by fit through a
// custom trainStep, in-painting by latent-code optimisation, auto-encoders and the VAE.
export { GAN, gan, gradientPenalty, type GanOptions, type GanObjective, type GeneratorLoss } from './gan.js';
export { mlpGenerator, mlpDiscriminator, dcganGenerator, dcganDiscriminator, type NetworkOptions } from './architectures.js';
export { MinibatchStdDev, type MinibatchStdDevArgs } from './minibatch-stddev.js';
export { LatentCode, latentCode, type LatentCodeArgs } from './latent-code.js';
export { inpaint, randomMask, centreMask, type InpaintOptions } from './inpaint.js';
export { frechetDistance, frechetDistanceFromMoments, symmetricEigen, meanAndCovariance } from './frechet.js';
export { denseAutoencoder, convAutoencoder, MaskingNoise, type Autoencoder, type AutoencoderOptions, type Corruption, type MaskingNoiseArgs } from './autoencoder.js';
export { VAE, vae, klStandardNormal, reparameterize, type VaeOptions, type VaeParts } from './vae.js';
