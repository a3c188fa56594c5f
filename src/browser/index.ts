// hb.browser: training in a Web Worker with progress events, loading models over HTTP, and what
// the page runs on. The library itself needs nothing from here to run in a browser.
export { environment, fetchFileSystem, loadModelFromUrl, type BrowserEnvironment } from './environment.js';
export { serveWorker } from './serve.js';
export { trainInWorker, type TrainInWorkerOptions, type TrainResult, type WorkerTraining, type WorkerSource } from './train.js';
export type { TrainProgress } from './protocol.js';
