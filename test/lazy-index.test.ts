// scripts/lazy-index.mjs: the compiled index that loads each module on first use.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const SCRIPT = path.join(__dirname, '..', 'scripts', 'lazy-index.mjs');

/** Compiles `files` (path → TypeScript) to CommonJS in a new directory, as tsc does for lib/. */
function compiled(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-index-'));
  for (const [file, source] of Object.entries(files)) {
    const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file.replace(/\.ts$/, '.js')), out.outputText);
  }
  return dir;
}

/** Runs `code` in a fresh node process in `dir`; its output as JSON. */
function inNode(dir: string, code: string): any {
  const result = spawnSync(process.execPath, ['-e', code], { cwd: dir, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout);
}

function rewrite(dir: string) {
  return spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });
}

// Each module records that it was loaded.
const LOADED = (name: string) => `(globalThis as any).loaded = [...((globalThis as any).loaded ?? []), '${name}'];\n`;
const LIBRARY = {
  'index.ts': '// The public API.\nexport * from \'./core\';\nexport * from \'./jobs\';\nexport * from \'./late\';\n',
  'core/index.ts': 'export * from \'./a\';\nexport * from \'./b\';\n',
  'core/a.ts': `${LOADED('core/a')}export class A {}\nexport const SHARED = 'from a';\n`,
  'core/b.ts': `${LOADED('core/b')}import { A } from './a';\nexport class B extends A {}\nexport enum Kind { X = 'x' }\n`,
  'jobs/index.ts': 'export * from \'./job\';\n',
  'jobs/job.ts': `${LOADED('jobs/job')}import { B } from '../core/b';\nexport class Job extends B {}\n`,
  'late.ts': `${LOADED('late')}export const SHARED = 'from late';\nexport function late() { return 1; }\n`,
};

describe('scripts/lazy-index.mjs', () => {
  test('the lazy index has the names, order and values of the eager one, and loads a module only when one of its names is read', () => {
    const dir = compiled(LIBRARY);
    fs.copyFileSync(path.join(dir, 'index.js'), path.join(dir, 'eager.js'));
    const result = rewrite(dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const seen = inNode(dir, `
      const lazy = require('./index.js');
      const before = [...(globalThis.loaded ?? [])];
      const job = lazy.Job;
      const afterJob = [...globalThis.loaded];
      const eager = require('./eager.js');
      console.log(JSON.stringify({
        before, afterJob,
        lazyNames: Object.keys(lazy), eagerNames: Object.keys(eager),
        same: Object.keys(eager).every((k) => eager[k] === lazy[k]),
        shared: lazy.SHARED, esModule: lazy.__esModule, job: typeof job,
      }));`);
    expect(seen.before).toEqual([]);
    // Job's module and what it imports, not late.
    expect([...seen.afterJob].sort()).toEqual(['core/a', 'core/b', 'jobs/job']);
    expect(seen.lazyNames).toEqual(seen.eagerNames);
    expect(seen.lazyNames).toEqual(['A', 'SHARED', 'B', 'Kind', 'Job', 'late']);
    expect(seen.same).toBe(true);
    // The first module that exports a name wins, as with `export *`.
    expect(seen.shared).toBe('from a');
    expect(seen.esModule).toBe(true);
    expect(seen.job).toBe('function');
  });

  test('ES modules import the names (Node reads them from the text: cjs-module-lexer)', () => {
    const dir = compiled(LIBRARY);
    expect(rewrite(dir).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'main.mjs'), [
      'import { Job, SHARED, late } from \'./index.js\';',
      'import * as all from \'./index.js\';',
      'console.log(JSON.stringify({ job: typeof Job, shared: SHARED, late: late(), names: Object.keys(all).sort() }));',
    ].join('\n'));
    const result = spawnSync(process.execPath, [path.join(dir, 'main.mjs')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      job: 'function', shared: 'from a', late: 1, names: ['A', 'B', 'Job', 'Kind', 'SHARED', '__esModule', 'default', 'late'],
    });
  });

  test('a second run leaves the index as it is', () => {
    const dir = compiled(LIBRARY);
    expect(rewrite(dir).status).toBe(0);
    const once = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    expect(rewrite(dir).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8')).toBe(once);
  });

  test.each([
    ['a statement besides the re-exports', { ...LIBRARY, 'index.ts': `${LIBRARY['index.ts']}export const EXTRA = 1;\n` }, /statement other than a re-export: exports.EXTRA/],
    ['no re-export at all', { 'index.ts': 'export {};\n' }, /re-exports nothing/],
  ])('refuses an index with %s, leaving it unchanged', (_name, files, message) => {
    const dir = compiled(files);
    const before = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    const result = rewrite(dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8')).toBe(before);
  });
});
