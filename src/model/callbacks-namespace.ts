/**
 * Callbacks for `fit`: early stopping, checkpoints, learning-rate reduction and scheduling, CSV logging, NaN
 * termination, and the progress bar.
 * @module
 */
// hb.callbacks.*: the factories and classes of the built-in callbacks.
export { Callback, History, type CallbackHooks, type Logs } from './callbacks.js';
export {
  EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, CsvLogger, TerminateOnNaN,
  earlyStopping, modelCheckpoint, reduceLROnPlateau, learningRateScheduler, csvLogger, terminateOnNaN, formatPath,
  type EarlyStoppingOptions, type ModelCheckpointOptions, type ReduceLROnPlateauOptions, type CsvLoggerOptions, type Mode,
} from './builtin-callbacks.js';
export { ProgressBar, progressBar, formatLogs, type ProgressBarOptions } from './progress.js';
