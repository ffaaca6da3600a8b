// One run of the plugin: read the manifests, run every check, and group what
// they find into one violation per rule, one entry per object.
import * as fs from 'fs';
import * as path from 'path';
import { describe, groupOf, ModelObject } from '../../core/cluster-model/objects';
import { checkManifests, ManifestFinding } from '../manifest-checks';
import { checkScriptFiles } from '../script-checks';
import { outputDirectory, ParsedObject, parseYamlFiles, shellScripts } from './inputs';
import { libraryCrds } from './library-crds';
import { PluginOptions } from './options';
import { CLUSTER_RULE_TEXTS, MANIFEST_RULES, RuleText } from './rules';

/** A violation as cdk8s-cli's ValidationReport.addViolation takes it. */
export interface Violation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: ReadonlyArray<{
    readonly resourceName: string;
    readonly locations: readonly string[];
    readonly manifestPath: string;
  }>;
}

export interface RunResult {
  readonly violations: Violation[];
  /** Summary lines for the report (cdk8s prints them as a table). */
  readonly summary: { [key: string]: string };
}

/** Collects locations by rule, then by object. */
class Violations {
  private readonly rules = new Map<string, { text: RuleText; resources: Map<string, { name: string; file: string; locations: string[] }> }>();

  add(text: RuleText, resource: string, manifestPath: string, location: string): void {
    let rule = this.rules.get(text.name);
    if (!rule) {
      rule = { text, resources: new Map() };
      this.rules.set(text.name, rule);
    }
    const key = `${manifestPath}\n${resource}`;
    let entry = rule.resources.get(key);
    if (!entry) {
      entry = { name: resource, file: manifestPath, locations: [] };
      rule.resources.set(key, entry);
    }
    entry.locations.push(location);
  }

  get count(): number {
    return [...this.rules.values()].reduce((n, r) => n + [...r.resources.values()].reduce((m, x) => m + x.locations.length, 0), 0);
  }

  list(): Violation[] {
    return [...this.rules.values()].map(({ text, resources }) => ({
      ruleName: text.name,
      recommendation: text.recommendation,
      fix: text.fix,
      violatingResources: [...resources.values()].map((r) => ({ resourceName: r.name, locations: r.locations, manifestPath: r.file })),
    }));
  }
}

/**
 * Configuration files of cluster components (kubeadm, kubelet, kube-proxy...)
 * that an app may write beside its manifests: files read by a program, never
 * sent to the API server, so there is no API schema to check them against.
 */
function isComponentConfig(json: any): boolean {
  const group = typeof json?.apiVersion === 'string' ? groupOf(json.apiVersion) : '';
  return group === 'kubeadm.k8s.io' || group.endsWith('.config.k8s.io');
}

/** `Kind namespace/name`, as the cluster model names objects (`manifest #i` for a document that is not an object). */
function resourceName(json: any, id: string): string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return id;
  }
  const kind = typeof json.kind === 'string' && json.kind ? json.kind : '<no kind>';
  const name = typeof json.metadata?.name === 'string' && json.metadata.name ? json.metadata.name : '<no name>';
  return describe({ json: { ...json, kind, metadata: { ...json.metadata, name } } });
}

/** Construct metadata cdk8s-cli gives plugins: construct paths by object name. */
export type ConstructMetadata = { readonly [name: string]: { readonly path: string } };

/**
 * How the report names each object: `Kind namespace/name`, plus the construct
 * path when cdk8s recorded one. cdk8s records paths by object name only, so
 * a name that several objects share gets none (it could be another's).
 */
function objectLabels(objects: readonly ParsedObject[], metadata: ConstructMetadata | undefined): string[] {
  const nameOf = (o: ParsedObject): string | undefined => (typeof o.json?.metadata?.name === 'string' ? o.json.metadata.name : undefined);
  const counts = new Map<string, number>();
  for (const o of objects) {
    const name = nameOf(o);
    if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return objects.map((o, i) => {
    const name = nameOf(o);
    const construct = name !== undefined && counts.get(name) === 1 && Object.prototype.hasOwnProperty.call(metadata ?? {}, name)
      ? metadata![name].path : undefined;
    const label = resourceName(o.json, `manifest #${i}`);
    return construct ? `${label} (construct ${construct})` : label;
  });
}

/** The CRDs of `properties.crdFiles`; a missing file, or one without a CRD, is a configuration error. */
function crdsFromFiles(files: readonly string[]): any[] {
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new Error(`SparkManifestValidation: properties.crdFiles names files that do not exist (relative to ${process.cwd()}): `
      + missing.join(', '));
  }
  const { objects, errors } = parseYamlFiles(files);
  if (errors.length > 0) {
    throw new Error(`SparkManifestValidation: properties.crdFiles: ${errors.map((e) => `${e.file}: ${e.message}`).join('; ')}`);
  }
  const crds = objects.filter((o) => o.json?.kind === 'CustomResourceDefinition');
  const without = files.filter((f) => !crds.some((c) => c.file === f));
  if (without.length > 0) {
    throw new Error(`SparkManifestValidation: properties.crdFiles: ${without.join(', ')} holds no CustomResourceDefinition`);
  }
  return crds.map((c) => c.json);
}

