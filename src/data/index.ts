// The data area's public face: hb.datasets (MNIST, IDX files) and hb.data (pipeline, augmentation).
export * as datasets from './datasets.js';
export * as data from './pipeline.js';
