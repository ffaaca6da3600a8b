import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { expectValidManifests, synthValid, validateManifests } from './manifests';
import { serializeTypeMap, TYPE_MAP_FILE, typeMapProblems } from '../../scripts/k8s-type-map-inputs';

// ---------------------------------------------------------------------------
// Fixtures (fresh copies per call, so tests can mutate them)
// ---------------------------------------------------------------------------

function deployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'spark', labels: { 'app.kubernetes.io/name': 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'main',
            image: 'nginx:1.27',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 8080, name: 'http' }],
            resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: 1 } },
            livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
          }],
        },
      },
    },
  };
}

function service(): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'spark' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  };
}

function configMap(): any {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'conf', namespace: 'spark', annotations: { 'example.com/any': 'thing' } },
    data: { 'spark-defaults.conf': 'spark.master k8s://https://kubernetes.default.svc\n' },
  };
}

/** A CRD in the style controller-gen emits, exercising most schema keywords. */
function crd(): any {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'sparkjobs.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'SparkJob', listKind: 'SparkJobList', plural: 'sparkjobs', singular: 'sparkjob' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: {
                  type: 'object',
                  required: ['image', 'mode'],
                  properties: {
                    image: { type: 'string', minLength: 1 },
                    mode: { type: 'string', enum: ['cluster', 'client'] },
                    executors: { type: 'integer', minimum: 1, maximum: 100 },
                    name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', maxLength: 20 },
                    memoryOverhead: {
                      'anyOf': [{ type: 'integer' }, { type: 'string' }],
                      'x-kubernetes-int-or-string': true,
                    },
                    sparkConf: { type: 'object', additionalProperties: { type: 'string' } },
                    args: { type: 'array', items: { type: 'string' }, maxItems: 3 },
                    ports: {
                      'type': 'array',
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['name'],
                      'items': {
                        type: 'object',
                        required: ['name'],
                        properties: { name: { type: 'string' }, port: { type: 'integer' } },
                      },
                    },
                    timeout: { type: 'string', nullable: true },
                    labels: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } },
                    extra: {
                      'type': 'object',
                      'x-kubernetes-preserve-unknown-fields': true,
                      'properties': {
                        checked: { type: 'object', properties: { flag: { type: 'boolean' } } },
                      },
                    },
                    template: {
                      'type': 'object',
                      'x-kubernetes-embedded-resource': true,
                      'x-kubernetes-preserve-unknown-fields': true,
                    },
                  },
                },
                status: { type: 'object', properties: { state: { type: 'string' } } },
              },
            },
          },
        },
        {
          name: 'v1alpha1',
          served: false,
          storage: false,
          schema: { openAPIV3Schema: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}

function sparkJob(spec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'example.com/v1',
    kind: 'SparkJob',
    metadata: { name: 'pi', namespace: 'spark' },
    spec: { image: 'spark:3.5.3', mode: 'cluster', ...spec },
  };
}

/** Asserts exactly one problem was found and returns it. */
function onlyProblem(manifests: any[], options?: { crds?: any[] }): string {
  const problems = validateManifests(manifests, options);
  expect(problems).toHaveLength(1);
  return problems[0];
}

// ---------------------------------------------------------------------------
// Valid manifests
// ---------------------------------------------------------------------------

