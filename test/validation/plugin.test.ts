// The cdk8s validation plugin (src/validation/plugin.ts), driven with
// cdk8s-cli's own ValidationContext and report (the objects `cdk8s synth`
// hands a plugin), on an example's output and on manifests with planted defects.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { ValidationContext } from 'cdk8s-cli/plugins';
import { buildApp } from '../../examples/platform/main';
import { SparkApplication, SparkApplicationType } from '../../src';
import { CLUSTER_RULES } from '../../src/core/cluster-model';
import { SparkManifestValidation } from '../../src/validation/plugin';
import { CLUSTER_RULE_TEXTS } from '../../src/validation/private/rules';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-plugin-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Writes the objects as one multi-document YAML file (JSON documents are YAML). */
function writeManifest(dir: string, name: string, objects: any[]): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, objects.map((o) => JSON.stringify(o, null, 1)).join('\n---\n'));
  return file;
}

/** Runs the plugin the way cdk8s-cli does; returns the report (JSON) and the log lines. */
async function run(manifests: string[], properties: Record<string, unknown> = {}) {
  const context = new ValidationContext(manifests, 'cdk8s-spark', '0.0.0');
  const logged: string[] = [];
  jest.spyOn(context.logger, 'log').mockImplementation((m: string) => { logged.push(m); });
  await new SparkManifestValidation(properties).validate(context);
  const json = context.report.toJson();
  const byRule = Object.fromEntries(json.violations.map((v) => [v.ruleName, v.violatingConstructs]));
  return { json, byRule, logged, text: context.report.toString(), success: context.report.success };
}

// ---------------------------------------------------------------------------
// Fixtures: one object per defect, plus what makes each defect visible.
// ---------------------------------------------------------------------------

function restrictedNamespace(): any {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'restricted', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
  };
}

function privilegedPod(): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'priv', namespace: 'restricted' },
    spec: { containers: [{ name: 'main', image: 'busybox:1.36', securityContext: { privileged: true } }] },
  };
}

function deployment(container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'apps' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }] } },
      ...spec,
    },
  };
}

/** A SparkApplication as the library writes it (its CRD is not among the manifests: the plugin brings the library's). */
function sparkApplication(): any {
  const chart = new Chart(Testing.app(), 'jobs');
  new SparkApplication(chart, 'Pi', {
    name: 'pi',
    namespace: 'spark-jobs',
    type: SparkApplicationType.SCALA,
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
  });
  return Testing.synth(chart).find((m) => m.kind === 'SparkApplication');
}

function widget(size: unknown = 'big'): any {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'apps' }, spec: { size } };
}

function widgetCrdFile(): string {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
          },
        },
      }],
    },
  };
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other-objects-are-ignored' } };
  return writeManifest(path.join(tmp, 'crds'), 'widget-crd.yaml', [service, crd]);
}

// ---------------------------------------------------------------------------

describe('SparkManifestValidation on an example', () => {
  test('the platform example passes, scripts and kubeadm configuration included', async () => {
    const outdir = path.join(tmp, 'platform');
    buildApp(new App({ outdir })).synth();
    const manifests = fs.readdirSync(outdir, { recursive: true }).map(String).filter((f) => f.endsWith('.yaml')).sort()
      .map((f) => path.join(outdir, f));
    expect(manifests.map((f) => path.relative(outdir, f))).toEqual([
      '0000-cluster.k8s.yaml', '0001-registries.k8s.yaml', '0002-spark-operator.k8s.yaml', '0003-spark-jobs.k8s.yaml',
      'nodes/kubeadm-config.yaml',
    ]);

    const started = Date.now();
    const { json, success, logged } = await run(manifests);
    // eslint-disable-next-line no-console
    console.log(`plugin on examples/platform: ${Date.now() - started} ms (${json.summary.metadata?.['Shell scripts']})`);

    expect(json.violations).toEqual([]);
    expect(success).toBe(true);
    expect(json.summary).toMatchObject({ status: 'success', plugin: 'cdk8s-spark', version: '0.0.0' });
    expect(json.summary.metadata).toMatchObject({
      'Manifests': expect.stringMatching(/^5 file\(s\), \d+ object\(s\), 3 component configuration\(s\) skipped$/),
      'Checks': 'schema, unknown fields, CRD schemas, cluster admission model',
      'Shell scripts': expect.stringMatching(/^6 checked with bash -n, shellcheck, shfmt -d -ln bash -i 2 -ci -bn/),
      'Violations': '0',
    });
    expect(logged).toContainEqual(`cdk8s-spark: not checked: ${manifests[4]} holds kubeadm.k8s.io/v1beta4 InitConfiguration, `
      + 'a component configuration file, not an API object');
  }, 120_000); // shellcheck takes seconds on the node scripts when it has not seen them before
});

