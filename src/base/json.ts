// One family of JSON types for everything that is saved: layer and model configs (Keras's
// get_config), optimizer and schedule state, compile settings. Object types are aliases, not
// interfaces, so a `Serialized` is itself a `JsonObject` and needs no cast to be stored.

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object: a layer's config, an optimizer's state, a model.json section. */
export type JsonObject = { [key: string]: JsonValue };

/** `{ className, config }`: how layers, initializers, regularizers, constraints, optimizers and schedules are saved. */
export type Serialized = { className: string; config: JsonObject };
