// Generated from docs/tutorials/06-gan-autoencoders.md by `npx tsx scripts/tutorials.ts --write`: edit the tutorial, not this file.
// Run: npx tsx examples/tutorials/06-gan-autoencoders.ts
import * as hb from '../../src/index.js';

hb.setSeed(1);
const { train, test } = await hb.datasets.mnist({ trainLimit: 2000, testLimit: 200 });
const images = train.images;                              // [2000, 28, 28, 1] in [0, 1]; labels are not used

const { autoencoder, encoder, decoder } = hb.generative.denseAutoencoder({ hidden: [128, 32] });
autoencoder.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
const aeHistory = await autoencoder.fit(images, images, { epochs: 2, batchSize: 64, verbose: 0 });
console.log('auto-encoder loss per epoch:', aeHistory.history.loss.map((l) => l.toFixed(3)));

const codes = encoder.predict(test.images) as hb.Tensor;         // [200, 32]: 784 pixels → 32 numbers
const rebuilt = decoder.predict(codes) as hb.Tensor;              // [200, 28, 28, 1]
console.log('code', codes.shape, '; mean squared reconstruction error',
  hb.mean(hb.square(hb.sub(rebuilt, test.images))).item().toFixed(4));

const vae = hb.generative.vae({ latentDim: 2, hidden: 128 });
vae.compile({ optimizer: hb.optimizers.adam({ learningRate: 1e-3 }) });
const vaeHistory = await vae.fit(images, null, { epochs: 2, batchSize: 64, verbose: 0 });
console.log('VAE loss (−ELBO) per epoch:', vaeHistory.history.loss.map((l) => l.toFixed(1)));
const [mu] = vae.encoder.predict(test.images.slice([0], [3])) as hb.Tensor[];
console.log('latent means of three test digits:', mu.toArray());
console.log('eight new digits from z ~ N(0, I):', vae.sample(8).shape);   // [8, 28, 28, 1]

const gan = hb.generative.gan({
  generator: hb.generative.mlpGenerator({ latentDim: 32 }),     // z [N, 32] → [N, 28, 28, 1]
  discriminator: hb.generative.mlpDiscriminator(),              // → [N, 1] logit
  objective: 'gan',                                             // or 'wgan', 'wgan-gp'
});
gan.compile({
  optimizer: {
    generator: hb.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }),
    discriminator: hb.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }),
  },
});
const ganHistory = await gan.fit(images, null, { epochs: 1, batchSize: 64, verbose: 0 });
console.log('GAN logs after one epoch:', Object.fromEntries(Object.entries(ganHistory.history).map(([k, v]) => [k, v.at(-1)?.toFixed(3)])));
const fakes = gan.sample(16);                                   // [16, 28, 28, 1]
const grid = hb.explain.tileImages(fakes, { columns: 4 });      // one image to save as PNG
console.log('16 samples tiled:', grid.shape);

const rbm = hb.unsupervised.rbm({ visibleUnits: 784, hiddenUnits: 64, seed: 1 });
const flat = images.reshape([2000, 784]);
const { reconstructionError } = rbm.fit(flat, { epochs: 2, batchSize: 50, learningRate: 0.05, k: 1 });
console.log('RBM reconstruction error per epoch:', reconstructionError.map((e) => e.toFixed(4)));
console.log('hidden features of one digit:', rbm.transform(flat.slice([0], [1])).shape);   // [1, 64]