describe('valid manifests', () => {
  test('a Deployment, a Service and a ConfigMap have no problems', () => {
    expect(validateManifests([deployment(), service(), configMap()])).toEqual([]);
  });

  test('free-form and int-or-string fields accept arbitrary content', () => {
    const obj = deployment();
    obj.metadata.creationTimestamp = null; // what kubectl emits
    obj.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } };
    const crdObj = crd();
    // openAPIV3Schema is JSONSchemaProps: never walked for unknown fields.
    crdObj.spec.versions[0].schema.openAPIV3Schema['x-made-up'] = { anything: [1, 2] };
    expect(validateManifests([obj, crdObj])).toEqual([]);
  });

  test('a cdk8s-plus-28 Deployment synthesized through a Chart', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'spark' });
    const web = new kplus.Deployment(chart, 'web', {
      containers: [{ image: 'nginx', portNumber: 80, envVariables: { MODE: kplus.EnvValue.fromValue('x') } }],
    });
    web.exposeViaService();
    new kplus.ConfigMap(chart, 'conf', { data: { key: 'value' } });

    const manifests = synthValid(chart);
    expect(manifests.map((m) => m.kind)).toEqual(['Deployment', 'Service', 'ConfigMap']);
  });

  test('a CRD and a custom resource synthesized together', () => {
    const chart = new Chart(Testing.app(), 'test');
    const def = crd();
    new ApiObject(chart, 'crd', def);
    new ApiObject(chart, 'job', sparkJob({
      executors: 4,
      name: 'pi-job',
      memoryOverhead: '512Mi',
      sparkConf: { 'spark.ui.enabled': 'false' },
      args: ['100'],
      ports: [{ name: 'ui', port: 4040 }, { name: 'driver', port: 7078 }],
      timeout: null,
      labels: { team: 'data' },
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { a: 'b' } }, spec: { anything: true } },
    }));
    expect(synthValid(chart)).toHaveLength(2);
  });

  test('CRDs can be passed in options.crds', () => {
    expect(validateManifests([sparkJob({ memoryOverhead: 512 })], { crds: [crd(), null] })).toEqual([]);
  });

  test('unknown fields inside a preserve-unknown-fields subtree are accepted', () => {
    const job = sparkJob({ extra: { whatever: { deeply: ['nested', 1] }, checked: { flag: true } } });
    expect(validateManifests([crd(), job])).toEqual([]);
  });

  test('a typical chart of 50 objects validates quickly once warmed up', () => {
    const manifests: any[] = [crd()];
    for (let i = 0; i < 12; i++) {
      for (const obj of [deployment(), service(), configMap(), sparkJob({ executors: i + 1 })]) {
        obj.metadata.name = `${obj.metadata.name}-${i}`;
        manifests.push(obj);
      }
    }
    validateManifests(manifests); // warm-up: loads the type map and model modules
    const start = performance.now();
    expect(validateManifests(manifests)).toEqual([]);
    const elapsed = performance.now() - start;
    // Typically ~10 ms; the bound leaves headroom for slow CI machines.
    expect(elapsed).toBeLessThan(100);
  });
});

// ---------------------------------------------------------------------------
// Built-in objects: kubernetes-models schema and unknown fields
// ---------------------------------------------------------------------------

describe('built-in objects', () => {
  test('wrong type', () => {
    const obj = deployment();
    obj.spec.replicas = '3';
    expect(onlyProblem([obj])).toBe('Deployment/spark/web: spec.replicas: must be integer (got string "3")');
  });

  test('wrong type in a oneOf (Quantity) is reported once', () => {
    const obj = deployment();
    obj.spec.template.spec.containers[0].resources.limits.cpu = true;
    expect(onlyProblem([obj])).toBe(
      'Deployment/spark/web: spec.template.spec.containers[0].resources.limits.cpu: must be number or string (got boolean true)');
  });

  test('container without name', () => {
    const obj = deployment();
    delete obj.spec.template.spec.containers[0].name;
    expect(onlyProblem([obj])).toBe(
      'Deployment/spark/web: spec.template.spec.containers[0].name: required field is missing');
  });

  test('Deployment spec without selector', () => {
    const obj = deployment();
    delete obj.spec.selector;
    expect(onlyProblem([obj])).toBe('Deployment/spark/web: spec.selector: required field is missing');
  });

  test('misspelled container field', () => {
    const obj = deployment();
    obj.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    const problem = onlyProblem([obj]);
    expect(problem).toContain('Deployment/spark/web: spec.template.spec.containers[0].imagePullPolcy: unknown field');
    expect(problem).toContain('did you mean "imagePullPolicy"?');
  });

  test('misspelled metadata field', () => {
    const obj = service();
    obj.metadata.lables = { app: 'web' };
    const problem = onlyProblem([obj]);
    expect(problem).toContain('Service/spark/web: metadata.lables: unknown field');
    expect(problem).toContain('did you mean "labels"?');
  });

  test('unknown field inside an array of objects and a map', () => {
    const obj = deployment();
    obj.spec.template.spec.containers[0].ports[0].hostPorts = 80;
    obj.spec.selector.matchExpressions = [{ key: 'a', operator: 'In', value: ['b'] }];
    expect(validateManifests([obj])).toEqual([
      expect.stringContaining('spec.selector.matchExpressions[0].value: unknown field'),
      expect.stringContaining('spec.template.spec.containers[0].ports[0].hostPorts: unknown field'),
    ]);
  });

  test('invalid enum value', () => {
    const obj = deployment();
    obj.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes';
    expect(onlyProblem([obj])).toBe('Deployment/spark/web: spec.template.spec.containers[0].imagePullPolicy: '
      + 'must be one of "Always", "IfNotPresent", "Never" (got string "Sometimes")');
  });

  test('map keys that are not identifiers are quoted in paths', () => {
    const obj = configMap();
    obj.data['my.key'] = 42;
    expect(onlyProblem([obj])).toBe('ConfigMap/spark/conf: data["my.key"]: must be string (got number 42)');
  });

  test('missing apiVersion, kind and metadata.name', () => {
    const noName = service();
    delete noName.metadata.name;
    expect(validateManifests([noName, { metadata: { name: 'x' } }])).toEqual([
      'Service/spark/<unnamed #0>: metadata.name: required field is missing',
      '<no kind>/x: apiVersion: required field is missing',
      '<no kind>/x: kind: required field is missing',
    ]);
  });

  test('unknown kind', () => {
    expect(onlyProblem([{ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }]))
      .toMatch(/^Deploymnet\/x: no schema for apiVersion "apps\/v1" kind "Deploymnet": it is not a built-in/);
    expect(onlyProblem([sparkJob()])).toContain('SparkJob/spark/pi: no schema for apiVersion "example.com/v1" kind "SparkJob"');
  });

  test('expectValidManifests lists every problem', () => {
    const obj = deployment();
    obj.spec.replicas = '3';
    obj.metadata.lables = {};
    expect(() => expectValidManifests([obj, service()])).toThrow(
      /2 problem\(s\) in 2 manifest\(s\):\n {2}- .*spec\.replicas.*\n {2}- .*metadata\.lables/);
    expect(() => expectValidManifests([service()])).not.toThrow();
  });

  test('synthValid fails for an invalid chart', () => {
    const chart = new Chart(Testing.app(), 'test');
    new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ prot: 80 }] } });
    expect(() => synthValid(chart)).toThrow(/spec\.ports\[0\]\.prot: unknown field .*did you mean "port"\?/);
  });
});

