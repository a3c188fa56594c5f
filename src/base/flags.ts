// Library-wide switches. `debug` turns on one-time notes such as kernel fallbacks.

export const flags = { debug: false };

const said = new Set<string>();

/** Print `message` once per process, and only when flags.debug is on. */
export function debugOnce(message: string): void {
  if (!flags.debug || said.has(message)) return;
  said.add(message);
  console.warn(`[hebb] ${message}`);
}

export function setDebug(on: boolean): void {
  flags.debug = on;
}
