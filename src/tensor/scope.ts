// tidy(): deterministic release of intermediates. Every tensor created while a scope is active
// is recorded in it; when the scope's function returns (or its promise settles), every recorded
// tensor that is not part of the result, and not kept, is disposed. Scopes follow async code
// through AsyncLocalStorage where the platform has it (Node), so `await` inside tidy works and
// concurrent tidies never see each other's tensors. Elsewhere a plain stack serves sync code and
// async code that does not interleave with other tidies.
import { nodeBuiltin } from '../base/index.js';
import type { Tensor } from './tensor.js';

interface Scope {
  tensors: Set<Tensor>;
  parent: Scope | null;
}

interface AsyncStore {
  getStore(): Scope | undefined;
  run<R>(store: Scope, fn: () => R): R;
}

function makeAsyncStore(): AsyncStore | null {
  const hooks = nodeBuiltin<{ AsyncLocalStorage?: new () => AsyncStore }>('node:async_hooks');
  return hooks?.AsyncLocalStorage ? new hooks.AsyncLocalStorage() : null;
}

const als = makeAsyncStore();
const stack: Scope[] = [];

function currentScope(): Scope | null {
  if (als) return als.getStore() ?? null;
  return stack.length > 0 ? stack[stack.length - 1] : null;
}

/**
 * Record a new tensor in the active scope; outside any scope its buffer is left to the garbage
 * collector at once (inside one, when it outlives the scope: endScope).
 */
export function trackTensor(t: Tensor): Tensor {
  const scope = currentScope();
  if (scope) scope.tensors.add(t);
  else t.storage.register();
  return t;
}

/** Exempt `t` from disposal by enclosing tidy() scopes. */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  return t;
}

/** Every tensor reachable inside `value` (arrays, plain objects, Maps). */
function collectTensors(value: unknown, into: Set<Tensor>, seen = new Set<unknown>()): Set<Tensor> {
  if (value === null || typeof value !== 'object' || seen.has(value)) return into;
  seen.add(value);
  if (isTensor(value)) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, into, seen);
  else if (value instanceof Map) for (const v of value.values()) collectTensors(v, into, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collectTensors(v, into, seen);
  return into;
}

function isTensor(v: object): v is Tensor {
  return 'storage' in v && 'shape' in v && typeof (v as Tensor).dispose === 'function';
}

function endScope(scope: Scope, result: unknown): void {
  const survivors = collectTensors(result, new Set());
  for (const t of scope.tensors) {
    if (t.kept) t.storage.register();
    else if (!survivors.has(t)) t.dispose();
  }
  // Results belong to the enclosing scope now, so an outer tidy can release them; at the top
  // level they are left to the garbage collector.
  for (const t of survivors) {
    if (!scope.tensors.has(t)) continue;
    if (scope.parent) scope.parent.tensors.add(t);
    else t.storage.register();
  }
}

/**
 * Run `fn` and dispose every tensor it created except those it returns. Works for async
 * functions too: the scope closes when the returned promise settles.
 */
export function tidy<T>(fn: () => T): T {
  const scope: Scope = { tensors: new Set(), parent: currentScope() };
  const leave = (): void => {
    if (!als) stack.splice(stack.lastIndexOf(scope), 1);
  };
  let result: T;
  try {
    if (als) result = als.run(scope, fn);
    else {
      stack.push(scope);
      result = fn();
    }
  } catch (error) {
    leave();
    endScope(scope, undefined);
    throw error;
  }
  if (isPromise(result)) {
    return result.then(
      (value) => {
        leave();
        endScope(scope, value);
        return value;
      },
      (error: unknown) => {
        leave();
        endScope(scope, undefined);
        throw error;
      },
    ) as T;
  }
  leave();
  endScope(scope, result);
  return result;
}

function isPromise(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
