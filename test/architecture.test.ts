/**
 * The layout rules of README "Architecture", checked on the import graph of
 * src/ (value and type imports alike: a type cycle still ties two modules'
 * designs together). The same cycle check covers every other TypeScript file
 * eslint lints (test/, examples/, scripts/, projenrc/, .projenrc.ts): it
 * replaces eslint's import/no-cycle, which found only value cycles and took
 * almost half of eslint's time (.projenrc.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');
const DOMAINS = ['core', 'cluster', 'registry', 'operator', 'shuffle', 'jobs', 'services', 'standalone', 'tenancy', 'gitops', 'platform', 'validation', 'interop'];
// Domains that are not part of the jsii API: validation/ is the cdk8s
// validation plugin, loaded by file path by the cdk8s CLI (its types are the
// CLI's, not jsii types); interop/ holds TypeScript-only helpers (generic types).
const NOT_EXPORTED = ['validation', 'interop'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'imports' && dir === SRC ? [] : sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

const ROOT = path.join(__dirname, '..');
/** The TypeScript files eslint lints (package.json's eslint task) besides src/: the cycle check covers them too. */
const LINTED = ['test', 'examples', 'scripts', 'projenrc'];

/** Every .ts file below `dir` (not declaration files, not node_modules or an example's generated dist/ and imports/). */
function lintedSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return ['node_modules', 'dist', 'imports'].includes(e.name) && dir !== SRC ? [] : lintedSources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
}

/** The project-relative files a module imports (relative specifiers; import, export, require and import()). */
function importsOf(f: string): string[] {
  return ts.preProcessFile(fs.readFileSync(f, 'utf8'), true, true).importedFiles
    .map((i) => resolve(f, i.fileName))
    .filter((t): t is string => t !== undefined);
}

const files = sources(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => !t.startsWith(path.join(SRC, 'imports')))]));
const rel = (f: string) => path.relative(SRC, f);

/** Strongly connected components of more than one module, or of one importing itself (Tarjan), named by `name`. */
function stronglyConnected(nodes: string[], edges: Map<string, string[]>, name: (f: string) => string): string[][] {
  let index = 0;
  const idx = new Map<string, number>(); const low = new Map<string, number>();
  const stack: string[] = []; const on = new Set<string>(); const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(name(w)); } while (w !== v);
      if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const f of nodes) if (!idx.has(f)) visit(f);
  return out;
}

/** The import cycles of src/ (without the generated src/imports/). */
const cycles = (): string[][] => stronglyConnected(files, graph, rel);

describe('source layout', () => {
  test('every module lives in a domain folder; src/index.ts only re-exports the domains (but the validation plugin)', () => {
    const stray = files.map(rel).filter((f) => f !== 'index.ts' && !DOMAINS.includes(f.split(path.sep)[0]));
    expect(stray).toEqual([]);
    const index = fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('//'));
    expect(index).toEqual(DOMAINS.filter((d) => !NOT_EXPORTED.includes(d)).map((d) => `export * from './${d}';`));
  });

  // The job vocabulary still lives in construct files; the one job model
  // (issue #17) removes these three. The list may only shrink.
  const KNOWN_CYCLES: string[][] = [];
  test('no import cycles, counting type-only imports', () => {
    const found = cycles();
    expect(found.filter((c) => !KNOWN_CYCLES.some((k) => JSON.stringify(k) === JSON.stringify(c)))).toEqual([]);
    expect(KNOWN_CYCLES.filter((k) => !found.some((c) => JSON.stringify(k) === JSON.stringify(c)))).toEqual([]);
  });

  test('no import cycles among the tests, examples and scripts either, counting type-only imports', () => {
    const all = [...LINTED.filter((d) => fs.existsSync(path.join(ROOT, d))).flatMap((d) => lintedSources(path.join(ROOT, d))),
      path.join(ROOT, '.projenrc.ts'), ...lintedSources(SRC)];
    // Sanity: the walk reached the test harness and an example (a wrong root would pass vacuously).
    expect(all).toEqual(expect.arrayContaining([path.join(ROOT, 'test', 'harness', 'sandbox.ts'), __filename]));
    expect(all.some((f) => f.startsWith(path.join(ROOT, 'examples') + path.sep))).toBe(true);
    const edges = new Map(all.map((f) => [f, importsOf(f)]));
    expect(stronglyConnected(all, edges, (f) => path.relative(ROOT, f))).toEqual([]);
  });

  test("no module imports another domain's private/ folder", () => {
    const bad: string[] = [];
    for (const [from, targets] of graph) {
      const fromDomain = rel(from).split(path.sep)[0];
      for (const t of targets) {
        const [domain, second] = rel(t).split(path.sep);
        if (second === 'private' && domain !== fromDomain) bad.push(`${rel(from)} -> ${rel(t)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('the cycle finder finds a planted cycle (the check can fail)', () => {
    const a = path.join(SRC, 'core', 'a.ts'); const b = path.join(SRC, 'core', 'b.ts');
    graph.set(a, [b]); graph.set(b, [a]); files.push(a, b);
    try {
      expect(cycles()).toContainEqual(['core/a.ts', 'core/b.ts']);
    } finally {
      graph.delete(a); graph.delete(b); files.splice(files.indexOf(a), 2);
    }
  });

  test('no constructor is longer than 100 lines (split it into named steps)', () => {
    const long: string[] = [];
    for (const f of files) {
      const sf = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node): void => {
        if (ts.isConstructorDeclaration(n) && n.body) {
          const lines = sf.getLineAndCharacterOfPosition(n.end).line - sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
          if (lines > 100) long.push(`${rel(f)}: ${(n.parent as ts.ClassDeclaration).name?.text} (${lines} lines)`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(long).toEqual([]);
  });

  // Per-app state lives in core/app-context (AppSlot); a module-level weak map
  // keyed by constructs would be a second registry. Two reviewed exceptions.
  const WEAK_ALLOWED = [
    'core/app-context.ts', // the context itself, keyed by the app
    'core/cluster-model/spark-pods.ts', // a cache of values derived from one object list, not app state
  ];
  test('no module-level WeakMap/WeakSet registries outside the per-app context', () => {
    const found: string[] = [];
    for (const f of files) {
      const sf = ts.createSourceFile(f, fs.readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
      for (const statement of sf.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const d of statement.declarationList.declarations) {
          const init = d.initializer;
          if (init && ts.isNewExpression(init) && /^(WeakMap|WeakSet|PerApp)$/.test(init.expression.getText(sf))) {
            found.push(rel(f));
          }
        }
      }
    }
    expect(found.filter((f) => !WEAK_ALLOWED.includes(f))).toEqual([]);
    expect(WEAK_ALLOWED.filter((f) => !found.includes(f))).toEqual([]);
  });
});
