// `npx projen gen:compatibility`: writes the compatibility table, as
// Compatibility.toMarkdown() renders it, between the compatibility markers of
// README.md and of the Compatibility class's doc comment (for the API docs).
// A test fails when either differs from the rendering.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Compatibility } from '../src/core/compatibility';

const ROOT = join(__dirname, '..');
const START = '<!-- compatibility:start -->';
const END = '<!-- compatibility:end -->';

/** `text` with the lines between the markers replaced by `table`, each line given `prefix`. */
export function withTable(text: string, table: string, prefix: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`the markers ${START} and ${END} are missing`);
  }
  const lineStart = text.lastIndexOf('\n', end) + 1;
  const body = table.split('\n').map((line) => `${prefix}${line}`.trimEnd()).join('\n');
  return `${text.slice(0, start + START.length)}\n${body}\n${text.slice(lineStart)}`;
}

export const TARGETS: Array<[string, string]> = [['README.md', ''], ['src/core/compatibility.ts', ' * ']];

if (require.main === module) {
  for (const [file, prefix] of TARGETS) {
    const path = join(ROOT, file);
    writeFileSync(path, withTable(readFileSync(path, 'utf8'), Compatibility.toMarkdown(), prefix));
  }
}