function reportManifestFindings(objects: readonly ParsedObject[], labels: readonly string[], findings: readonly ManifestFinding[],
  options: PluginOptions, out: Violations, log: (message: string) => void): void {
  const allowed = new Map<string, number>();
  for (const f of findings) {
    const obj = objects[f.index];
    if (f.rule === 'unknown-kind') {
      const key = `${groupOf(String(obj.json.apiVersion))}/${obj.json.kind}`;
      if (options.allowUnknownKinds.has(key)) {
        allowed.set(key, (allowed.get(key) ?? 0) + 1);
        continue;
      }
    }
    out.add(MANIFEST_RULES[f.rule], labels[f.index], obj.file, f.path === undefined ? f.message : `${f.path}: ${f.message}`);
  }
  for (const [key, count] of allowed) {
    log(`cdk8s-spark: not checked (allowUnknownKinds): ${count} object(s) of ${key}`);
  }
}

/** Runs the cluster model and ties each finding to the object it starts with. */
function reportClusterFindings(objects: readonly ParsedObject[], labels: readonly string[], out: Violations): void {
  const model: ModelObject[] = objects.map((o) => ({ json: o.json }));
  const names = model.map((o) => describe(o));
  for (const text of CLUSTER_RULE_TEXTS) {
    for (const finding of text.rule(model)) {
      let best = -1;
      names.forEach((name, i) => {
        const next = finding.charAt(name.length);
        if (finding.startsWith(name) && (next === ' ' || next === ':') && (best < 0 || name.length > names[best].length)) {
          best = i;
        }
      });
      if (best < 0) {
        out.add(text, '(the app)', objects[0]?.file ?? '', finding);
      } else {
        out.add(text, labels[best], objects[best].file, finding.slice(names[best].length).replace(/^:?\s*/, ''));
      }
    }
  }
}

async function reportScripts(manifestFiles: readonly string[], out: Violations, log: (message: string) => void): Promise<string> {
  const dir = outputDirectory(manifestFiles);
  const scripts = dir ? shellScripts(dir) : [];
  if (scripts.length === 0) {
    return 'none found';
  }
  const result = await checkScriptFiles(scripts);
  for (const tool of result.missingTools) {
    log(`cdk8s-spark: shell scripts: skipped: ${tool} not installed`);
  }
  for (const f of result.failures) {
    const file = path.relative(process.cwd(), f.file) || f.file;
    out.add(MANIFEST_RULES['shell-script'], file, file, `${f.check} (exit ${f.exitCode}):\n${f.output}`);
  }
  const skipped = result.missingTools.length > 0 ? `; skipped: ${result.missingTools.join(', ')} not installed` : '';
  const remembered = result.remembered > 0 ? ` (${result.remembered} tool run(s) remembered from an earlier pass)` : '';
  return `${scripts.length} checked with ${result.checksRun.join(', ') || 'no tool'}${skipped}${remembered}`;
}

/** Reads `manifestFiles` and runs every check. */
export async function runChecks(manifestFiles: readonly string[], metadata: ConstructMetadata | undefined, options: PluginOptions,
  log: (message: string) => void): Promise<RunResult> {
  const started = Date.now();
  const out = new Violations();
  const parsed = parseYamlFiles(manifestFiles);
  for (const e of parsed.errors) {
    out.add(MANIFEST_RULES['manifest-parse'], path.basename(e.file), e.file, e.message);
  }
  const configs = parsed.objects.filter((o) => isComponentConfig(o.json));
  for (const c of configs) {
    log(`cdk8s-spark: not checked: ${c.file} holds ${c.json.apiVersion} ${c.json.kind}, a component configuration file, not an API object`);
  }
  const objects = parsed.objects.filter((o) => !isComponentConfig(o.json));
  const crds = [...libraryCrds(), ...crdsFromFiles(options.crdFiles)];
  const findings = checkManifests(objects.map((o) => o.json), { crds });
  const labels = objectLabels(objects, metadata);
  reportManifestFindings(objects, labels, findings, options, out, log);
  if (options.admission) {
    reportClusterFindings(objects, labels, out);
  }
  const scripts = options.scripts ? await reportScripts(manifestFiles, out, log) : 'not checked (properties.scripts: false)';
  const summary = {
    'Manifests': `${manifestFiles.length} file(s), ${objects.length} object(s)${configs.length ? `, ${configs.length} component configuration(s) skipped` : ''}`,
    'Checks': `schema, unknown fields, CRD schemas${options.admission ? ', cluster admission model' : ''}`,
    'Shell scripts': scripts,
    'Violations': String(out.count),
    'Duration': `${Date.now() - started} ms`,
  };
  log(`cdk8s-spark: ${out.count} violation(s) in ${objects.length} object(s) of ${manifestFiles.length} manifest file(s); shell scripts: ${scripts}`);
  return { violations: out.list(), summary };
}
