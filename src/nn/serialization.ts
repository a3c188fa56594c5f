// Shared plumbing for the serialisable objects that layers take by name or by config
// (initializers, regularizers, constraints): `{ className, config }` in and out, and lookup by
// camelCase name ('glorotUniform'), Keras's snake_case name ('glorot_uniform') or class name.
import { FormatError, ValueError } from '../base/index.js';
import type { Config, ConfigValue, Serializable, Serialized } from './types.js';

/** `{ className, config }` as a plain JSON value that fits in a layer's config. */
export function serialize(obj: Serializable): { className: string; config: Config } {
  return { className: obj.className, config: obj.getConfig() };
}

/** Same, or null for a missing object (an unset regularizer or constraint). */
export function serializeOrNull(obj: Serializable | null): ConfigValue {
  return obj === null ? null : serialize(obj);
}

/** Class name from a camelCase or snake_case name: 'glorot_uniform' → 'GlorotUniform'. */
function pascalCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^[a-z]/, (c) => c.toUpperCase());
}

/** An object a family member may be given as: anything with apply() and getConfig() (initializers, regularizers and constraints all are). */
export interface Applicable extends Serializable {
  apply(...args: never[]): unknown;
}

/** A family of serialisable objects (initializers, regularizers, constraints) and how to build each class from a config. */
export interface Family<T extends Applicable> {
  /** What the objects are, for messages ('initializer'). */
  kind: string;
  /** Class name → constructor from a config. */
  classes: Record<string, (config: Config) => T>;
  /** Extra names (already in PascalCase after conversion), e.g. 'L1l2' → 'L1L2'. */
  aliases?: Record<string, string>;
}

/** An instance (anything with apply() and getConfig()), told from the other accepted forms. */
function isInstance<T extends Applicable>(x: unknown): x is T {
  return typeof x === 'object' && x !== null && typeof (x as T).apply === 'function' && typeof (x as T).getConfig === 'function';
}

/**
 * Resolve an identifier: an instance is returned as is, a name is looked up (ValueError when
 * unknown), and `{ className, config }` is rebuilt (FormatError when malformed, as it usually
 * comes from a file).
 */
export function resolve<T extends Applicable>(family: Family<T>, id: unknown, where: string): T {
  if (isInstance<T>(id)) return id;
  if (typeof id === 'string') {
    const cls = lookup(family, id);
    if (!cls) throw new ValueError(`${where}: unknown ${family.kind} '${id}'; known: ${names(family)}`);
    return cls({});
  }
  if (typeof id === 'object' && id !== null && typeof (id as Serialized).className === 'string') {
    const { className, config } = id as Serialized;
    const cls = lookup(family, className);
    if (!cls) throw new FormatError(`${where}: unknown ${family.kind} class '${className}'; known: ${names(family)}`);
    const cfg = config ?? {};
    if (typeof cfg !== 'object' || Array.isArray(cfg)) throw new FormatError(`${where}: config of ${family.kind} '${className}' must be an object`);
    try {
      return cls(cfg);
    } catch (e) {
      throw new FormatError(`${where}: invalid config for ${family.kind} '${className}': ${(e as Error).message}`);
    }
  }
  throw new ValueError(`${where}: expected a ${family.kind} name, { className, config } or instance, got ${JSON.stringify(id)?.slice(0, 200)}`);
}

/** Same, with null and undefined (an unset regularizer or constraint) giving null. */
export function resolveOrNull<T extends Applicable>(family: Family<T>, id: unknown, where: string): T | null {
  return id === null || id === undefined ? null : resolve(family, id, where);
}

function lookup<T extends Applicable>(family: Family<T>, name: string): ((config: Config) => T) | undefined {
  const pascal = pascalCase(name);
  return family.classes[pascal] ?? family.classes[family.aliases?.[pascal] ?? ''];
}

function names<T extends Applicable>(family: Family<T>): string {
  return Object.keys(family.classes).map((c) => c[0].toLowerCase() + c.slice(1)).join(', ');
}

/** A config number that must be finite (and optionally within bounds), or a ValueError. */
export function num(where: string, name: string, v: unknown, { min, max, integer = false }: { min?: number; max?: number; integer?: boolean } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || (min !== undefined && v < min) || (max !== undefined && v > max)) {
    const range = [min !== undefined ? `>= ${min}` : '', max !== undefined ? `<= ${max}` : ''].filter(Boolean).join(' and ');
    throw new ValueError(`${where}: ${name} must be ${integer ? 'an integer' : 'a finite number'}${range ? ` ${range}` : ''}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** An optional seed: undefined/null for the global generator, else an integer. */
export function seedOf(where: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  return num(where, 'seed', v, { integer: true });
}
