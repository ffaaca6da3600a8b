/**
 * Generates src/imports/k8s/type-map.json from the type declarations of the
 * installed `kubernetes-models` and `@kubernetes-models/apimachinery` packages.
 *
 *   npx tsx scripts/gen-k8s-type-map.ts           # (re)write the map
 *   npx tsx scripts/gen-k8s-type-map.ts --check   # exit 1 if the map is stale
 *
 * (The --check regenerates the map in memory, which takes seconds; the test
 * suite instead compares the map's inputs digest, see k8s-type-map-inputs.ts.)
 *
 * Why: the ajv validators shipped with kubernetes-models check types,
 * required fields and enums, but they accept any extra property. The test
 * checks (src/validation/manifest-checks.ts) walk every built-in object with this map
 * to report unknown or misspelled fields, which the API server would otherwise
 * drop or reject at deploy time.
 *
 * Output format (all keys sorted, so the file is deterministic):
 *
 *   "inputs": { "digest": D, "packages": { "<package dir>": "<version>" } }
 *     D covers everything the map is generated from, and the rest of the map
 *     (see scripts/k8s-type-map-inputs.ts).
 *   "kinds": { "<apiVersion>": { "<kind>": { "type": T, "module": M } } }
 *     T is the root type name (a key of "types"), M the module under
 *     kubernetes-models whose export named T is the model class with validate().
 *   "types": { "<TypeName>": { "<property>": "<ref>" } }
 *     A ref is "" for a leaf (scalar or free-form value: nothing below it is
 *     checked), "<TypeName>" for a nested object type, "[]<ref>" for an array of
 *     <ref> and "{}<ref>" for a string-keyed map of <ref>.
 *
 * Type names are the kubernetes-models export names without the interface
 * prefix "I" (e.g. IIoK8sApiAppsV1DeploymentSpec -> IoK8sApiAppsV1DeploymentSpec),
 * which are also the file names under kubernetes-models/_schemas.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import {
  listDeclarationFiles, readVersion, repoRelative, ROOT, serializeTypeMap, TYPE_MAP_FILE, typeMapDigest, TypeMapInputs, typeMapSources,
} from './k8s-type-map-inputs';

const OUT_FILE = TYPE_MAP_FILE;

/**
 * Types whose content is free-form (or validated elsewhere) and must never be
 * walked for unknown fields, even where the declaration has properties.
 * JSONSchemaProps is the schema body of a CRD: it is listed here so that a
 * CRD's openAPIV3Schema is accepted as-is (the ajv validator still checks its
 * value types).
 */
const FORCED_LEAVES = new Set<string>([
  'IoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaProps',
  'IoK8sApiextensionsApiserverPkgApisApiextensionsV1beta1JSONSchemaProps',
]);

/**
 * Scalars and free-form values. TypeScript type flags are bit sets, hence the
 * bitwise operator. NonPrimitive is the `object` keyword.
 */
// eslint-disable-next-line no-bitwise
const LEAF_FLAGS = ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.StringLike
  | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike
  | ts.TypeFlags.EnumLike | ts.TypeFlags.Null | ts.TypeFlags.Undefined
  | ts.TypeFlags.Void | ts.TypeFlags.Never | ts.TypeFlags.NonPrimitive;

const SOURCES = typeMapSources();

interface KindEntry {
  readonly type: string;
  readonly module: string;
}

type PropertyMap = Record<string, string>;

class TypeMapBuilder {
  private readonly checker: ts.TypeChecker;
  /** Interface symbol -> canonical type name. */
  private readonly canonical = new Map<ts.Symbol, string>();
  /** Canonical name -> declaring file + package (for the kinds table). */
  private readonly origin = new Map<string, { file: string; pkg: string; dir: string }>();
  private readonly types = new Map<string, PropertyMap>();
  private readonly leaves = new Set<string>();
  private readonly kinds = new Map<string, Map<string, KindEntry>>();

  constructor(private readonly program: ts.Program, files: Map<string, { pkg: string; dir: string }>) {
    this.checker = program.getTypeChecker();
    for (const [file, source] of files) {
      this.indexFile(file, source);
    }
  }