describe('SparkManifestValidation on planted defects', () => {
  let file: string;
  let result: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    const app = sparkApplication();
    app.spec.driver.coress = 2;
    file = writeManifest(path.join(tmp, 'defects'), 'app.k8s.yaml', [
      restrictedNamespace(), privilegedPod(),
      deployment({ imagePullPolicyy: 'Always' }, { replicas: 'two' }),
      app, widget(),
    ]);
    result = await run([file], { scripts: false });
  });

  test('the report fails, one violation per rule', () => {
    expect(result.success).toBe(false);
    expect(result.json.violations.map((v) => v.ruleName).sort()).toEqual(
      ['crd-pruned-field', 'kubernetes-schema', 'pod-security', 'unknown-field', 'unknown-kind']);
    expect(result.json.summary.metadata?.Violations).toBe('5');
  });

  test('a field the Kubernetes type does not declare', () => {
    expect(result.byRule['unknown-field']).toEqual([expect.objectContaining({
      resourceName: 'Deployment apps/web',
      manifestPath: file,
      locations: ['spec.template.spec.containers[0].imagePullPolicyy: unknown field (not declared in IoK8sApiCoreV1Container; '
        + 'did you mean "imagePullPolicy"?)'],
    })]);
  });

  test('a value of the wrong type in a built-in kind', () => {
    expect(result.byRule['kubernetes-schema']).toEqual([expect.objectContaining({
      resourceName: 'Deployment apps/web',
      locations: ['spec.replicas: must be integer (got string "two")'],
    })]);
  });

  test('a field the library\'s SparkApplication CRD does not declare (the API server would prune it)', () => {
    expect(result.byRule['crd-pruned-field']).toEqual([expect.objectContaining({
      resourceName: 'SparkApplication spark-jobs/pi',
      manifestPath: file,
      locations: ['spec.driver.coress: unknown field (not declared in the schema of CRD sparkapplications.sparkoperator.k8s.io; '
        + 'the API server would silently prune it; did you mean "cores"?)'],
    })]);
  });

  test('a privileged pod in a namespace that enforces restricted (the cluster model)', () => {
    const [pod] = result.byRule['pod-security'];
    expect(pod).toMatchObject({ resourceName: 'Pod restricted/priv', manifestPath: file });
    expect(pod.locations).toEqual([expect.stringMatching(
      /^pods: Namespace restricted \(labels\) enforces Pod Security "restricted" and the API server would refuse the pods: .*container main is privileged \(Privileged Containers\)/)]);
  });

  test('a kind with no schema', () => {
    expect(result.byRule['unknown-kind']).toEqual([expect.objectContaining({
      resourceName: 'Widget apps/w',
      locations: ['no schema for apiVersion "example.com/v1" kind "Widget": it is not a built-in Kubernetes kind and no '
        + 'CustomResourceDefinition for it was given or synthesized'],
    })]);
  });

  test('the printed report names rule, resource, location, recommendation and fix', () => {
    expect(result.text).toContain('unknown-field (1 occurrences)');
    expect(result.text).toContain('    - Resource Name: Deployment apps/web');
    expect(result.text).toContain(`    - Manifest Path: ${file}`);
    expect(result.text).toContain('      > spec.template.spec.containers[0].imagePullPolicyy: unknown field');
    expect(result.text).toContain('  How to fix: Remove the field or correct its name');
  });

  test('allowUnknownKinds leaves a kind out, and the log says so', async () => {
    const { byRule, logged } = await run([file], { scripts: false, allowUnknownKinds: ['example.com/Widget'] });
    expect(byRule['unknown-kind']).toBeUndefined();
    expect(byRule['unknown-field']).toHaveLength(1);
    expect(logged).toContain('cdk8s-spark: not checked (allowUnknownKinds): 1 object(s) of example.com/Widget');
  });

  test('crdFiles give a kind its schema', async () => {
    const { byRule } = await run([file], { scripts: false, crdFiles: [widgetCrdFile()] });
    expect(byRule['unknown-kind']).toBeUndefined();
    expect(byRule['crd-schema']).toEqual([expect.objectContaining({
      resourceName: 'Widget apps/w',
      locations: ['spec.size: must be integer (got string "big")'],
    })]);
    const fixed = writeManifest(path.join(tmp, 'widget'), 'w.k8s.yaml', [widget(3)]);
    expect((await run([fixed], { scripts: false, crdFiles: [widgetCrdFile()] })).json.violations).toEqual([]);
  });

  test('admission: false turns the cluster model off', async () => {
    const { byRule, json } = await run([file], { scripts: false, admission: false });
    expect(byRule['pod-security']).toBeUndefined();
    expect(json.summary.metadata?.Checks).toBe('schema, unknown fields, CRD schemas');
  });

  test('a YAML syntax error is reported, not half-read', async () => {
    const broken = path.join(tmp, 'broken.k8s.yaml');
    fs.writeFileSync(broken, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n');
    const { byRule } = await run([broken], { scripts: false });
    expect(byRule['manifest-parse']).toEqual([expect.objectContaining({ resourceName: 'broken.k8s.yaml', manifestPath: broken })]);
    const { locations } = byRule['manifest-parse'][0];
    expect(locations.length).toBeGreaterThan(0);
    for (const location of locations) {
      expect(location).toMatch(/^line 4, column 1: Flow (sequence|map) in block collection must be sufficiently indented/);
    }
  });
});

