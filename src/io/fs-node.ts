// The io area's door to the file system is the platform module's (src/base/platform.ts): one
// FileSystem for models, callbacks and datasets alike, replaceable with setFileSystem.
export { type FileSystem, getFileSystem, hasFileSystem, nodeFileSystem, setFileSystem } from '../base/platform.js';