  /**
   * Finds `export { IFoo as IIoK8s...Foo, ... }` in a declaration file and
   * records the canonical name of each locally declared interface.
   */
  private indexFile(fileName: string, source: { pkg: string; dir: string }): void {
    const sf = this.program.getSourceFile(fileName);
    if (!sf) {
      throw new Error(`TypeScript did not load ${fileName}`);
    }
    const interfaces = new Map<string, ts.InterfaceDeclaration>();
    for (const stmt of sf.statements) {
      if (ts.isInterfaceDeclaration(stmt)) {
        interfaces.set(stmt.name.text, stmt);
      }
    }
    for (const stmt of sf.statements) {
      if (!ts.isExportDeclaration(stmt) || stmt.moduleSpecifier || !stmt.exportClause) {
        continue;
      }
      if (!ts.isNamedExports(stmt.exportClause)) {
        continue;
      }
      for (const spec of stmt.exportClause.elements) {
        const local = (spec.propertyName ?? spec.name).text;
        const exported = spec.name.text;
        const decl = interfaces.get(local);
        if (!decl || !exported.startsWith('I')) {
          continue;
        }
        const symbol = this.checker.getSymbolAtLocation(decl.name);
        if (!symbol) {
          throw new Error(`no symbol for ${local} in ${fileName}`);
        }
        const name = exported.slice(1);
        this.canonical.set(symbol, name);
        this.origin.set(name, { file: fileName, ...source });
      }
    }
  }

  build(): void {
    for (const [symbol, name] of this.canonical) {
      const type = this.checker.getDeclaredTypeOfSymbol(symbol);
      const props = this.checker.getPropertiesOfType(type);
      // Empty interfaces (RawExtension, FieldsV1, JSON, JSONSchemaPropsOrBool...)
      // stand for arbitrary JSON in the OpenAPI spec.
      if (props.length === 0 || FORCED_LEAVES.has(name)) {
        this.leaves.add(name);
      }
    }
    for (const [symbol, name] of this.canonical) {
      if (this.leaves.has(name)) {
        continue;
      }
      const type = this.checker.getDeclaredTypeOfSymbol(symbol);
      this.types.set(name, this.describeProperties(type, name));
      this.recordKind(type, name);
    }
  }

  /** Property name -> ref for an object type (inherited members included). */
  private describeProperties(type: ts.Type, owner: string): PropertyMap {
    const result: PropertyMap = {};
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const propType = this.checker.getTypeOfSymbol(prop);
      result[prop.name] = this.ref(propType, `${owner}.${prop.name}`);
    }
    return result;
  }

  /**
   * Encodes the element type of a property. `where` names the position so that
   * anonymous object types get a stable synthetic name and errors are precise.
   */
  private ref(input: ts.Type, where: string): string {
    const type = this.checker.getNonNullableType(input);
    // eslint-disable-next-line no-bitwise
    if (type.flags & LEAF_FLAGS) {
      return '';
    }
    if (type.isUnion()) {
      // e.g. "SCTP" | "TCP" | "UDP", string | number (IntOrString, Quantity).
      const refs = [...new Set(type.types.map((t, i) => this.ref(t, `${where}|${i}`)))];
      if (refs.length === 1) {
        return refs[0];
      }
      // A union of distinct structures cannot be walked unambiguously.
      return '';
    }
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) {
      const args = this.checker.getTypeArguments(type as ts.TypeReference);
      return '[]' + (args.length === 1 ? this.ref(args[0], `${where}[]`) : '');
    }
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const named = symbol ? this.canonical.get(symbol) : undefined;
    if (named) {
      return this.leaves.has(named) ? '' : named;
    }
    const props = this.checker.getPropertiesOfType(type);
    const stringIndex = this.checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (props.length === 0) {
      if (stringIndex) {
        return '{}' + this.ref(stringIndex.type, `${where}{}`);
      }
      // `{}`: nothing to check below.
      return '';
    }
    if (stringIndex) {
      // Declared properties plus an index signature: unknown keys are allowed.
      return '';
    }
    // An inline object literal or intersection: give it a synthetic name.
    if (!this.types.has(where)) {
      this.types.set(where, {});
      this.types.set(where, this.describeProperties(type, where));
    }
    return where;
  }

  /** Root types are interfaces whose apiVersion and kind are string literals. */
  private recordKind(type: ts.Type, name: string): void {
    const apiVersion = this.literal(type, 'apiVersion');
    const kind = this.literal(type, 'kind');
    if (apiVersion === undefined || kind === undefined) {
      return;
    }
    const origin = this.origin.get(name)!;
    const relative = path.relative(origin.dir, origin.file).replace(/\.d\.ts$/, '');
    const module = `${origin.pkg}/${relative.split(path.sep).join('/')}`;
    let byKind = this.kinds.get(apiVersion);
    if (!byKind) {
      byKind = new Map();
      this.kinds.set(apiVersion, byKind);
    }
    const existing = byKind.get(kind);
    if (existing && existing.type !== name) {
      throw new Error(`${apiVersion} ${kind} is declared by both ${existing.type} and ${name}`);
    }
    byKind.set(kind, { type: name, module });
  }

  private literal(type: ts.Type, property: string): string | undefined {
    const prop = this.checker.getPropertyOfType(type, property);
    if (!prop) {
      return undefined;
    }
    const propType = this.checker.getNonNullableType(this.checker.getTypeOfSymbol(prop));
    return propType.isStringLiteral() ? propType.value : undefined;
  }

  result(versions: Record<string, string>): unknown {
    return {
      '//': 'Generated by scripts/gen-k8s-type-map.ts (npx tsx scripts/gen-k8s-type-map.ts). Do not edit by hand.',
      'kinds': sortDeep(mapToObject(this.kinds, (m) => mapToObject(m, (e) => e))),
      'sources': sortDeep(versions),
      'types': sortDeep(mapToObject(this.types, (p) => p)),
    };
  }

  stats(): { types: number; leaves: number; kinds: number } {
    let kinds = 0;
    for (const byKind of this.kinds.values()) {
      kinds += byKind.size;
    }
    return { types: this.types.size, leaves: this.leaves.size, kinds };
  }

  /** Sanity check: every kind's module must export a model class with validate(). */
  verifyModules(): void {
    for (const [apiVersion, byKind] of this.kinds) {
      for (const [kind, entry] of byKind) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(require.resolve(entry.module, { paths: [ROOT] }));
        const ctor = mod[entry.type];
        if (typeof ctor !== 'function' || typeof ctor.prototype.validate !== 'function') {
          throw new Error(`${entry.module} does not export model ${entry.type} for ${apiVersion} ${kind}`);
        }
      }
    }
  }
}

