// hb.zoo: the classic architectures, each a function ({ inputShape?, classes? }) => Model.
export { mlp, type MlpOptions } from './mlp.js';
export { lenet5 } from './lenet5.js';
export type { Model, ZooOptions } from './common.js';
export type { ImageNetOptions } from './graph.js';
export { alexnet } from './alexnet.js';
export { vgg11, vgg13, vgg16, vgg19 } from './vgg.js';
export { resnet18, resnet34, resnet50, resnet101, resnet152 } from './resnet.js';
export { nin } from './nin.js';
export { squeezenet } from './squeezenet.js';
export { mobilenetV1, mobilenetV2, type MobileNetOptions } from './mobilenet.js';
export { densenet121 } from './densenet.js';
export { googlenet } from './googlenet.js';
export { shufflenetV2 } from './shufflenet.js';
export { capsnet, type CapsNetOptions } from './capsnet.js';
export { gcn, type GcnOptions } from './gcn.js';
export { srcnn, type SrcnnOptions } from './srcnn.js';
export { siamese, siameseEncoder, PairDistance, L2Normalize, tripletSemiHardLoss, type SiameseOptions, type PairMode, type TripletSemiHardOptions } from './siamese.js';
export { yoloDetector, yoloLoss, yoloTargets, yoloActivate, Detector, loadDetector, iou, nonMaxSuppression, meanAveragePrecision, convolutionalize, type YoloOptions, type Detection, type DetectOptions } from './detector.js';
// sequences (issue 10): the digit-string reader
export { crnn, type CrnnOptions } from './crnn.js';
