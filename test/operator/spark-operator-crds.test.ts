import * as fs from 'fs';
import * as path from 'path';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { ConfigMap, EmptyDirMedium, k8s, Volume } from 'cdk8s-plus-28';
import {
  BatchScheduler, ConcurrencyPolicy, ScheduledSparkApplication, SparkApplication, SparkApplicationProps,
  SparkApplicationType, SparkConf, SparkImage, SparkMemory, SparkOperatorCrds, SparkServiceAccount,
} from '../../src';
import { checkSparkApplicationRules } from '../../src/operator/model/rules';
import { SCHEDULED_SPARK_APPLICATION_SPEC, SPARK_APPLICATION_SPEC } from '../../src/operator/model/spark-application-model';
import { validateAgainstModel } from '../../src/operator/model/validate';
import { synthValid, validateManifests } from '../harness/manifests';
import { REFERENCE_DIR } from '../harness/reference';
import { loadYamlFile } from '../harness/yaml';

const KUBECTL_APPLY_ANNOTATION_LIMIT = 262144;

let cached: { sparkApplication: any; scheduled: any; all: any[] } | undefined;
function crds(): { sparkApplication: any; scheduled: any; all: any[] } {
  cached ??= synthCrds();
  return cached;
}

function synthCrds(): { sparkApplication: any; scheduled: any; all: any[] } {
  const chart = new Chart(Testing.app(), 'crds');
  new SparkOperatorCrds(chart, 'Crds');
  const all = synthValid(chart);
  return {
    sparkApplication: all.find((m) => m.spec.names.kind === 'SparkApplication'),
    scheduled: all.find((m) => m.spec.names.kind === 'ScheduledSparkApplication'),
    all,
  };
}

