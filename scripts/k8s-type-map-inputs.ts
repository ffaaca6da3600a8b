/**
 * What src/imports/k8s/type-map.json is generated from, shared by the
 * generator (scripts/gen-k8s-type-map.ts) and the test that keeps the map up
 * to date (test/harness/manifests.test.ts).
 *
 * Regenerating the map means type-checking every declaration file of
 * kubernetes-models, which takes seconds. The map therefore records a digest
 * of everything the generation depends on:
 *
 * - the generator and this file;
 * - the text of every declaration file the generator reads;
 * - the versions of the other packages whose declarations the TypeScript
 *   program loads (typescript itself for its lib files, the model base
 *   classes, ajv, ...), recorded in the map by package directory;
 * - the rest of the map itself, so that a hand edit is noticed.
 *
 * `typeMapProblems()` recomputes the digest from the installed packages in a
 * few tens of milliseconds. A different digest means the generator would
 * (or may) write a different map.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..');
export const TYPE_MAP_FILE = path.join(ROOT, 'src', 'imports', 'k8s', 'type-map.json');
export const REGENERATE_COMMAND = 'npx tsx scripts/gen-k8s-type-map.ts';

/** Files of this repository whose change may change the map. */
const GENERATOR_FILES = ['scripts/gen-k8s-type-map.ts', 'scripts/k8s-type-map-inputs.ts'];

/** The `inputs` entry of the map. */
export interface TypeMapInputs {
  /** sha256 (hex) of the generation's inputs and of the rest of the map. */
  readonly digest: string;
  /** Other packages the TypeScript program loads declarations from: directory relative to the repository → version. */
  readonly packages: Record<string, string>;
}

export interface TypeMapSource {
  readonly pkg: string;
  readonly dir: string;
}

/** Package directories, resolved the way node would resolve them from `from`. */
export function packageDir(name: string, from: string): string {
  return path.dirname(require.resolve(name, { paths: [from] }));
}

/** The packages whose declarations become the map. */
export function typeMapSources(): TypeMapSource[] {
  const models = packageDir('kubernetes-models', ROOT);
  return [
    { pkg: 'kubernetes-models', dir: models },
    { pkg: '@kubernetes-models/apimachinery', dir: packageDir('@kubernetes-models/apimachinery', models) },
  ];
}

export function readVersion(dir: string): string {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

/** All per-type declaration files (index.d.ts only re-exports; _schemas has no .d.ts). */
export function listDeclarationFiles(dir: string): string[] {
  const result: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '_schemas') {
        result.push(...listDeclarationFiles(full));
      }
    } else if (entry.name.endsWith('.d.ts') && entry.name !== 'index.d.ts') {
      result.push(full);
    }
  }
  return result.sort();
}

/** A path relative to the repository, with forward slashes. */
export function repoRelative(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

/**
 * Serialises the map with one line per kind / type: much smaller than fully
 * indented JSON, yet a regeneration still produces a readable diff.
 */
export function serializeTypeMap(map: Record<string, any>): string {
  const lines: string[] = ['{'];
  const top = Object.keys(map);
  top.forEach((key, i) => {
    const value = map[key];
    const comma = i < top.length - 1 ? ',' : '';
    if (value && typeof value === 'object' && key !== 'sources') {
      lines.push(`  ${JSON.stringify(key)}: {`);
      const inner = Object.keys(value);
      inner.forEach((k, j) => {
        const c = j < inner.length - 1 ? ',' : '';
        lines.push(`    ${JSON.stringify(k)}: ${JSON.stringify(value[k])}${c}`);
      });
      lines.push(`  }${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`);
    }
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** The map without its `inputs` entry, serialised: what the digest covers besides the inputs. */
function bodyOf(map: Record<string, any>): string {
  const { inputs: _inputs, ...body } = map;
  return serializeTypeMap(body);
}

/**
 * The digest of the installed inputs and of the map body.
 *
 * @param map the map (its `inputs` entry, if any, is left out)
 * @param packages the other packages the program loads, as recorded in `inputs.packages`
 */
export function typeMapDigest(map: Record<string, any>, packages: Record<string, string>): string {
  const hash = createHash('sha256');
  const add = (label: string, text: string) => hash.update(`${label}\0${Buffer.byteLength(text)}\0`).update(text);
  for (const file of GENERATOR_FILES) {
    add(file, fs.readFileSync(path.join(ROOT, file), 'utf8'));
  }
  for (const source of typeMapSources()) {
    add(`package ${source.pkg}`, readVersion(source.dir));
    for (const file of listDeclarationFiles(source.dir)) {
      add(`${source.pkg}/${path.relative(source.dir, file).split(path.sep).join('/')}`, fs.readFileSync(file, 'utf8'));
    }
  }
  for (const dir of Object.keys(packages).sort()) {
    const full = path.join(ROOT, dir);
    add(`package ${dir}`, fs.existsSync(path.join(full, 'package.json')) ? readVersion(full) : '(missing)');
  }
  add('map', bodyOf(map));
  return hash.digest('hex');
}

/**
 * Why the map on disk is stale, or an empty list when it is what the
 * generator would write for the installed packages.
 *
 * @param mapFile the map to check
 */
export function typeMapProblems(mapFile: string = TYPE_MAP_FILE): string[] {
  const file = path.isAbsolute(mapFile) && !repoRelative(mapFile).startsWith('..') ? repoRelative(mapFile) : mapFile;
  if (!fs.existsSync(mapFile)) {
    return [`${file} does not exist`];
  }
  const text = fs.readFileSync(mapFile, 'utf8');
  let map: Record<string, any>;
  try {
    map = JSON.parse(text);
  } catch (e: any) {
    return [`${file} is not valid JSON: ${e.message}`];
  }
  const inputs: TypeMapInputs | undefined = map.inputs;
  if (typeof inputs?.digest !== 'string' || typeof inputs.packages !== 'object' || inputs.packages === null) {
    return [`${file} records no inputs digest`];
  }
  const problems: string[] = [];
  if (text !== serializeTypeMap(map)) {
    problems.push(`${file} is not laid out as the generator writes it`);
  }
  for (const source of typeMapSources()) {
    const installed = readVersion(source.dir);
    if (map.sources?.[source.pkg] !== installed) {
      problems.push(`${file} was generated from ${source.pkg} ${map.sources?.[source.pkg]}, but ${installed} is installed`);
    }
  }
  for (const [dir, version] of Object.entries(inputs.packages)) {
    const full = path.join(ROOT, dir);
    const installed = fs.existsSync(path.join(full, 'package.json')) ? readVersion(full) : '(missing)';
    if (installed !== version) {
      problems.push(`${file} was generated with ${dir} ${version}, but ${installed} is installed`);
    }
  }
  if (typeMapDigest(map, inputs.packages) !== inputs.digest) {
    problems.push(`${file} does not match its inputs digest: the generator, the declarations of `
      + `${typeMapSources().map((s) => s.pkg).join(' or ')}, or the map itself changed`);
  }
  return problems.map((p) => `${p}; regenerate it with: ${REGENERATE_COMMAND}`);
}
