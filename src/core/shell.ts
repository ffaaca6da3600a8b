/** Quotes a value for bash: single quotes, with embedded single quotes escaped. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}