// ---------------------------------------------------------------------------
// Custom resources against CRD schemas
// ---------------------------------------------------------------------------

describe('custom resources', () => {
  test('undeclared field (would be pruned)', () => {
    const problem = onlyProblem([crd(), sparkJob({ exectors: 2 })]);
    expect(problem).toContain('SparkJob/spark/pi: spec.exectors: unknown field (not declared in the schema of CRD '
      + 'sparkjobs.example.com; the API server would silently prune it; did you mean "executors"?)');
  });

  test('undeclared field below a declared property of a preserve-unknown-fields node', () => {
    // Pruning applies again inside properties declared under such a node.
    const problem = onlyProblem([crd(), sparkJob({ extra: { checked: { flag: true, other: 1 } } })]);
    expect(problem).toContain('spec.extra.checked.other: unknown field');
  });

  test('wrong type', () => {
    expect(onlyProblem([crd(), sparkJob({ executors: '4' })]))
      .toBe('SparkJob/spark/pi: spec.executors: must be integer (got string "4")');
    expect(onlyProblem([crd(), sparkJob({ executors: 2.5 })])).toContain('spec.executors: must be integer (got number 2.5)');
    expect(onlyProblem([crd(), sparkJob({ sparkConf: { a: 1 } })])).toContain('spec.sparkConf.a: must be string (got number 1)');
    expect(onlyProblem([crd(), sparkJob({ args: 'x' })])).toContain('spec.args: must be array (got string "x")');
  });

  test('int-or-string', () => {
    expect(onlyProblem([crd(), sparkJob({ memoryOverhead: 1.5 })]))
      .toContain('spec.memoryOverhead: must be integer or string (got number 1.5)');
  });

  test('required, enum, bounds, pattern, lengths, items', () => {
    const job = sparkJob({ mode: 'local', executors: 0, name: 'Pi_Job', args: ['a', 'b', 'c', 'd'], image: '' });
    delete job.spec.mode;
    job.spec.labels = {};
    expect(validateManifests([crd(), job])).toEqual([
      'SparkJob/spark/pi: spec.mode: required field is missing',
      'SparkJob/spark/pi: spec.image: must be at least 1 characters long (got 0)',
      'SparkJob/spark/pi: spec.executors: must be >= 1 (got 0)',
      'SparkJob/spark/pi: spec.name: must match pattern "^[a-z][a-z0-9-]*$" (got string "Pi_Job")',
      'SparkJob/spark/pi: spec.args: must have at most 3 items (got 4)',
      'SparkJob/spark/pi: spec.labels: must have at least 1 properties (got 0)',
    ]);
    expect(onlyProblem([crd(), sparkJob({ mode: 'local' })]))
      .toContain('spec.mode: must be one of "cluster", "client" (got string "local")');
  });

  test('nullable and list-type map', () => {
    expect(validateManifests([crd(), sparkJob({ timeout: null })])).toEqual([]);
    expect(onlyProblem([crd(), sparkJob({ name: null })])).toContain('spec.name: must be string (got null; the schema is not nullable)');
    expect(onlyProblem([crd(), sparkJob({ ports: [{ name: 'ui', port: 1 }, { name: 'ui', port: 2 }] })]))
      .toContain('spec.ports[1]: duplicate entry for key (name) (same as [0])');
  });

  test('embedded resource needs apiVersion/kind and valid ObjectMeta', () => {
    const problems = validateManifests([crd(), sparkJob({ template: { metadata: { lables: {} }, spec: {} } })]);
    expect(problems).toEqual([
      'SparkJob/spark/pi: spec.template.apiVersion: required field of an embedded resource is missing',
      'SparkJob/spark/pi: spec.template.kind: required field of an embedded resource is missing',
      expect.stringContaining('SparkJob/spark/pi: spec.template.metadata.lables: unknown field'),
    ]);
  });

  test('metadata of a custom resource is checked as ObjectMeta', () => {
    const job = sparkJob();
    job.metadata.labels = { app: 7 };
    job.metadata.annotaions = {};
    expect(validateManifests([crd(), job])).toEqual([
      'SparkJob/spark/pi: metadata.labels.app: must be string (got number 7)',
      expect.stringContaining('SparkJob/spark/pi: metadata.annotaions: unknown field'),
    ]);
  });

  test('unknown or unserved version', () => {
    const v2 = sparkJob();
    v2.apiVersion = 'example.com/v2';
    expect(onlyProblem([crd(), v2])).toBe('SparkJob/spark/pi: no schema for apiVersion "example.com/v2" kind "SparkJob": '
      + 'CRD sparkjobs.example.com has no version "v2" (it has v1, v1alpha1)');
    const alpha = sparkJob();
    alpha.apiVersion = 'example.com/v1alpha1';
    expect(onlyProblem([crd(), alpha])).toBe('SparkJob/spark/pi: version "v1alpha1" of CRD sparkjobs.example.com is not served');
  });

  test('options.crds must contain CRDs', () => {
    expect(() => validateManifests([], { crds: [service()] }))
      .toThrow('options.crds must only contain CustomResourceDefinition objects, got Service/spark/web');
  });
});

