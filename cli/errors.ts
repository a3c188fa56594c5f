// How the CLI fails: one line on stderr and a non-zero exit code, never a stack trace (unless
// --debug), whatever threw: our own checks, the library's HebbError family, Node's file errors.

/** Exit codes: 1 a run-time failure, 2 a usage error or an unimplemented command, 130 Ctrl-C. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** An error meant for the user: its message is the whole story, shown as is. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.failure) {
    super(message);
    this.name = 'CliError';
  }
}

/** Whether `--debug` was asked for, read from argv so it also covers errors raised while parsing. */
export function debugRequested(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--debug') || process.env.HEBB_DEBUG === '1';
}

/** A message as one line: newlines from nested messages folded into "; ". */
export function oneLine(text: string): string {
  return text.split('\n').map((s) => s.trim()).filter(Boolean).join('; ');
}

/** Turn anything thrown into the one line the user sees. */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    const path = (e as NodeJS.ErrnoException).path;
    // Node's file errors carry the path and a code; say it in words.
    if (code === 'ENOENT' && path) return `${path}: no such file or directory`;
    if (code === 'EACCES' && path) return `${path}: permission denied`;
    if (code === 'ENOTDIR' && path) return `${path}: not a directory`;
    return oneLine(e.message) || e.name;
  }
  return oneLine(String(e));
}

/** Print `e` for the user and return the exit code to use. */
export function reportError(e: unknown, debug = debugRequested()): number {
  process.stderr.write(`hebb: ${describeError(e)}\n`);
  if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return e instanceof CliError ? e.exitCode : EXIT.failure;
}
