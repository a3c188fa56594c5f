/**
 * Input pipelines (`hb.data.fromTensors(…).shuffle().batch(32)`) and image augmentation (random rotation, shift and
 * zoom).
 * @module
 */
// hb.data: the input pipeline and image augmentation.
export { Dataset, fromTensors, fromArrays, type Element, type ShuffleOptions, type BatchOptions } from './dataset.js';
export {
  augment, randomRotation, randomShift, randomZoom, transformImages,
  type AffineParams, type AugmentOptions, type RandomRotationOptions, type RandomShiftOptions, type RandomZoomOptions,
} from './augment.js';
