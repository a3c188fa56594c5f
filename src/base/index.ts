export * from './errors.js';
export * from './dtype.js';
export * from './shape.js';
export * from './rng.js';
export * from './flags.js';
export * from './options.js';
export type { JsonObject, JsonValue, Serialized } from './json.js';
export * from './platform.js';
export { HEBB_VERSION } from './generated/version.js';