describe('SparkOperatorCrds', () => {
  test('synthesizes the CRDs (snapshot)', () => {
    expect(crds().all).toMatchSnapshot();
  });

  test('v1beta2 stored and served, status subresource, short names, printer columns', () => {
    const { sparkApplication, scheduled } = crds();
    expect(sparkApplication.metadata.name).toBe('sparkapplications.sparkoperator.k8s.io');
    expect(scheduled.metadata.name).toBe('scheduledsparkapplications.sparkoperator.k8s.io');
    expect(sparkApplication.spec.names.shortNames).toEqual(['sparkapp']);
    expect(scheduled.spec.names.shortNames).toEqual(['scheduledsparkapp']);
    for (const crd of [sparkApplication, scheduled]) {
      expect(crd.spec.scope).toBe('Namespaced');
      expect(crd.spec.versions).toHaveLength(1);
      expect(crd.spec.versions[0]).toMatchObject({ name: 'v1beta2', served: true, storage: true, subresources: { status: {} } });
    }
    const columns = (crd: any) => crd.spec.versions[0].additionalPrinterColumns.map((c: any) => `${c.name}=${c.jsonPath}`);
    expect(columns(sparkApplication)).toEqual([
      'Suspend=.spec.suspend', 'Status=.status.applicationState.state', 'Attempts=.status.executionAttempts',
      'Start=.status.lastSubmissionAttemptTime', 'Finish=.status.terminationTime', 'Age=.metadata.creationTimestamp',
    ]);
    expect(columns(scheduled)).toEqual([
      'Schedule=.spec.schedule', 'TimeZone=.spec.timeZone', 'Suspend=.spec.suspend', 'Last Run=.status.lastRun',
      'Last Run Name=.status.lastRunName', 'Age=.metadata.creationTimestamp',
    ]);
  });

  test('the SparkConnect CRD the 2.5 controller watches is there, kept as given', () => {
    const connect = crds().all.find((m) => m.spec.names.kind === 'SparkConnect');
    expect(connect.metadata.name).toBe('sparkconnects.sparkoperator.k8s.io');
    expect(connect.spec.names.shortNames).toEqual(['sparkconn']);
    expect(connect.spec.versions[0]).toMatchObject({ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } });
    const schema = connect.spec.versions[0].schema.openAPIV3Schema;
    expect(schema.properties.spec).toEqual({ 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true });
    const resource = {
      apiVersion: 'sparkoperator.k8s.io/v1alpha1',
      kind: 'SparkConnect',
      metadata: { name: 'connect', namespace: 'spark' },
      spec: { sparkVersion: '4.0.4', server: { cores: 1 } },
    };
    expect(validateManifests([resource], { crds: [connect] })).toEqual([]);
  });

  test('each CRD fits the client-side kubectl apply annotation', () => {
    const { sparkApplication, scheduled } = crds();
    for (const crd of [sparkApplication, scheduled]) {
      const size = Buffer.byteLength(JSON.stringify(crd), 'utf8');
      console.log(`${crd.metadata.name}: ${size} bytes of JSON (limit ${KUBECTL_APPLY_ANNOTATION_LIMIT})`);
      expect(size).toBeLessThan(KUBECTL_APPLY_ANNOTATION_LIMIT);
    }
  });

  test('the schemas are structural: every object declares its fields, a value schema, or keeps unknown fields', () => {
    const { sparkApplication, scheduled } = crds();
    const bad: string[] = [];
    const walk = (schema: any, at: string) => {
      if (schema.type === 'object' && !schema.properties && !schema.additionalProperties
        && schema['x-kubernetes-preserve-unknown-fields'] !== true && at !== '.metadata') {
        bad.push(at);
      }
      if (!schema.type && schema['x-kubernetes-int-or-string'] !== true) bad.push(`${at} (no type)`);
      for (const [k, v] of Object.entries(schema.properties ?? {})) walk(v, `${at}.${k}`);
      if (schema.items) walk(schema.items, `${at}[]`);
      if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${at}{}`);
    };
    walk(sparkApplication.spec.versions[0].schema.openAPIV3Schema, '');
    walk(scheduled.spec.versions[0].schema.openAPIV3Schema, '');
    expect(bad).toEqual([]);
  });

  test('a custom resource with a field outside the schema is reported as pruned', () => {
    const { sparkApplication } = crds();
    const problems = validateManifests([{
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { name: 'x', namespace: 'default' },
      spec: { type: 'Scala', sparkVersion: '4.0.4', mainApplicationFile: 'local:///a.jar', driver: { coress: 1 }, executor: {}, mode: 'batch' },
    }], { crds: [sparkApplication] });
    expect(problems.join('\n')).toMatch(/spec\.driver\.coress: unknown field/);
    expect(problems.join('\n')).toMatch(/spec\.mode: must be one of "cluster", "client"/);
  });
});

// ---------------------------------------------------------------------------
// Compatibility with the upstream operator (v2.5.2): its CRDs and examples.
// ---------------------------------------------------------------------------

const REF = path.join(REFERENCE_DIR, 'spark-operator-v2.5.2');
const describeRef = fs.existsSync(REF) ? describe : describe.skip;
if (!fs.existsSync(REF)) {
  console.log(`skipping the upstream compatibility tests: ${REF} not found`);
}
// Templated with {IMAGE_REGISTRY}: not a manifest as it stands.
const TEMPLATED = new Set(['spark-pi-prometheus.yaml']);

function loadYaml(file: string): any[] {
  return loadYamlFile(file);
}

let examplesCache: Array<[string, any[]]> | undefined;
function examples(): Array<[string, any[]]> {
  const dir = path.join(REF, 'examples');
  return examplesCache ??= fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && !TEMPLATED.has(f)).sort()
    .map((f) => [f, loadYaml(path.join(dir, f))]);
}

const upstreamCache = new Map<string, any>();
function upstreamCrd(plural: string): any {
  if (!upstreamCache.has(plural)) upstreamCache.set(plural, loadYaml(path.join(REF, 'crds', `sparkoperator.k8s.io_${plural}.yaml`))[0]);
  return upstreamCache.get(plural);
}

/**
 * Every property path upstream's schema declares, and whether ours keeps it:
 * declared by ours too, or under a node of ours that keeps unknown fields.
 */
function prunedPaths(upstream: any, ours: any, at = ''): string[] {
  if (ours === undefined) return [at];
  if (ours['x-kubernetes-preserve-unknown-fields'] === true && !ours.properties && !ours.items && !ours.additionalProperties) return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries<any>(upstream.properties ?? {})) {
    if (at === '' && key === 'metadata') continue;
    const mine = ours.properties?.[key]
      ?? (typeof ours.additionalProperties === 'object' ? ours.additionalProperties : undefined)
      ?? (ours['x-kubernetes-preserve-unknown-fields'] === true ? {} : undefined);
    if (mine && Object.keys(mine).length === 0) continue;
    out.push(...prunedPaths(child, mine, `${at}.${key}`));
  }
  if (upstream.items) out.push(...prunedPaths(upstream.items, ours.items, `${at}[]`));
  if (typeof upstream.additionalProperties === 'object') {
    out.push(...prunedPaths(upstream.additionalProperties, typeof ours.additionalProperties === 'object' ? ours.additionalProperties : undefined, `${at}{}`));
  }
  return out;
}

function countPaths(schema: any): number {
  let n = 0;
  for (const child of Object.values<any>(schema.properties ?? {})) n += 1 + countPaths(child);
  if (schema.items) n += countPaths(schema.items);
  if (typeof schema.additionalProperties === 'object') n += countPaths(schema.additionalProperties);
  return n;
}

describeRef('compatibility with the upstream operator v2.5.2', () => {
  test('every upstream example (but the templated one) is valid against our CRDs, nothing pruned', () => {
    const { sparkApplication, scheduled } = crds();
    const all = examples();
    expect(all.length).toBeGreaterThanOrEqual(13);
    for (const [file, docs] of all) {
      const problems = validateManifests(docs, { crds: [sparkApplication, scheduled] });
      expect({ file, problems }).toEqual({ file, problems: [] });
    }
  });

  test('every upstream example passes the model validator and the admission rules used at synth', () => {
    for (const [file, docs] of examples()) {
      for (const doc of docs.filter((d) => d.apiVersion === 'sparkoperator.k8s.io/v1beta2')) {
        const scheduled = doc.kind === 'ScheduledSparkApplication';
        const problems = [
          ...validateAgainstModel(doc.spec, scheduled ? SCHEDULED_SPARK_APPLICATION_SPEC : SPARK_APPLICATION_SPEC, 'spec'),
          ...checkSparkApplicationRules(scheduled ? doc.spec.template : doc.spec),
        ];
        expect({ file, problems }).toEqual({ file, problems: [] });
      }
    }
  });

  test.each([
    ['sparkapplications', 'SparkApplication'],
    ['scheduledsparkapplications', 'ScheduledSparkApplication'],
  ])('no field declared by upstream\'s %s CRD is pruned by ours', (plural, kind) => {
    const upstream = upstreamCrd(plural).spec.versions.find((v: any) => v.name === 'v1beta2').schema.openAPIV3Schema;
    const { sparkApplication, scheduled } = crds();
    const ours = (kind === 'SparkApplication' ? sparkApplication : scheduled).spec.versions[0].schema.openAPIV3Schema;
    // Sanity: the walk covers thousands of upstream paths (Kubernetes core types included).
    expect(countPaths(upstream)).toBeGreaterThan(1000);
    expect(prunedPaths(upstream, ours)).toEqual([]);
  });

  test('the walk would notice a dropped field', () => {
    const upstream = { properties: { spec: { properties: { a: { type: 'string' }, b: { type: 'object', properties: { c: { type: 'string' } } } } } } };
    const ours = { properties: { spec: { properties: { b: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } };
    expect(prunedPaths(upstream, ours)).toEqual(['.spec.a']);
  });

  // The typed constructs express each example: the spec they render contains
  // the example's spec (they add explicit defaults: restart policy, pod
  // security contexts, privileged: false, shuffle tracking...).
  const base = (chart: Chart, extra: Partial<SparkApplicationProps> = {}): SparkApplicationProps => ({
    namespace: 'default',
    type: SparkApplicationType.SCALA,
    image: SparkImage.apache('4.0.4'),
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    serviceAccount: new SparkServiceAccount(chart, 'Sa', { namespace: 'default', name: 'spark-operator-spark' }),
    ...extra,
  });
  const version = { labels: { version: '4.0.0' } };

  const builders: { [file: string]: (chart: Chart) => void } = {
    'spark-pi.yaml': (c) => new SparkApplication(c, 'App', base(c, {
      name: 'spark-pi', arguments: ['5000'], driver: version, executor: version,
    })),
    'spark-pi-python.yaml': (c) => new SparkApplication(c, 'App', base(c, {
      name: 'spark-pi-python',
      type: SparkApplicationType.PYTHON,
      mainClass: undefined,
      mainApplicationFile: 'local:///opt/spark/examples/src/main/python/pi.py',
    })),
    'spark-pi-scheduled.yaml': (c) => new ScheduledSparkApplication(c, 'App', {
      ...base(c), name: 'spark-pi-scheduled', schedule: '@every 3m', concurrencyPolicy: ConcurrencyPolicy.ALLOW,
    }),
    'spark-pi-dynamic-allocation.yaml': (c) => new SparkApplication(c, 'App', base(c, {
      name: 'spark-pi-dynamic-allocation', dynamicAllocation: { minExecutors: 1, initialExecutors: 2, maxExecutors: 5 },
    })),
    'spark-pi-ttl.yaml': (c) => new SparkApplication(c, 'App', base(c, { name: 'spark-pi-ttl', timeToLive: Duration.seconds(30) })),
    'spark-pi-volcano.yaml': (c) => new SparkApplication(c, 'App', base(c, {
      name: 'spark-pi-volcano', executor: { instances: 2 }, batchScheduler: BatchScheduler.volcano(),
    })),
    'spark-pi-yunikorn.yaml': (c) => new SparkApplication(c, 'App', base(c, {
      name: 'spark-pi-yunikorn', executor: { instances: 2 }, batchScheduler: BatchScheduler.yunikorn({ queue: 'root.default' }),
    })),
    'spark-pi-kube-scheduler.yaml': (c) => new SparkApplication(c, 'App', base(c, {
      name: 'spark-pi-kube-scheduler', executor: { instances: 2 }, batchScheduler: BatchScheduler.kubeScheduler(),
    })),
    'spark-pi-custom-resource.yaml': (c) => new SparkApplication(c, 'App', base(c, {
      name: 'spark-pi-custom-resource',
      driver: { coreRequest: '0.5', coreLimit: '800m' },
      executor: { coreRequest: '1200m', coreLimit: '1500m' },
    })),
    'spark-pi-configmap.yaml': (c) => {
      const volume = Volume.fromConfigMap(c, 'Config', ConfigMap.fromConfigMapName(c, 'Cm', 'test-configmap'), { name: 'config-vol' });
      const mounts = { volumeMounts: [{ volume, path: '/opt/spark/config' }] };
      new SparkApplication(c, 'App', base(c, { name: 'spark-pi-configmap', driver: mounts, executor: mounts }));
    },
    'spark-pi-emptydir.yaml': (c) => {
      const volume = Volume.fromEmptyDir(c, 'Local', 'spark-local-dir-1', { medium: EmptyDirMedium.MEMORY, sizeLimit: Size.gibibytes(1) });
      const pod = { ...version, volumeMounts: [{ volume, path: '/datadir' }] };
      new SparkApplication(c, 'App', base(c, { name: 'spark-pi', arguments: ['5000'], driver: pod, executor: pod }));
    },
    'spark-pi-prometheus-servlet.yaml': (c) => {
      new SparkApplication(c, 'App', base(c, {
        name: 'spark-pi-python',
        type: SparkApplicationType.PYTHON,
        mainClass: undefined,
        mainApplicationFile: 'local:///opt/spark/examples/src/main/python/pi.py',
        sparkConf: SparkConf.of({
          'spark.ui.prometheus.enabled': 'true',
          'spark.executor.processTreeMetrics.enabled': 'true',
          'spark.metrics.conf.driver.sink.prometheusServlet.path': '/metrics/driver/prometheus/',
          'spark.metrics.conf.executor.sink.prometheusServlet.path': '/metrics/executors/prometheus/',
          'spark.kubernetes.driver.annotation.prometheus.io/scrape': 'true',
          'spark.kubernetes.driver.annotation.prometheus.io/path': '/metrics/executors/prometheus/',
          'spark.kubernetes.driver.annotation.prometheus.io/port': '4040',
          'spark.kubernetes.driver.service.annotation.prometheus.io/scrape': 'true',
          'spark.kubernetes.driver.service.annotation.prometheus.io/path': '/metrics/driver/prometheus/',
          'spark.kubernetes.driver.service.annotation.prometheus.io/port': '4040',
          'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
        }),
      }));
    },
    'spark-pi-pod-template.yaml': (c) => {
      // The example's template as typed k8s structs: quantities become k8s.Quantity.
      const typed = (value: any, key = ''): any => {
        if (['requests', 'limits'].includes(key)) {
          return Object.fromEntries(Object.entries(value).map(([k, v]) =>
            [k, typeof v === 'number' ? k8s.Quantity.fromNumber(v) : k8s.Quantity.fromString(v as string)]));
        }
        if (key === 'sizeLimit') return k8s.Quantity.fromString(value);
        if (Array.isArray(value)) return value.map((v) => typed(v));
        if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typed(v, k)]));
        return value;
      };
      const podTemplate = (example: any): k8s.PodTemplateSpec => typed(example);
      const docs = loadYaml(path.join(REF, 'examples', 'spark-pi-pod-template.yaml'));
      const app = docs.find((d) => d.kind === 'SparkApplication');
      new SparkApplication(c, 'App', base(c, {
        name: 'spark-pi-pod-template',
        arguments: ['10000'],
        driver: { coreLimit: '1', memory: SparkMemory.parse('512m'), memoryOverhead: SparkMemory.parse('512m'), template: podTemplate(app.spec.driver.template) },
        executor: {
          coreLimit: '1500m',
          memory: SparkMemory.parse('1g'),
          memoryOverhead: SparkMemory.parse('512m'),
          template: podTemplate(app.spec.executor.template),
        },
      }));
    },
  };

  test('there is a typed construct for every example', () => {
    expect(Object.keys(builders).sort()).toEqual(examples().map(([f]) => f));
  });

  test.each(Object.keys(builders).sort())('%s is expressible with the typed constructs', (file) => {
    const expected = examples().find(([f]) => f === file)![1].find((d) => d.apiVersion === 'sparkoperator.k8s.io/v1beta2');
    const { sparkApplication, scheduled } = crds();
    const chart = new Chart(Testing.app(), 'test');
    builders[file](chart);
    const manifests = synthValid(chart, { crds: [sparkApplication, scheduled] });
    const actual = manifests.find((m) => m.kind === expected.kind);
    expect(actual.metadata.name).toBe(expected.metadata.name);
    let want = expected.spec;
    if (file === 'spark-pi-emptydir.yaml') {
      // cdk8s-plus spells emptyDir size limits in MiB.
      want = JSON.parse(JSON.stringify(want).replace('"sizeLimit":"1Gi"', '"sizeLimit":"1024Mi"'));
    }
    if (file === 'spark-pi-pod-template.yaml') {
      // The k8s structs drop fields Kubernetes does not define: the example's
      // pod-level securityContext carries container-only fields
      // (capabilities, allowPrivilegeEscalation), which the API server would
      // prune from the pod anyway.
      for (const role of ['driver', 'executor']) {
        const sc = want[role].template.spec.securityContext;
        delete sc.capabilities;
        delete sc.allowPrivilegeEscalation;
      }
    }
    expect(actual.spec).toMatchObject(want);
  });
});