describe('shell scripts beside the manifests', () => {
  const savedPath = process.env.PATH;
  const savedCache = process.env.CDK8S_SPARK_SCRIPT_CHECK_CACHE;
  let dir: string;
  let manifest: string;
  beforeAll(() => {
    process.env.CDK8S_SPARK_SCRIPT_CHECK_CACHE = 'off';
    dir = path.join(tmp, 'scripts');
    manifest = writeManifest(dir, 'app.k8s.yaml', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'apps' } }]);
    fs.mkdirSync(path.join(dir, 'nodes'));
    fs.writeFileSync(path.join(dir, 'nodes', 'good.sh'), '#!/usr/bin/env bash\nset -euo pipefail\necho "$1"\n');
    // Unquoted expansion (SC2086) and a 4-space indent shfmt would change.
    fs.writeFileSync(path.join(dir, 'nodes', 'bad.sh'), '#!/usr/bin/env bash\nif true; then\n    echo $1\nfi\n');
  });
  afterAll(() => {
    process.env.PATH = savedPath;
    if (savedCache === undefined) delete process.env.CDK8S_SPARK_SCRIPT_CHECK_CACHE;
    else process.env.CDK8S_SPARK_SCRIPT_CHECK_CACHE = savedCache;
  });

  test('a script that fails shellcheck and shfmt is a violation with the tools\' output', async () => {
    const { byRule, json } = await run([manifest]);
    const bad = path.relative(process.cwd(), path.join(dir, 'nodes', 'bad.sh'));
    expect(byRule['shell-script']).toEqual([expect.objectContaining({ resourceName: bad, manifestPath: bad })]);
    const [shellcheck, shfmt] = byRule['shell-script'][0].locations;
    expect(shellcheck).toMatch(/^shellcheck \(exit 1\):\n[\s\S]*SC2086/);
    expect(shfmt).toMatch(/^shfmt -d -ln bash -i 2 -ci -bn \(exit 1\):\n[\s\S]*-    echo \$1\n\+  echo \$1/);
    expect(json.summary.metadata?.['Shell scripts']).toBe('2 checked with bash -n, shellcheck, shfmt -d -ln bash -i 2 -ci -bn');
  });

  test('a tool that is not installed is skipped, and the log says so', async () => {
    const bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
    fs.symlinkSync(fs.realpathSync('/bin/bash'), path.join(bin, 'bash'));
    process.env.PATH = bin;
    try {
      const { byRule, logged, json } = await run([manifest]);
      expect(byRule['shell-script']).toBeUndefined(); // bash -n passes: the script parses
      expect(logged).toEqual(expect.arrayContaining([
        'cdk8s-spark: shell scripts: skipped: shellcheck not installed',
        'cdk8s-spark: shell scripts: skipped: shfmt not installed',
      ]));
      expect(json.summary.metadata?.['Shell scripts']).toBe('2 checked with bash -n; skipped: shellcheck, shfmt not installed');
    } finally {
      process.env.PATH = savedPath;
    }
  });

  test('scripts: false checks none', async () => {
    const { byRule, json } = await run([manifest], { scripts: false });
    expect(byRule['shell-script']).toBeUndefined();
    expect(json.summary.metadata?.['Shell scripts']).toBe('not checked (properties.scripts: false)');
  });
});

