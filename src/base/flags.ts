// Library-wide switches. `debug` turns on one-time notes such as kernel fallbacks.

/** Global switches; `flags.debug` is set by {@link setDebug}. */
export const flags = { debug: false };

const said = new Set<string>();

/** Print `message` once per process, and only when flags.debug is on. */
export function debugOnce(message: string): void {
  if (!flags.debug || said.has(message)) return;
  said.add(message);
  console.warn(`[hebb] ${message}`);
}

/** Turns debug notes on or off, such as a fast backend's fallback to cpu for a kernel (printed once each). */
export function setDebug(on: boolean): void {
  flags.debug = on;
}
