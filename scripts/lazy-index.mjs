// `node scripts/lazy-index.mjs <dir>`: makes the compiled <dir>/index.js load
// each domain the first time one of its names is read.
//
// src/index.ts only re-exports the domains (`export * from './core'`), which
// tsc compiles to one eager require per domain: an app that uses a
// SparkPlatform also loaded the kubeadm scripts, the registry, the standalone
// cluster and the other services, about a third of the library's load time.
// The rewritten index defines the same names, enumerable, each a getter that
// requires its domain once (the first domain that exports a name wins, as
// with `export *`). Types (lib/index.d.ts) are untouched; the domains import
// each other directly, never through the index.
//
// Run by the compile task on lib/ and by the bench on its build. Refuses an
// index that holds anything but re-exports; a second run leaves it as it is.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const MARKER = '// Lazy re-exports (scripts/lazy-index.mjs)';

/** tsc's CommonJS output for `export * from`: helpers, the __esModule flag, then one call per module. */
const ES_MODULE = 'Object.defineProperty(exports, "__esModule", { value: true });';
const REEXPORT = /^__exportStar\(require\("(\.\/[^"]+)"\), exports\);$/;

/**
 * The modules an index re-exports, in order; throws when the index has any
 * other statement after tsc's helpers (it would be lost).
 */
export function reexportsOf(text) {
  const lines = text.split('\n');
  const flag = lines.findIndex((l) => l === ES_MODULE);
  if (flag < 0 || !lines.slice(0, flag).every((l) => l === '"use strict";' || /^(var __|\s|[})]|$)/.test(l))) {
    throw new Error('lazy-index: not an index compiled by tsc (its helpers, then the __esModule flag)');
  }
  const modules = [];
  for (const line of lines.slice(flag + 1)) {
    const match = REEXPORT.exec(line);
    if (match) {
      modules.push(match[1]);
    } else if (line.trim() !== '' && !line.startsWith('//')) {
      throw new Error(`lazy-index: the index has a statement other than a re-export: ${line}`);
    }
  }
  if (modules.length === 0) {
    throw new Error('lazy-index: the index re-exports nothing');
  }
  return modules;
}

/**
 * The modules behind `module` (a specifier relative to `dir`): a module that
 * only re-exports (a domain's index.ts) stands for the modules it re-exports,
 * so that a name loads just the module that defines it.
 */
function leavesOf(dir, module) {
  const file = createRequire(join(dir, 'index.js')).resolve(module);
  let inner;
  try {
    inner = reexportsOf(readFileSync(file, 'utf8'));
  } catch {
    return [module];
  }
  const base = posix.dirname(module === '.' ? './index' : `${module}/index`);
  return inner.flatMap((m) => leavesOf(dir, `./${posix.join(base, m)}`));
}

/** The lazy index of `indexFile`: loads each module once to learn its names. */
export function lazyIndex(indexFile) {
  const text = readFileSync(indexFile, 'utf8');
  if (text.includes(MARKER)) {
    return text;
  }
  const dir = dirname(resolve(indexFile));
  const load = createRequire(resolve(indexFile));
  const seen = new Set();
  const groups = reexportsOf(text).flatMap((m) => leavesOf(dir, m)).map((module) => {
    const names = Object.keys(load(module)).filter((n) => n !== 'default' && !seen.has(n));
    names.forEach((n) => seen.add(n));
    return names.length === 0 ? [] : [`lazy(() => require(${JSON.stringify(module)}), ${JSON.stringify(names)});`];
  }).flat();
  return [
    '"use strict";',
    MARKER,
    '// Each module loads the first time one of its names is read.',
    'Object.defineProperty(exports, "__esModule", { value: true });',
    'function lazy(load, names) {',
    '    let loaded;',
    '    for (const name of names) {',
    '        Object.defineProperty(exports, name, { enumerable: true, get: () => (loaded ??= load())[name] });',
    '    }',
    '}',
    ...groups,
    // Never runs: it tells Node's CommonJS export detection (cjs-module-lexer),
    // which reads the text, the names, so that ES modules can import them by name.
    `0 && (module.exports = { ${[...seen].join(', ')} });`,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node scripts/lazy-index.mjs <dir with a compiled index.js>\n');
    process.exit(2);
  }
  const file = join(dir, 'index.js');
  writeFileSync(file, lazyIndex(file));
}
