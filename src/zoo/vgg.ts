// VGG (Simonyan & Zisserman 2014) as Keras applications builds it: stacks of 3×3 'same' ReLU
// convolutions, each stack closed by 2×2 max pooling, then flatten → 4096 → 4096 → classes.
// Configurations A (vgg11), B (vgg13), D (vgg16), E (vgg19); 'M' is a pool.
//
// Parameters at [224, 224, 3] and 1000 classes (conv 3·3·C_in·C_out + C_out, dense n_in·n_out + n_out):
//   convolutions  vgg11 9,220,480   vgg13 9,404,992   vgg16 14,714,688   vgg19 20,024,384
//   fc1 7·7·512·4096 + 4096 = 102,764,544; fc2 16,781,312; predictions 4,097,000
//   total         vgg11 132,863,336 vgg13 133,047,848 vgg16 138,357,544  vgg19 143,667,240 (= Keras)
// The flatten size is 7·7·512 only for 224×224 inputs; smaller ones (≥ 32×32) shrink fc1.
import { type Body, type ImageNetOptions, nn, zooModel } from './graph.js';

const CONFIGS = {
  vgg11: [[64], [128], [256, 256], [512, 512], [512, 512]],
  vgg13: [[64, 64], [128, 128], [256, 256], [512, 512], [512, 512]],
  vgg16: [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]],
  vgg19: [[64, 64], [128, 128], [256, 256, 256, 256], [512, 512, 512, 512], [512, 512, 512, 512]],
} as const;

function vggBody(stacks: readonly (readonly number[])[]): Body<ImageNetOptions> {
  return (g, x, { classes, includeTop }) => {
    stacks.forEach((filters, b) => {
      // Keras names: block1_conv1 … block5_pool.
      filters.forEach((f, i) => {
        x = g.apply(nn.conv2d({ name: `block${b + 1}_conv${i + 1}`, filters: f, kernelSize: 3, padding: 'same', activation: 'relu' }), x);
      });
      x = g.apply(nn.maxPooling2d({ name: `block${b + 1}_pool`, poolSize: 2, strides: 2 }), x);
    });
    if (!includeTop) return x;
    x = g.apply(nn.flatten({ name: 'flatten' }), x);
    x = g.apply(nn.dense({ name: 'fc1', units: 4096, activation: 'relu' }), x);
    x = g.apply(nn.dense({ name: 'fc2', units: 4096, activation: 'relu' }), x);
    return g.apply(nn.dense({ name: 'predictions', units: classes, activation: 'softmax' }), x);
  };
}

/** VGG-11 (configuration A): 132,863,336 parameters at [224, 224, 3] and 1000 classes. */
export const vgg11 = zooModel<ImageNetOptions>('vgg11', vggBody(CONFIGS.vgg11));
/** VGG-13 (configuration B): 133,047,848 parameters. */
export const vgg13 = zooModel<ImageNetOptions>('vgg13', vggBody(CONFIGS.vgg13));
/** VGG-16 (configuration D): 138,357,544 parameters, as Keras's VGG16. */
export const vgg16 = zooModel<ImageNetOptions>('vgg16', vggBody(CONFIGS.vgg16));
/** VGG-19 (configuration E): 143,667,240 parameters, as Keras's VGG19. */
export const vgg19 = zooModel<ImageNetOptions>('vgg19', vggBody(CONFIGS.vgg19));
