import { LIBRARY } from '../imports/sh/core';

/** Quotes a value for bash: single quotes, with embedded single quotes escaped. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}

/**
 * The shared shell library (src/core/sh/library.sh): log, die, have, run,
 * run_redacted (dry-run aware) and parse_options (arguments from a table).
 * POSIX sh, so bash scripts and the registry's BusyBox sh scripts embed the
 * same text. A script sets SCRIPT_NAME before it and defines usage().
 */
export const SHELL_LIBRARY: string = LIBRARY;

/** The parts of a generated script: see {@link assembleScript}. */
export interface ScriptParts {
  /** `bash` (with `set -euo pipefail`) or `sh` (POSIX, `set -eu`). */
  readonly shell: 'bash' | 'sh';
  /** The script's name, for its log lines (SCRIPT_NAME). */
  readonly name: string;
  /** What it does, one comment line each. */
  readonly description: readonly string[];
  /** Read-only settings rendered before the library, quoted for the shell. */
  readonly settings?: { readonly [name: string]: string | number };
  /** The body (from a .sh file under a sh/ folder). */
  readonly body: string;
}

/**
 * One generated script: shebang, description, strict mode, SCRIPT_NAME and
 * the settings, the shared library, then the body.
 */
export function assembleScript(parts: ScriptParts): string {
  const settings = Object.entries(parts.settings ?? {}).map(([k, v]) => `readonly ${k}=${shQuote(String(v))}`);
  return [
    parts.shell === 'bash' ? '#!/bin/bash' : '#!/bin/sh',
    ...parts.description.map((line) => (line === '' ? '#' : `# ${line}`)),
    parts.shell === 'bash' ? 'set -euo pipefail' : 'set -eu',
    '',
    `SCRIPT_NAME=${shQuote(parts.name)}`,
    ...settings,
    '',
    LIBRARY.trimEnd(),
    '',
    parts.body,
  ].join('\n');
}