function mapToObject<V, R>(map: Map<string, V>, fn: (v: V) => R): Record<string, R> {
  const out: Record<string, R> = {};
  for (const [k, v] of map) {
    out[k] = fn(v);
  }
  return out;
}

function sortDeep(value: any): any {
  if (Array.isArray(value)) {
    return value.map(sortDeep);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      out[key] = sortDeep(value[key]);
    }
    return out;
  }
  return value;
}

/**
 * The packages, other than SOURCES, that the program loaded declarations from
 * (typescript's lib files, the model base classes, ajv, ...): package
 * directory relative to the repository → version.
 */
function otherPackages(program: ts.Program, inputs: Set<string>): Record<string, string> {
  const marker = `${path.sep}node_modules${path.sep}`;
  const packages: Record<string, string> = {};
  for (const sf of program.getSourceFiles()) {
    const file = path.resolve(sf.fileName);
    if (inputs.has(file)) {
      continue;
    }
    const at = file.lastIndexOf(marker);
    if (at < 0) {
      throw new Error(`${file} is outside node_modules; the type map's inputs digest cannot cover it`);
    }
    const rest = file.slice(at + marker.length).split(path.sep);
    const dir = file.slice(0, at + marker.length) + rest.slice(0, rest[0].startsWith('@') ? 2 : 1).join(path.sep);
    packages[repoRelative(dir)] = readVersion(dir);
  }
  return Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b)));
}

function main(): void {
  const files = new Map<string, { pkg: string; dir: string }>();
  for (const source of SOURCES) {
    for (const file of listDeclarationFiles(source.dir)) {
      files.set(file, source);
    }
  }
  const program = ts.createProgram([...files.keys()], {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: ROOT,
  });
  const builder = new TypeMapBuilder(program, files);
  builder.build();
  builder.verifyModules();

  const versions: Record<string, string> = {};
  for (const source of SOURCES) {
    versions[source.pkg] = readVersion(source.dir);
  }
  const map = builder.result(versions) as Record<string, any>;
  const packages = otherPackages(program, new Set([...files.keys()].map((f) => path.resolve(f))));
  const inputs: TypeMapInputs = { digest: typeMapDigest(map, packages), packages };
  const { '//': header, ...rest } = map;
  const text = serializeTypeMap({ '//': header, inputs, ...rest });
  const relative = path.relative(ROOT, OUT_FILE);
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT_FILE) ? fs.readFileSync(OUT_FILE, 'utf8') : '';
    if (current !== text) {
      console.error(`${relative} is out of date; run: npx tsx scripts/gen-k8s-type-map.ts`);
      process.exit(1);
    }
    console.log(`${relative} is up to date`);
    return;
  }
  fs.mkdirSync(path.dirname(OUT_FILE), { recursive: true });
  fs.writeFileSync(OUT_FILE, text);

  const { types, leaves, kinds } = builder.stats();
  const kb = (Buffer.byteLength(text) / 1024).toFixed(0);
  console.log(`wrote ${relative}: ${kinds} kinds, ${types} object types, ${leaves} free-form types, ${kb} KiB`);
}

main();
