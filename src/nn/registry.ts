// Layer classes by name, for loading saved models. Each layer module registers its class
// where it is defined, so the set of loadable layers is exactly the set of layers that exist.
import { FormatError } from '../base/index.js';
import type { Layer, LayerClass } from './layer.js';
import type { Config, Serialized } from './types.js';

const layerClasses = new Map<string, LayerClass>();

/** Registers a layer class by its `className`, so that saved models naming it can be loaded. */
export function registerLayer(cls: LayerClass): void {
  layerClasses.set(cls.className, cls);
}

/** The registered layer class names, sorted. */
export function layerClassNames(): string[] {
  return [...layerClasses.keys()].sort();
}

/** Rebuild a layer from `{ className, config }`; unknown names and bad configs throw FormatError. */
export function deserializeLayer(spec: Serialized | unknown): Layer {
  if (typeof spec !== 'object' || spec === null || typeof (spec as Serialized).className !== 'string') {
    throw new FormatError(`deserializeLayer: expected { className, config }, got ${JSON.stringify(spec)?.slice(0, 200)}`);
  }
  const { className, config } = spec as Serialized;
  const cls = layerClasses.get(className);
  if (!cls) throw new FormatError(`deserializeLayer: unknown layer class '${className}'; known: ${layerClassNames().join(', ')}`);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new FormatError(`deserializeLayer: config of '${className}' must be an object`);
  }
  try {
    return cls.fromConfig(config as Config);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(`deserializeLayer: invalid config for '${className}': ${(e as Error).message}`);
  }
}
