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
export { LIBRARY as SHELL_LIBRARY } from '../imports/sh/core';