describe('properties', () => {
  const where = 'SparkManifestValidation (cdk8s.yaml, validations[].properties)';
  test.each([
    [{ crdfiles: ['a.yaml'] }, `${where}: property "crdfiles" is ["a.yaml"]; expected one of the properties crdFiles, allowUnknownKinds, admission, scripts`],
    [{ crdFiles: 'a.yaml' }, `${where}: crdFiles is "a.yaml"; expected a list of paths of YAML files holding CustomResourceDefinitions`],
    [{ crdFiles: [''] }, `${where}: crdFiles entry is ""; expected paths of YAML files`],
    [{ allowUnknownKinds: ['ServiceMonitor'] }, `${where}: allowUnknownKinds entry is "ServiceMonitor"; expected "<group>/<Kind>" names`],
    [{ allowUnknownKinds: ['monitoring.coreos.com/v1/ServiceMonitor'] }, 'allowUnknownKinds entry is "monitoring.coreos.com/v1/ServiceMonitor"'],
    [{ admission: 'yes' }, `${where}: admission is "yes"; expected true or false`],
    [{ scripts: 0 }, `${where}: scripts is 0; expected true or false`],
  ])('%j is refused at once', (properties, message) => {
    expect(() => new SparkManifestValidation(properties as any)).toThrow(message);
  });

  test('crdFiles that do not exist or hold no CRD fail the run, naming the files', async () => {
    const manifest = writeManifest(path.join(tmp, 'props'), 'a.k8s.yaml', [widget(1)]);
    await expect(run([manifest], { crdFiles: ['no/such.yaml'] }))
      .rejects.toThrow(`SparkManifestValidation: properties.crdFiles names files that do not exist (relative to ${process.cwd()}): no/such.yaml`);
    await expect(run([manifest], { crdFiles: [manifest] }))
      .rejects.toThrow(`SparkManifestValidation: properties.crdFiles: ${manifest} holds no CustomResourceDefinition`);
  });
});

test('every rule of the cluster model has a name, a recommendation and a fix in the report', () => {
  expect(CLUSTER_RULE_TEXTS.map((t) => t.rule)).toEqual(CLUSTER_RULES);
  expect(new Set(CLUSTER_RULE_TEXTS.map((t) => t.name)).size).toBe(CLUSTER_RULES.length);
});
