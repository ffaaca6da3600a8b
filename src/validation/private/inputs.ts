// What the plugin reads: the manifest files cdk8s wrote, CRD files named in
// cdk8s.yaml, and the scripts written beside the manifests.
import * as fs from 'fs';
import * as path from 'path';

/** One YAML document of a manifest file. */
export interface ParsedObject {
  readonly file: string;
  readonly json: any;
}

export interface ParseError {
  readonly file: string;
  /** `line 3, column 7: message`. */
  readonly message: string;
}

interface YamlError {
  readonly message: string;
  readonly linePos?: ReadonlyArray<{ readonly line: number; readonly col: number }>;
}

interface YamlDocument {
  readonly errors: readonly YamlError[];
  toJS(): unknown;
}

interface YamlModule {
  parseAllDocuments(source: string, options?: { readonly version?: string }): Iterable<YamlDocument>;
}

let yamlCache: YamlModule | undefined;

/**
 * The YAML parser cdk8s itself bundles (the `yaml` package, a bundled
 * dependency of cdk8s), so that the library ships no parser of its own.
 */
function yaml(): YamlModule {
  if (!yamlCache) {
    const resolved = require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    yamlCache = require(resolved) as YamlModule;
  }
  return yamlCache;
}

/**
 * The non-empty documents of YAML files, read as YAML 1.1 (the version cdk8s
 * writes, and close to what kubectl's parser accepts). A document with syntax
 * errors is reported instead of being half-read.
 */
export function parseYamlFiles(files: readonly string[]): { objects: ParsedObject[]; errors: ParseError[] } {
  const objects: ParsedObject[] = [];
  const errors: ParseError[] = [];
  for (const file of files) {
    const docs = Array.from(yaml().parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' }));
    for (const doc of docs) {
      if (doc.errors.length > 0) {
        for (const e of doc.errors) {
          const at = e.linePos?.[0];
          errors.push({ file, message: `${at ? `line ${at.line}, column ${at.col}: ` : ''}${e.message.split('\n')[0]}` });
        }
        continue;
      }
      const json = doc.toJS();
      if (json !== null && json !== undefined) {
        objects.push({ file, json });
      }
    }
  }
  return { objects, errors };
}

/** The directory holding every manifest (the app's output directory), or undefined for none. */
export function outputDirectory(files: readonly string[]): string | undefined {
  if (files.length === 0) {
    return undefined;
  }
  let dir = path.dirname(path.resolve(files[0]));
  for (const file of files.slice(1)) {
    const resolved = path.resolve(file);
    while (!resolved.startsWith(dir + path.sep) && path.dirname(dir) !== dir) {
      dir = path.dirname(dir);
    }
  }
  return dir;
}

/** The shell scripts (`*.sh`) under `dir`, sorted; hidden folders and node_modules are skipped. */
export function shellScripts(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') {
          walk(full);
        }
      } else if (entry.isFile() && entry.name.endsWith('.sh')) {
        out.push(full);
      }
    }
  };
  walk(dir);
  return out.sort();
}
