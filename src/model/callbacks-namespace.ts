// hb.callbacks.*: the factories and classes of the built-in callbacks.
export {
  Callback, History, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, CsvLogger, TerminateOnNaN,
  earlyStopping, modelCheckpoint, reduceLROnPlateau, learningRateScheduler, csvLogger, terminateOnNaN, formatPath,
  type EarlyStoppingOptions, type ModelCheckpointOptions, type ReduceLROnPlateauOptions, type CsvLoggerOptions, type CallbackHooks, type Logs, type Mode,
} from './callbacks.js';
export { ProgressBar, progressBar, formatLogs, type ProgressBarOptions } from './progress.js';
