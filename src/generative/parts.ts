// The sub-models of a composite generative model (a GAN's generator and discriminator, a VAE's
// encoder and decoder) in its config: each as `{ className, config }`, and back to a Model.
import { ValueError } from '../base/index.js';
import { Model } from '../model/index.js';
import { type Config, deserializeLayer } from '../nn/index.js';

/** `{ className, config }` of each named sub-model, for the owner's getConfig. */
export function partsConfig(parts: Readonly<Record<string, Model>>): Config {
  return Object.fromEntries(Object.entries(parts).map(([key, m]) => [key, { className: m.className, config: m.getConfig() }]));
}

/** The sub-model saved under `key` of `config`; `owner` ('GAN') names the config in the error when it is not a model. */
export function partFromConfig(config: Config, key: string, owner: string): Model {
  const m = deserializeLayer(config[key]);
  if (!(m instanceof Model)) throw new ValueError(`${owner} config: ${key} must be a model`);
  return m;
}