describe('k8s-type-map.json', () => {
  // Regenerating the map type-checks all of kubernetes-models (seconds); the
  // map records a digest of everything the generation reads instead, and this
  // compares it with the installed packages and the generator.
  test('is up to date with the installed kubernetes-models', () => {
    expect(typeMapProblems()).toEqual([]);
  });

  describe('a stale map is noticed', () => {
    let dir: string;
    let text: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-type-map-'));
      text = fs.readFileSync(TYPE_MAP_FILE, 'utf8');
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    const problemsOf = (content: string) => {
      const file = path.join(dir, 'k8s-type-map.json');
      fs.writeFileSync(file, content);
      return typeMapProblems(file);
    };
    const edit = (change: (map: any) => void) => {
      const map = JSON.parse(text);
      change(map);
      return serializeTypeMap(map);
    };

    test('an edited type', () => {
      const edited = edit((map) => { delete map.types.IoK8sApiCoreV1PodSpec.schedulerName; });
      expect(problemsOf(edited)).toEqual([expect.stringMatching(/k8s-type-map.json does not match its inputs digest: .*; regenerate it with: npx tsx scripts\/gen-k8s-type-map.ts$/)]);
    });

    test('another version of an input package', () => {
      const edited = edit((map) => { map.inputs.packages['node_modules/typescript'] = '0.0.1'; });
      expect(problemsOf(edited)).toEqual([
        expect.stringMatching(/generated with node_modules\/typescript 0.0.1, but \d+\.\d+\.\d+ is installed; regenerate/),
      ]);
      const models = edit((map) => { map.sources['kubernetes-models'] = '0.0.1'; });
      expect(problemsOf(models)).toEqual([
        expect.stringMatching(/generated from kubernetes-models 0.0.1, but \d+\.\d+\.\d+ is installed/),
        expect.stringContaining('does not match its inputs digest'),
      ]);
    });

    test('a digest from other inputs, a hand-formatted map, no digest', () => {
      expect(problemsOf(edit((map) => { map.inputs.digest = '0'.repeat(64); }))).toEqual([expect.stringContaining('does not match its inputs digest')]);
      expect(problemsOf(text.replace('\n  "kinds": {', '\n  "kinds":  {'))).toEqual([expect.stringContaining('is not laid out as the generator writes it')]);
      expect(problemsOf(edit((map) => { delete map.inputs; }))).toEqual([expect.stringContaining('records no inputs digest')]);
      expect(problemsOf(text)).toEqual([]);
    });
  });
});
