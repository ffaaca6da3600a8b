import { ApiObject, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import { ConfigMap, Cpu, EnvValue, Secret } from 'cdk8s-plus-28';
import {
  ArgoCdSyncLayer, ArgoCdSyncWaves, EventLogStore, ScheduledSparkApplication, NetworkPeer, SparkOperatorInstall, TenantEgress,
  SparkApplication, SparkApplicationProps, SparkApplicationType, SparkConf, SparkImage, SparkMemory, SparkOperatorCrds, SparkStandaloneCluster,
  StandaloneAuthentication, SparkSubmitJob,
  SparkTenant,
  TenantQuota,
  ZeppelinNotebook,
  TenantApiServerAccess,
} from '../../../src';
import { checkCluster, ModelObject } from '../../../src/core/cluster-model';
import { crdRule } from '../../../src/core/cluster-model/admission';
import { PolicyModel } from '../../../src/core/cluster-model/network-policy';
import { podSecurityViolations } from '../../../src/core/cluster-model/pod-security';
import { sparkPods } from '../../../src/core/cluster-model/spark-pods';
import { webhookRule } from '../../../src/core/cluster-model/webhooks';
import { s3Image } from '../../harness/images';

/** The API server's address, which every isolated tenant must state. */
const API = TenantApiServerAccess.toCidrs(['192.168.10.10/32']);

const objects = (c: Chart): ModelObject[] => Testing.synth(c).map((json) => ({ json }));
const synthError = (c: Chart): string => {
  try {
    c.toJson();
  } catch (e) {
    return (e as Error).message;
  }
  return '(synthesized without error)';
};

function chart(): Chart {
  return new Chart(Testing.app(), 'test');
}

const PI = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

/** The quota of examples/multi-tenant: CPU limits capped, so the LimitRange defaults a 1-core limit. */
const QUOTA: TenantQuota = {
  cpuRequests: Cpu.units(16), cpuLimits: Cpu.units(32), memoryRequests: Size.gibibytes(32), memoryLimits: Size.gibibytes(32),
};

describe('cluster model: API-server admission', () => {
  test('the operator CRDs carry the API approval their protected group needs (breaker 1)', () => {
    // kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/apihelpers/helpers.go:
    // IsProtectedCommunityGroup("sparkoperator.k8s.io") is true, and GetAPIApprovalState refuses a CRD
    // without api-approved.kubernetes.io; upstream's CRDs (spark-operator v2.5.2 config/crd/bases) carry PR 1298.
    const c = chart();
    new SparkOperatorCrds(c, 'Crds');
    const crds = objects(c);
    expect(crds).toHaveLength(3);
    for (const crd of crds) {
      expect(crd.json.metadata.annotations).toEqual({ 'api-approved.kubernetes.io': 'https://github.com/kubeflow/spark-operator/pull/1298' });
    }
    expect(checkCluster(crds)).toEqual([]);
  });

  describe('refuses CRDs the API server refuses', () => {
    const base = () => {
      const c = chart();
      new SparkOperatorCrds(c, 'Crds');
      return JSON.parse(JSON.stringify(objects(c)[0].json));
    };
    const cases: Array<[string, (crd: any) => void, string]> = [
      ['no approval annotation', (crd) => delete crd.metadata.annotations, 'group "sparkoperator.k8s.io" is protected'],
      ['an approval that is neither a URL nor "unapproved…"', (crd) => { crd.metadata.annotations['api-approved.kubernetes.io'] = 'yes'; }, '(got "yes")'],
      ['a name that is not <plural>.<group>', (crd) => { crd.metadata.name = 'sparkapps.sparkoperator.k8s.io'; }, 'name it "sparkapplications.sparkoperator.k8s.io"'],
      ['no storage version', (crd) => { crd.spec.versions[0].storage = false; }, 'exactly one storage version (has 0)'],
      ['an untyped schema node', (crd) => { delete crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.type; }, 'schema node .spec has no type'],
    ];
    test.each(cases)('%s', (_name, mutate, message) => {
      const crd = base();
      mutate(crd);
      const found = crdRule([{ json: crd, path: 'x/Crd' }]);
      expect(found).toHaveLength(1);
      expect(found[0]).toContain('CustomResourceDefinition');
      expect(found[0]).toContain(message);
    });

    test('"unapproved, …" is accepted, as the API server does', () => {
      const crd = base();
      crd.metadata.annotations['api-approved.kubernetes.io'] = 'unapproved, experimental';
      expect(crdRule([{ json: crd }])).toEqual([]);
    });
  });

  test('two operator installs in one app emit the CRDs twice: synth fails naming both', () => {
    const c = chart();
    new SparkOperatorCrds(c, 'A');
    new SparkOperatorCrds(c, 'B');
    const error = synthError(c);
    expect(error).toContain('CustomResourceDefinition sparkapplications.sparkoperator.k8s.io (test/B/SparkApplication) and '
      + 'CustomResourceDefinition sparkapplications.sparkoperator.k8s.io (test/A/SparkApplication): two objects with the same kind');
  });

  test('one identity per kind, namespace and name; the same name in another namespace or kind is fine', () => {
    const c = chart();
    const cm = (id: string, namespace: string, kind = 'ConfigMap') =>
      new ApiObject(c, id, { apiVersion: 'v1', kind, metadata: { name: 'conf', namespace } });
    cm('A', 'a');
    cm('B', 'b');
    cm('C', 'a', 'Secret');
    expect(checkCluster(objects(c))).toEqual([]);
    cm('D', 'a');
    new SparkOperatorCrds(c, 'Crds'); // a library construct: the model runs at synth
    expect(synthError(c)).toContain('ConfigMap a/conf (test/D) and ConfigMap a/conf (test/A): two objects with the same kind, namespace and name');
  });

  test('a fixed clusterIP or nodePort is allocated once', () => {
    const c = chart();
    const svc = (id: string, clusterIP: string, nodePort: number) => new ApiObject(c, id, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: id.toLowerCase(), namespace: 'r' },
      spec: { type: 'NodePort', clusterIP, ports: [{ port: 5000, nodePort }] },
    });
    svc('A', '10.96.0.50', 30500);
    svc('B', '10.96.0.51', 30501);
    expect(checkCluster(objects(c))).toEqual([]);
    svc('C', '10.96.0.50', 30501);
    const found = checkCluster(objects(c));
    expect(found).toEqual([
      expect.stringContaining('Service r/c and Service r/a both ask for clusterIP 10.96.0.50'),
      expect.stringContaining('Service r/c and Service r/b both ask for nodePort 30501'),
    ]);
  });
});

describe('cluster model: Pod Security admission', () => {
  const restrictedPod = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'app', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  };

  test('a pod that meets restricted passes every level', () => {
    for (const level of ['privileged', 'baseline', 'restricted'] as const) {
      expect(podSecurityViolations(restrictedPod, level)).toEqual([]);
    }
  });

  const cases: Array<[string, 'baseline' | 'restricted', (pod: any) => void, string]> = [
    ['hostNetwork', 'baseline', (p) => { p.hostNetwork = true; }, 'hostNetwork: true (Host Namespaces)'],
    ['hostPath', 'baseline', (p) => { p.volumes.push({ name: 'h', hostPath: { path: '/' } }); }, 'volume h is a hostPath'],
    ['privileged', 'baseline', (p) => { p.containers[0].securityContext.privileged = true; }, 'container app is privileged'],
    ['NET_ADMIN', 'baseline', (p) => { p.containers[0].securityContext.capabilities.add = ['NET_ADMIN']; }, 'adds capability NET_ADMIN'],
    ['hostPort', 'baseline', (p) => { p.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]; }, 'uses hostPort 80'],
    ['privilege escalation', 'restricted', (p) => { delete p.containers[0].securityContext.allowPrivilegeEscalation; }, 'allowPrivilegeEscalation: false'],
    ['root', 'restricted', (p) => { delete p.securityContext.runAsNonRoot; }, 'does not set runAsNonRoot: true'],
    ['seccomp', 'restricted', (p) => { delete p.securityContext.seccompProfile; }, 'no seccompProfile RuntimeDefault or Localhost'],
    ['capabilities kept', 'restricted', (p) => { p.containers[0].securityContext.capabilities.drop = []; }, 'does not drop ALL capabilities'],
    ['nfs volume', 'restricted', (p) => { p.volumes.push({ name: 'n', nfs: { server: 'x', path: '/' } }); }, 'volume n has type nfs'],
  ];
  test.each(cases)('%s is refused at %s', (_name, level, mutate, message) => {
    const pod = JSON.parse(JSON.stringify(restrictedPod));
    mutate(pod);
    expect(podSecurityViolations(pod, level).join('; ')).toContain(message);
    if (level === 'restricted') {
      expect(podSecurityViolations(pod, 'baseline')).toEqual([]);
    }
  });

  test('a workload in a restricted namespace of the app fails synth naming the control', () => {
    const c = chart();
    new SparkTenant(c, 'Tenant', { namespace: 'analytics', apiServer: API });
    new ApiObject(c, 'Debug', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'debug', namespace: 'analytics' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'sh', image: 'busybox' }] } } },
    });
    const error = synthError(c);
    expect(error).toContain('Deployment analytics/debug (test/Debug) pods: Namespace analytics (test/Tenant/Resource) enforces Pod Security "restricted"');
    expect(error).toContain('container sh does not set allowPrivilegeEscalation: false');
  });

  test('Spark pods the operator creates are checked with the security contexts the webhook applies', async () => {
    const c = chart();
    new SparkTenant(c, 'Tenant', { namespace: 'analytics', apiServer: API });
    const app = new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'analytics' });
    expect(synthError(c)).toBe('(synthesized without error)');
    // The findings of one synthesis are kept until the run ends (cdk8s validates once per chart).
    await new Promise((resolve) => setImmediate(resolve));
    (app.node.findChild('Resource') as ApiObject).addJsonPatch(JsonPatch.remove('/spec/executor/securityContext'));
    const error = synthError(c);
    expect(error).toContain('SparkApplication analytics/pi (test/Pi/Resource) executor pods: Namespace analytics');
    expect(error).toContain('container spark-kubernetes-executor does not set allowPrivilegeEscalation: false');
  });
});

describe('cluster model: the pods Spark creates, under LimitRange and ResourceQuota', () => {
  test('derives driver and executor pods as Spark sizes them (memory + max(10%, 384Mi) overhead, cores as request)', () => {
    const c = chart();
    new SparkApplication(c, 'Pi', { ...PI, namespace: 'jobs', executor: { instances: 3, cores: 2 } });
    const pods = sparkPods(objects(c));
    expect(pods.map((p) => [p.role, p.count, p.resources])).toEqual([
      ['driver', 1, { requests: { cpu: 1000, memory: (512 + 384) * 2 ** 20 }, limits: { cpu: undefined, memory: (512 + 384) * 2 ** 20 } }],
      ['executor', 3, { requests: { cpu: 2000, memory: (512 + 384) * 2 ** 20 }, limits: { cpu: undefined, memory: (512 + 384) * 2 ** 20 } }],
    ]);
  });

  test('Python applications get the 0.4 non-JVM overhead factor', () => {
    const c = chart();
    new SparkApplication(c, 'Py', {
      type: SparkApplicationType.PYTHON,
      namespace: 'jobs',
      mainApplicationFile: 'local:///opt/app/main.py',
      executor: { memory: SparkMemory.gibibytes(4) },
    });
    const executor = sparkPods(objects(c)).find((p) => p.role === 'executor')!;
    // floor(0.4 x 4096) = 1638 MiB of overhead (0.1 would give 409).
    expect(executor.resources.requests.memory).toBe((4096 + 1638) * 2 ** 20);
  });

  test('breaker 5: a 2-core executor in a tenant whose quota caps CPU limits is refused, naming job, tenant and numbers', () => {
    // The LimitRanger plugin (kubernetes/kubernetes plugin/pkg/admission/limitranger/admission.go) gives a container
    // without a CPU limit the LimitRange default (1 core here); Spark sets no CPU limit unless asked
    // (apache/spark resource-managers/kubernetes/core BasicExecutorFeatureStep), so request 2 > limit 1 and pod
    // validation refuses every executor.
    const c = chart();
    new SparkTenant(c, 'Analytics', { namespace: 'analytics', apiServer: API, quota: QUOTA });
    new SparkApplication(c, 'DailyRevenue', { ...PI, name: 'daily-revenue', namespace: 'analytics', executor: { instances: 4, cores: 2 } });
    const error = synthError(c);
    expect(error).toContain('SparkApplication analytics/daily-revenue (test/DailyRevenue/Resource) executors (4): '
      + 'container spark-kubernetes-executor requests 2 cpu above its cpu limit 1 that LimitRange analytics/');
    expect(error).toContain('(test/Analytics/LimitRange) gives containers without one');
    expect(error).toContain('executor.coreLimit (spark.kubernetes.executor.limit.cores)');
  });

  test('the same job with its own CPU limit, or with defaults, is admitted', () => {
    for (const executor of [{ instances: 4, cores: 2, coreLimit: '2' }, {}]) {
      const c = chart();
      new SparkTenant(c, 'Analytics', { namespace: 'analytics', apiServer: API, quota: QUOTA });
      new SparkApplication(c, 'Job', { ...PI, namespace: 'analytics', executor });
      expect(synthError(c)).toBe('(synthesized without error)');
    }
  });

  test('spark-submit jobs are derived from their --conf arguments', () => {
    const c = chart();
    new SparkTenant(c, 'Analytics', { namespace: 'analytics', apiServer: API, quota: QUOTA });
    new SparkSubmitJob(c, 'Submit', { ...PI, namespace: 'analytics', driver: { cores: 3 } });
    expect(synthError(c)).toContain('Job analytics/');
    expect(synthError(c)).toContain('driver: container spark-kubernetes-driver requests 3 cpu above its cpu limit 1');
  });

  test('a job that alone needs more than the tenant quota can never run', () => {
    const c = chart();
    new SparkTenant(c, 'Small', { namespace: 'small', apiServer: API, quota: { cpuRequests: Cpu.units(4), memoryRequests: Size.gibibytes(8) } });
    new SparkApplication(c, 'Big', { ...PI, name: 'big', namespace: 'small', executor: { instances: 10 } });
    const error = synthError(c);
    // 1 driver + 10 executors x 1 core = 11 cores of requests.cpu against a hard 4.
    expect(error).toContain('SparkApplication small/big (test/Big/Resource): needs 11 of requests.cpu on its own, more than the 4 that ResourceQuota small/');
    // and (512 + 384) MiB x 11 = 9856Mi of requests.memory against 8Gi.
    expect(error).toContain('needs 9856Mi of requests.memory on its own, more than the 8Gi');
  });

  test('LimitRange max and min bound the containers', () => {
    const c = chart();
    new SparkTenant(c, 'Capped', { namespace: 'capped', apiServer: API, containerDefaults: { maxMemory: Size.mebibytes(768) } });
    new SparkApplication(c, 'Job', { ...PI, name: 'job', namespace: 'capped' });
    expect(synthError(c)).toContain('has a memory limit of 896Mi, above the maximum 768Mi of LimitRange capped/');
  });

  test('a quota that tracks a figure nothing supplies refuses the pod', () => {
    const found = checkCluster([
      { json: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'n' }, spec: { hard: { 'limits.cpu': '4' } } } },
      {
        json: {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'j', namespace: 'n' },
          spec: { template: { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] } } },
        },
      },
    ]);
    expect(found).toEqual([expect.stringContaining('Job n/j pods: container c states no limits.cpu and nothing in the namespace supplies one, '
      + 'but ResourceQuota n/q tracks limits.cpu; the API server refuses the pod ("must specify limits.cpu")')]);
  });

  test('LimitRange defaults as the API server stores them: default from max, defaultRequest from default', () => {
    // kubernetes/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem.
    const found = checkCluster([
      { json: { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l', namespace: 'n' }, spec: { limits: [{ type: 'Container', max: { cpu: '500m' } }] } } },
      {
        json: {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'j', namespace: 'n' },
          spec: { template: { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] } } },
        },
      },
    ]);
    expect(found).toEqual([expect.stringContaining('container c requests 1 cpu above its cpu limit 500m that LimitRange n/l gives containers without one')]);
  });
});

describe('cluster model: client-mode drivers are reachable', () => {
  const job = (env: any[], args: string[] = []) => ({
    json: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'submit', namespace: 'n' },
      spec: {
        template: {
          spec: {
            containers: [{
              name: 'spark-submit',
              env,
              command: ['/opt/spark/bin/spark-submit', '--master', 'spark://m:7077', '--deploy-mode', 'client', ...args, 'local:///app.jar'],
            }],
          },
        },
      },
    },
  });
  const podIp = { name: 'SPARK_LOCAL_HOSTNAME', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } };

  test('the pod IP through SPARK_LOCAL_HOSTNAME or $(VAR), an IP, or a Service of the app are reachable', () => {
    expect(checkCluster([job([podIp])])).toEqual([]);
    expect(checkCluster([job([{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }], ['--conf', 'spark.driver.host=$(IP)'])])).toEqual([]);
    expect(checkCluster([job([], ['--conf', 'spark.driver.host=10.0.0.7'])])).toEqual([]);
    expect(checkCluster([job([], ['--conf', 'spark.driver.host=drv.n.svc']),
      { json: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'drv', namespace: 'n' }, spec: { clusterIP: 'None' } } }])).toEqual([]);
  });

  const bad: Array<[string, any, string]> = [
    ['nothing set (the bare pod hostname)', job([]), 'sets neither spark.driver.host nor SPARK_LOCAL_HOSTNAME'],
    ['a Service the app does not have', job([], ['--conf', 'spark.driver.host=drv.n.svc']), 'no Service drv in namespace n is part of the app'],
    ['a variable that is not the pod IP', job([{ name: 'H', value: 'x' }], ['--conf', 'spark.driver.host=$(H)']), 'not the pod IP'],
    ['a plain hostname', job([], ['--conf', 'spark.driver.host=submit-abc']), 'at "submit-abc": no DNS server resolves it'],
  ];
  test.each(bad)('refused: %s', (_name, o, message) => {
    const found = checkCluster([o]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('Job n/submit: container spark-submit runs a client-mode Spark driver whose executors cannot dial it back');
    expect(found[0]).toContain(message);
  });
});

describe('cluster model: the network under the app\'s NetworkPolicies', () => {
  const policy = (name: string, spec: any) => ({ json: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'n' }, spec } });
  const a = { namespace: 'n', labels: { app: 'a' } };
  const b = { namespace: 'n', labels: { app: 'b' } };

  test('NetworkPolicy semantics: isolation per direction, additive allows, namespace and ip peers, ports', () => {
    expect(new PolicyModel([]).allows(a, b, 80)).toBe(true);
    const deny = policy('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(new PolicyModel([deny]).allows(a, b, 80)).toBe(false);
    const egress = policy('out', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 80 }] }] });
    const ingress = policy('in', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
    const m = new PolicyModel([deny, egress, ingress]);
    expect(m.allows(a, b, 80)).toBe(true);
    expect(m.allows(a, b, 81)).toBe(false); // egress names port 80 only
    expect(m.allows(b, a, 80)).toBe(false); // b has no egress
    // A namespaceSelector matches the label the API server puts on every namespace.
    const dns = policy('dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }] });
    const m2 = new PolicyModel([deny, dns]);
    expect(m2.allows(a, { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, 53, 'UDP')).toBe(true);
    expect(m2.allows(a, { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, 53, 'TCP')).toBe(false);
    expect(m2.allows(a, { namespace: 'other', labels: { 'k8s-app': 'kube-dns' } }, 53, 'UDP')).toBe(false);
    const ip = policy('ip', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] });
    const m3 = new PolicyModel([deny, ip]);
    expect(m3.allows(a, { ip: '10.2.3.4' }, 6443)).toBe(true);
    expect(m3.allows(a, { ip: '10.1.3.4' }, 6443)).toBe(false);
  });

  test('a Spark application in a namespace that denies everything fails synth, naming the blocked edges', () => {
    const c = chart();
    new ApiObject(c, 'Deny', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'jobs' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs' });
    const error = synthError(c);
    expect(error).toContain('SparkApplication jobs/pi (test/Pi/Resource): driver to cluster DNS (kube-system, k8s-app=kube-dns, 53/UDP) is blocked');
    expect(error).toContain('executor to driver on port 7078 is blocked');
    expect(error).toContain('driver to the Kubernetes API server (443/6443) is blocked');
  });

  test('a tenant\'s default policies let its Spark jobs work', () => {
    const c = chart();
    new SparkTenant(c, 'T', { namespace: 'jobs', apiServer: API });
    new SparkApplication(c, 'Pi', { ...PI, namespace: 'jobs' });
    expect(synthError(c)).toBe('(synthesized without error)');
  });

  test('a standalone cluster inside a tenant works with the tenant\'s default policies (its pods carry spark-role)', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'analytics' });
    new SparkTenant(c, 'T', { namespace: 'analytics', apiServer: API });
    const cluster = new SparkStandaloneCluster(c, 'Cluster', {
      image: SparkImage.apache('3.5.7'),
      authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(c, 'Auth', 'spark-auth') }),
    });
    cluster.submitJob('Pi', { mainClass: PI.mainClass, mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.7.jar' });
    new ZeppelinNotebook(c, 'Notebook', { cluster, image: 'docker.io/apache/zeppelin:0.12.0' });
    expect(synthError(c)).toBe('(synthesized without error)');
    const roles = Testing.synth(c).filter((m) => m.spec?.template?.metadata?.labels).map((m) => `${m.metadata.name}=${m.spec.template.metadata.labels['spark-role']}`);
    expect(roles).toEqual(expect.arrayContaining(['spark-master=master', 'spark-worker=worker', expect.stringMatching(/-pi-.*=driver$/), expect.stringMatching(/=driver$/)]));
  });
});

describe('cluster model: agrees with upstream (review against the sources)', () => {
  const app = (spec: any, kind = 'SparkApplication') => ({
    path: 'test/App',
    json: { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind, metadata: { name: 'job', namespace: 'n' }, spec },
  });
  const quota = (hard: any) => ({ json: { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'n' }, spec: { hard } } });
  const executorOf = (o: ModelObject) => sparkPods([o]).find((p) => p.role === 'executor')!;
  const MiB = 2 ** 20;

  test('the operator runs one executor when a SparkApplication names no instances', () => {
    // kubeflow/spark-operator v2.5.2 api/v1beta2/defaults.go setExecutorSpecDefaults: Instances = 1 when neither
    // executor.instances nor sparkConf spark.executor.instances is given and dynamic allocation is off.
    expect(executorOf(app({ type: 'Scala' })).count).toBe(1);
    expect(checkCluster([quota({ pods: '2' }), app({ type: 'Scala' })])).toEqual([]);
    expect(executorOf(app({ type: 'Scala', sparkConf: { 'spark.executor.instances': '3' } })).count).toBe(3);
  });

  test('under dynamic allocation Spark starts max(minExecutors, initialExecutors, spark.executor.instances)', () => {
    // apache/spark core/src/main/scala/org/apache/spark/util/Utils.scala getDynamicAllocationInitialExecutors.
    expect(executorOf(app({ executor: { instances: 4 }, dynamicAllocation: { enabled: true, minExecutors: 1 } })).count).toBe(4);
    expect(executorOf(app({ sparkConf: { 'spark.dynamicAllocation.enabled': 'true', 'spark.dynamicAllocation.initialExecutors': '5' } })).count).toBe(5);
  });

  test('off-heap memory is part of the executor container', () => {
    // apache/spark core/src/main/scala/org/apache/spark/resource/ResourceProfile.scala getResourcesForClusterManager:
    // totalMemMiB = heap + overhead + off-heap (when spark.memory.offHeap.enabled) + PySpark memory (Python apps only).
    const conf = { 'spark.memory.offHeap.enabled': 'true', 'spark.memory.offHeap.size': '2g' };
    expect(executorOf(app({ type: 'Scala', sparkConf: conf })).resources.requests.memory).toBe((1024 + 384 + 2048) * MiB);
    // The size is in bytes when it has no unit (spark.memory.offHeap.size is a bytes config).
    const bytes = { 'spark.memory.offHeap.enabled': 'true', 'spark.memory.offHeap.size': String(512 * MiB) };
    expect(executorOf(app({ type: 'Scala', sparkConf: bytes })).resources.requests.memory).toBe((1024 + 384 + 512) * MiB);
    const off = { 'spark.memory.offHeap.enabled': 'false', 'spark.memory.offHeap.size': '2g' };
    expect(executorOf(app({ type: 'Scala', sparkConf: off })).resources.requests.memory).toBe((1024 + 384) * MiB);
    const found = checkCluster([quota({ 'requests.memory': '4Gi' }), app({ type: 'Scala', executor: { instances: 1 }, sparkConf: conf })]);
    expect(found).toEqual([expect.stringContaining('SparkApplication n/job (test/App): needs 4864Mi of requests.memory on its own, more than the 4Gi')]);
  });

  test('spark.executor.pyspark.memory counts for Python applications only', () => {
    const conf = { 'spark.executor.pyspark.memory': '1g' };
    expect(executorOf(app({ type: 'Scala', sparkConf: conf })).resources.requests.memory).toBe((1024 + 384) * MiB);
    // Python: overhead floor(0.4 x 1024) = 409 MiB (the non-JVM factor), plus 1 GiB of PySpark memory.
    expect(executorOf(app({ type: 'Python', sparkConf: conf })).resources.requests.memory).toBe((1024 + 409 + 1024) * MiB);
  });

  test('spark.executor.minMemoryOverhead counts from Spark 4.0 only', () => {
    // apache/spark core/src/main/scala/org/apache/spark/internal/config/package.scala: DRIVER_MIN_MEMORY_OVERHEAD and
    // EXECUTOR_MIN_MEMORY_OVERHEAD have version 4.0.0; Spark 3.5's ResourceProfile keeps MEMORY_OVERHEAD_MIN_MIB = 384.
    const conf = { 'spark.executor.minMemoryOverhead': '1g' };
    expect(executorOf(app({ type: 'Scala', sparkVersion: '3.5.7', sparkConf: conf })).resources.requests.memory).toBe((1024 + 384) * MiB);
    expect(executorOf(app({ type: 'Scala', sparkVersion: '4.0.1', sparkConf: conf })).resources.requests.memory).toBe((1024 + 1024) * MiB);
  });

  test('sparkConf spark.kubernetes.memoryOverheadFactor wins over spec.memoryOverheadFactor', () => {
    // kubeflow/spark-operator v2.5.2 internal/controller/sparkapplication/submission.go: memoryOverheadFactorOption
    // comes before sparkConfOption, and spark-submit keeps the last --conf of a key.
    const spec = { type: 'Scala', memoryOverheadFactor: '0.5', sparkConf: { 'spark.kubernetes.memoryOverheadFactor': '0.2' }, executor: { memory: '4g' } };
    expect(executorOf(app(spec)).resources.requests.memory).toBe((4096 + 819) * MiB);
  });

  test('memoryLimit in Java notation is converted the way the operator webhook converts it', () => {
    // kubeflow/spark-operator v2.5.2 internal/webhook/sparkpod_defaulter.go addMemoryLimit and
    // pkg/util/util.go ConvertJavaMemoryStringToK8sMemoryString: "2g" -> "2Gi".
    expect(executorOf(app({ type: 'Scala', executor: { memoryLimit: '2g' } })).resources.limits.memory).toBe(2048 * MiB);
    expect(executorOf(app({ type: 'Scala', executor: { memoryLimit: '1536Mi' } })).resources.limits.memory).toBe(1536 * MiB);
  });

  test('quota usage of a pod counts init containers as the largest of them, not their sum', () => {
    // kubernetes/kubernetes pkg/quota/v1/evaluator/core/pods.go PodUsageFunc uses resourcehelper.PodRequests
    // (staging/src/k8s.io/component-helpers/resource/helpers.go): max(sum of containers, each init container).
    const job = {
      json: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'j', namespace: 'n' },
        spec: {
          template: {
            spec: {
              initContainers: [{ name: 'init', resources: { requests: { cpu: '1' }, limits: { cpu: '1' } } }],
              containers: [{ name: 'main', resources: { requests: { cpu: '1' }, limits: { cpu: '1' } } }],
            },
          },
        },
      },
    };
    expect(checkCluster([quota({ 'requests.cpu': '1500m' }), job])).toEqual([]);
    expect(checkCluster([quota({ 'requests.cpu': '500m' }), job])).toEqual([expect.stringContaining('Job n/j: needs 1 of requests.cpu on its own')]);
  });

  test('LimitRange maxLimitRequestRatio bounds limit / request', () => {
    // kubernetes/kubernetes plugin/pkg/admission/limitranger/admission.go limitRequestRatioConstraint.
    const range = { json: { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l', namespace: 'n' }, spec: { limits: [{ type: 'Container', maxLimitRequestRatio: { memory: '1' } }] } } };
    // Spark sets the memory limit to the request: ratio 1 passes.
    expect(checkCluster([range, app({ type: 'Scala' })])).toEqual([]);
    // The operator's pod webhook raises the executor's limit to memoryLimit: 2Gi / 1408Mi is above 1.
    expect(checkCluster([range, app({ type: 'Scala', executor: { memoryLimit: '2Gi' } })])).toEqual([expect.stringContaining(
      'SparkApplication n/job (test/App) executor: container spark-kubernetes-executor has a memory limit of 2Gi for a request of 1408Mi, '
      + 'a ratio of 1.45 above the maxLimitRequestRatio 1 of LimitRange n/l')]);
    const cpu = { json: { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l', namespace: 'n' }, spec: { limits: [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }] } } };
    // Spark sets no CPU limit and nothing supplies one.
    expect(checkCluster([cpu, app({ type: 'Scala' })])).toEqual(expect.arrayContaining([expect.stringContaining(
      'container spark-kubernetes-driver has no limit for cpu (or 0), but LimitRange n/l sets maxLimitRequestRatio 2 for it')]));
  });

  test('NetworkPolicy policyTypes default as the API server stores them', () => {
    // kubernetes/kubernetes pkg/apis/networking/v1/defaults.go SetDefaults_NetworkPolicy: an empty policyTypes list
    // means Ingress, plus Egress only when the egress list is non-empty.
    const policy = (spec: any) => ({ json: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'n' }, spec } });
    const a = { namespace: 'n', labels: { app: 'a' } };
    const b = { namespace: 'n', labels: { app: 'b' } };
    // egress: [] without policyTypes isolates ingress only.
    const m = new PolicyModel([policy({ podSelector: {}, egress: [] })]);
    expect(m.allows(a, { ip: '10.0.0.1' }, 443)).toBe(true);
    expect(m.allows(a, b, 80)).toBe(false);
    // policyTypes: [] is defaulted too (to Ingress).
    expect(new PolicyModel([policy({ podSelector: {}, policyTypes: [] })]).allows(a, b, 80)).toBe(false);
  });

  test('an egress rule with no "to" reaches the API server', () => {
    // https://kubernetes.io/docs/concepts/services-networking/network-policies/ and NetworkPolicyEgressRule.to:
    // an empty or missing list matches all destinations.
    const c = chart();
    new ApiObject(c, 'AllOut', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'all-out', namespace: 'jobs' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
    });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs' });
    expect(synthError(c)).toBe('(synthesized without error)');
  });

  test('the Spark ports follow the conf, and a policy may name them', () => {
    // apache/spark BasicDriverFeatureStep: spark.driver.port (7078) is the container port "driver-rpc-port",
    // spark.driver.blockManager.port / spark.blockManager.port (7079) "blockmanager" (Constants.scala).
    const c = chart();
    const policy = (name: string, spec: any) => new ApiObject(c, name, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'jobs' }, spec });
    policy('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('out', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
    policy('driver-in', {
      podSelector: { matchLabels: { 'spark-role': 'driver' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 'driver-rpc-port' }, { port: 'blockmanager' }] }],
    });
    policy('executor-in', { podSelector: { matchLabels: { 'spark-role': 'executor' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 7079 }] }] });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs' });
    expect(synthError(c)).toBe('(synthesized without error)');

    const moved = chart();
    new ApiObject(moved, 'Policy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'jobs' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{}], ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 7078 }, { port: 7079 }] }] },
    });
    new ApiObject(moved, 'App', {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { name: 'pi', namespace: 'jobs' },
      spec: { type: 'Scala', sparkConf: { 'spark.driver.port': '7100' } },
    });
    expect(checkCluster(objects(moved).map((o) => ({ ...o, path: 'test/App' }))))
      .toEqual([expect.stringContaining('SparkApplication jobs/pi (test/App): executor to driver on port 7100 is blocked')]);
  });

  const pss: Array<[string, (pod: any) => void, string]> = [
    // staging/src/k8s.io/pod-security-admission/policy/check_runAsUser.go: the pod's runAsUser=0 is refused even when
    // every container sets another uid.
    ['runAsUser 0 on the pod', (p) => { p.securityContext.runAsUser = 0; p.containers[0].securityContext.runAsUser = 185; }, 'the pod sets runAsUser: 0'],
    // check_runAsNonRoot.go: the pod's runAsNonRoot=false is refused even when the containers set true.
    ['runAsNonRoot false on the pod', (p) => { p.securityContext.runAsNonRoot = false; p.containers[0].securityContext.runAsNonRoot = true; }, 'the pod sets runAsNonRoot: false'],
    // check_seccompProfile_baseline.go: the pod's Unconfined profile is refused even when containers override it.
    ['seccomp Unconfined on the pod', (p) => { p.securityContext.seccompProfile = { type: 'Unconfined' }; p.containers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' }; }, 'the pod sets seccomp Unconfined'],
  ];
  test.each(pss)('Pod Security: %s is refused', (_name, mutate, message) => {
    const pod = {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    };
    mutate(pod);
    expect(podSecurityViolations(pod, 'restricted').join('; ')).toContain(message);
  });

  test('Pod Security: a pod in its own user namespace (hostUsers: false) need not set runAsNonRoot', () => {
    // check_runAsNonRoot.go relaxPolicyForUserNamespacePod (KEP-127).
    const pod = {
      hostUsers: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    };
    expect(podSecurityViolations(pod, 'restricted')).toEqual([]);
  });
});

describe('cluster model: webhooks that would reject the app\'s own objects', () => {
  /** A raw SparkApplication (or ScheduledSparkApplication) in `namespace`, as a user could write it. */
  const raw = (c: Chart, id: string, spec: any, props: { name?: string; namespace?: string; kind?: string } = {}) => new ApiObject(c, id, {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: props.kind ?? 'SparkApplication',
    metadata: { name: props.name ?? 'job', namespace: props.namespace ?? 'jobs' },
    spec,
  });
  const APP = { type: 'Scala', mode: 'cluster', sparkVersion: '3.5.7', image: 'apache/spark:3.5.7', mainClass: PI.mainClass, mainApplicationFile: PI.mainApplicationFile };

  test('the operator install and its jobs, in the default sync waves, pass', () => {
    const c = chart();
    new SparkOperatorInstall(c, 'Operator', { jobNamespaces: ['jobs'] });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs' });
    ArgoCdSyncWaves.apply(c);
    expect(synthError(c)).toBe('(synthesized without error)');
  });

  // kubeflow/spark-operator v2.5.2 internal/webhook/sparkapplication_validator.go (validateName, validateSpec,
  // validateSparkVersion), scheduledsparkapplication_validator.go and sparkconf_validator.go.
  const refused: Array<[string, (c: Chart) => void, string]> = [
    ['a name that is not a DNS-1035 label', (c) => raw(c, 'Bad', APP, { name: '1st-job' }), 'its name "1st-job" is not a DNS-1035 label'],
    ['spark.master in sparkConf', (c) => raw(c, 'Bad', { ...APP, sparkConf: { 'spark.master': 'local[*]' } }), 'spec.sparkConf sets spark.master, which the operator refuses'],
    ['an image in sparkConf', (c) => raw(c, 'Bad', { ...APP, sparkConf: { 'spark.kubernetes.container.image': 'x' } }), 'sets spark.kubernetes.container.image'],
    ['another namespace in sparkConf', (c) => raw(c, 'Bad', { ...APP, sparkConf: { 'spark.kubernetes.namespace': 'other' } }), 'spark.kubernetes.namespace to "other", not the object\'s namespace "jobs"'],
    ['nodeSelector on the app and the driver', (c) => raw(c, 'Bad', { ...APP, nodeSelector: { a: 'b' }, driver: { nodeSelector: { c: 'd' } } }), 'spec.nodeSelector is set together with a driver or executor nodeSelector'],
    ['a pod template before Spark 3', (c) => raw(c, 'Bad', { ...APP, sparkVersion: '2.4.8', executor: { template: {} } }), 'needs spec.sparkVersion 3.0.0 or later (got "2.4.8")'],
    ['a repeated driver ingress port', (c) => raw(c, 'Bad', { ...APP, driverIngressOptions: [{ servicePort: 4040, ingressURLFormat: 'a' }, { servicePort: 4040, ingressURLFormat: 'b' }] }), 'driverIngressOptions repeats servicePort 4040'],
    ['a ScheduledSparkApplication name with an underscore', (c) => raw(c, 'Bad', { schedule: '@daily', template: APP }, { kind: 'ScheduledSparkApplication', name: 'nightly_job' }), 'ScheduledSparkApplication jobs/nightly_job (test/Bad): the Spark operator\'s validating webhook validate-sparkoperator-k8s-io-v1beta2-scheduledsparkapplication'],
    ['a scheduled template with spark.master', (c) => raw(c, 'Bad', { schedule: '@daily', template: { ...APP, sparkConf: { 'spark.master': 'x' } } }, { kind: 'ScheduledSparkApplication' }), 'spec.template.sparkConf sets spark.master'],
    ['a scheduled template the SparkApplication validator refuses', (c) => raw(c, 'Bad', { schedule: '@daily', template: { ...APP, nodeSelector: { a: 'b' }, executor: { nodeSelector: { c: 'd' } } } }, { kind: 'ScheduledSparkApplication' }), 'every run fails, as the Spark operator\'s validating webhook validate-sparkoperator-k8s-io-v1beta2-sparkapplication'],
    ['a memoryLimit the pod webhook cannot read', (c) => raw(c, 'Bad', { ...APP, executor: { memoryLimit: '2G' } }), 'refuses every executor pod: it turns spec.executor.memoryLimit "2G" into "2GGi", which is not a quantity'],
  ];
  test.each(refused)('refused at synth: %s', (_name, add, message) => {
    const c = chart();
    new SparkOperatorInstall(c, 'Operator', { jobNamespaces: ['jobs'] });
    add(c);
    const error = synthError(c);
    expect(error).toContain('cluster model: ');
    expect(error).toContain('(test/Bad)');
    expect(error).toContain(message);
  });

  test('objects in namespaces the webhook does not select are not its business', () => {
    const c = chart();
    new SparkOperatorInstall(c, 'Operator', { jobNamespaces: ['jobs'] });
    raw(c, 'Elsewhere', { ...APP, sparkConf: { 'spark.master': 'local[*]' } }, { namespace: 'other' });
    expect(webhookRule(objects(c))).toEqual([]);
  });

  test('with quota enforcement, the webhook charges the operator\'s own estimate against the namespace quota', () => {
    // kubeflow/spark-operator v2.5.2 internal/webhook/resourcequota.go getCoresRequests: cores x 1000 per pod,
    // whatever coreRequest says; Spark itself requests 500m per executor here (within the quota).
    const build = (enforce: boolean) => {
      const c = chart();
      new SparkOperatorInstall(c, 'Operator', { jobNamespaces: ['jobs'], webhook: { resourceQuotaEnforcement: enforce } });
      new ApiObject(c, 'Quota', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'jobs' }, spec: { hard: { 'requests.cpu': '4' } } });
      raw(c, 'Bad', { ...APP, executor: { instances: 4, cores: 1, coreRequest: '500m' } });
      return c;
    };
    expect(synthError(build(false))).toBe('(synthesized without error)');
    expect(synthError(build(true))).toContain('SparkApplication jobs/job (test/Bad): the Spark operator\'s validating webhook '
      + 'validate-sparkoperator-k8s-io-v1beta2-sparkapplication.sparkoperator.k8s.io of ValidatingWebhookConfiguration spark-operator-webhook '
      + '(test/Operator/Webhook/Validating) refuses it: its requests.cpu of 5 (the operator\'s own estimate) is above the 4 of ResourceQuota jobs/q (test/Quota)');
  });

  test('jobs moved into the operator\'s sync wave reach the API server before the webhook serves', () => {
    const c = chart();
    new SparkOperatorInstall(c, 'Operator', { jobNamespaces: ['jobs'] });
    const job = new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs' });
    ArgoCdSyncWaves.apply(c).assign(job, ArgoCdSyncLayer.OPERATOR);
    const error = synthError(c);
    expect(error).toContain('SparkApplication jobs/pi (test/Pi/Resource) (sync wave -20) is created before webhook '
      + 'validate-sparkoperator-k8s-io-v1beta2-sparkapplication.sparkoperator.k8s.io of ValidatingWebhookConfiguration spark-operator-webhook');
    expect(error).toContain('is ready only after wave -20); with failurePolicy Fail the API server refuses it. Fix: put it in a wave after -20');
  });

  test('a failurePolicy Fail webhook that catches its own pods, and the same with Ignore or an exclusion', () => {
    const objs = (failurePolicy: string | undefined, namespaceSelector?: any): ModelObject[] => [
      { path: 'x/Svc', json: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hook', namespace: 'sys' }, spec: { selector: { app: 'hook' } } } },
      {
        path: 'x/Deploy',
        json: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'hook', namespace: 'sys' },
          spec: { selector: { matchLabels: { app: 'hook' } }, template: { metadata: { labels: { app: 'hook' } }, spec: { containers: [{ name: 'c' }] } } },
        },
      },
      {
        path: 'x/Config',
        json: {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'MutatingWebhookConfiguration',
          metadata: { name: 'hooks' },
          webhooks: [{
            name: 'pods.example.com',
            failurePolicy,
            namespaceSelector,
            sideEffects: 'None',
            admissionReviewVersions: ['v1'],
            clientConfig: { service: { namespace: 'sys', name: 'hook', path: '/mutate' } },
            rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], operations: ['CREATE'] }],
          }],
        },
      },
    ];
    // failurePolicy defaults to Fail (admissionregistration.k8s.io/v1).
    expect(webhookRule(objs(undefined))).toEqual([expect.stringContaining('webhook pods.example.com of MutatingWebhookConfiguration hooks (x/Config) '
      + '(failurePolicy Fail) catches the pods of Deployment sys/hook (x/Deploy), which serve it')]);
    expect(webhookRule(objs('Ignore'))).toEqual([]);
    const notSys = { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['sys'] }] };
    expect(webhookRule(objs('Fail', notSys))).toEqual([]);
  });
});

describe('cluster model: Spark drivers reach their event-log store and metastore', () => {
  const minio = () => EventLogStore.s3({ bucket: 'spark-events', endpoint: 'http://minio.storage.svc:9000', pathStyleAccess: true });

  test('a tenant job writing event logs to an in-cluster S3 it may not reach fails synth, naming the endpoint and the fix', () => {
    const c = chart();
    new SparkTenant(c, 'T', { namespace: 'jobs', apiServer: API });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs', image: s3Image(), eventLog: minio() });
    expect(synthError(c)).toContain('SparkApplication jobs/pi (test/Pi/Resource): driver to the event-log store minio.storage.svc:9000 is blocked '
      + 'by the NetworkPolicies of the app. Fix: allow egress to it (TenantEgress.toEventLogStore / toMetastore with a NetworkPeer in namespace storage)');
  });

  test('with the tenant\'s egress to the store, or outside any policy, the same job synthesizes', () => {
    const store = minio();
    const allowed = chart();
    new SparkTenant(allowed, 'T', {
      namespace: 'jobs', apiServer: API, egress: [TenantEgress.toEventLogStore(store, NetworkPeer.namespace('storage', { app: 'minio' }))],
    });
    new SparkApplication(allowed, 'Pi', { ...PI, namespace: 'jobs', image: s3Image(), eventLog: store });
    expect(synthError(allowed)).toBe('(synthesized without error)');
    const open = chart();
    new SparkApplication(open, 'Pi', { ...PI, namespace: 'jobs', image: s3Image(), eventLog: minio() });
    expect(synthError(open)).toBe('(synthesized without error)');
  });

  test('the metastore a driver names through hadoopConf or sparkConf, inside or outside the cluster', () => {
    const deny = { json: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'n' }, spec: { podSelector: {}, policyTypes: ['Egress'] } } };
    const app = (sparkConf: any, hadoopConf?: any) => ({
      json: { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'a', namespace: 'n' }, spec: { mode: 'cluster', sparkConf, hadoopConf } },
    });
    const blocked = (o: any) => checkCluster([deny, o]).filter((f) => f.includes('the Hive metastore'));
    expect(blocked(app({}, { 'hive.metastore.uris': 'thrift://metastore.hive.svc:9083' }))[0]).toContain('driver to the Hive metastore metastore.hive.svc:9083');
    expect(blocked(app({ 'spark.hadoop.hive.metastore.uris': 'thrift://10.0.0.5:9083' }))[0]).toContain('driver to the Hive metastore 10.0.0.5:9083');
    const toHive = {
      json: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'hive', namespace: 'n' },
        spec: {
          podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'hive' } } }], ports: [{ port: 9083 }] }],
        },
      },
    };
    expect(checkCluster([deny, toHive, app({}, { 'hive.metastore.uris': 'thrift://metastore.hive.svc:9083' })]).filter((f) => f.includes('metastore'))).toEqual([]);
  });
});

describe('cluster model: drivers reach the repositories of their packages', () => {
  // The driver resolves deps.packages itself (apache/spark SparkSubmit.scala, cluster mode) from Maven
  // Central and repos.spark-packages.org, or DEFAULT_ARTIFACT_REPOSITORY, then deps.repositories
  // (apache/spark common/utils MavenUtils.scala createRepoResolvers, processRemoteRepoArg).
  const PACKAGES = { packages: ['org.apache.hadoop:hadoop-aws:3.4.1'] };
  const MIRROR = 'http://nexus.nexus.svc:8081/repository/maven-public/';
  const TO_NEXUS = TenantEgress.toNamespace('maven', 'nexus', [8081]);
  // The API server on 6443 only: an address block open on 443 might be a repository's (its address is not known).
  const API_6443 = TenantApiServerAccess.toCidrs(['192.168.10.10/32'], [6443]);
  const CENTRAL = 'repo1.maven.org:443, repos.spark-packages.org:443';

  test('a job with packages in a tenant without egress to any repository fails synth, naming them and the fix', () => {
    const c = chart();
    new SparkTenant(c, 'T', { namespace: 'jobs', apiServer: API_6443 });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs', deps: PACKAGES });
    expect(synthError(c)).toContain('SparkApplication jobs/pi (test/Pi/Resource): driver to the repositories of its packages '
      + `(deps.packages: ${CENTRAL}) is blocked by the NetworkPolicies of the app. `
      + 'Fix: allow egress to one of them (TenantEgress.toCidr, or toNamespace for a mirror in the cluster), or build the packages into the image');
  });

  test('the message lists every repository, a mirror the tenant does not reach too', () => {
    const c = chart();
    new SparkTenant(c, 'T', { namespace: 'jobs', apiServer: API_6443 });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs', deps: { ...PACKAGES, repositories: [MIRROR] } });
    expect(synthError(c)).toContain(`driver to the repositories of its packages (deps.packages: ${CENTRAL}, nexus.nexus.svc:8081)`);
  });

  test('a manifest\'s repository with credentials: the host, not the user name', () => {
    const deny = { json: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'n' }, spec: { podSelector: {}, policyTypes: ['Egress'] } } };
    const app = {
      json: {
        apiVersion: 'sparkoperator.k8s.io/v1beta2',
        kind: 'SparkApplication',
        metadata: { name: 'a', namespace: 'n' },
        spec: { mode: 'cluster', deps: { packages: ['g:a:1'], repositories: ['https://ci:token@maven.example.com:8443/releases'] } },
      },
    };
    expect(checkCluster([deny, app]).filter((f) => f.includes('package'))).toEqual([expect.stringContaining(
      `driver to the repositories of its packages (deps.packages: ${CENTRAL}, maven.example.com:8443)`)]);
  });

  test('a ScheduledSparkApplication is checked the same way', () => {
    const c = chart();
    new SparkTenant(c, 'T', { namespace: 'jobs', apiServer: API_6443 });
    new ScheduledSparkApplication(c, 'Nightly', { ...PI, name: 'nightly', namespace: 'jobs', schedule: '@daily', deps: PACKAGES });
    expect(synthError(c)).toContain(`ScheduledSparkApplication jobs/nightly (test/Nightly/Resource): driver to the repositories of its packages (deps.packages: ${CENTRAL})`);
  });

  test.each<[string, Partial<SparkApplicationProps>, TenantEgress[]]>([
    ['egress to HTTPS anywhere', { deps: PACKAGES }, [TenantEgress.toCidr('https', '0.0.0.0/0', [443])]],
    ['a mirror in DEFAULT_ARTIFACT_REPOSITORY', { deps: PACKAGES, driver: { env: { DEFAULT_ARTIFACT_REPOSITORY: EnvValue.fromValue(MIRROR) } } }, [TO_NEXUS]],
    ['a mirror in deps.repositories', { deps: { ...PACKAGES, repositories: [MIRROR] } }, [TO_NEXUS]],
    ['a mirror named service.namespace', { deps: { ...PACKAGES, repositories: ['http://nexus.nexus:8081/maven/'] } }, [TO_NEXUS]],
    // Not known here: not checked.
    ['DEFAULT_ARTIFACT_REPOSITORY from a ConfigMap', {
      deps: PACKAGES,
      driver: { env: { DEFAULT_ARTIFACT_REPOSITORY: EnvValue.fromConfigMap(ConfigMap.fromConfigMapName(new Chart(Testing.app(), 'x'), 'Cm', 'maven'), 'url') } },
    }, []],
    ['variables from a ConfigMap', { deps: PACKAGES, driver: { envFromConfigMaps: [ConfigMap.fromConfigMapName(new Chart(Testing.app(), 'x'), 'Cm', 'maven')] } }, []],
    ['an Ivy settings file', { deps: PACKAGES, sparkConf: SparkConf.of({ 'spark.jars.ivySettings': '/opt/ivy.xml' }) }, []],
    ['no packages', {}, []],
  ])('synthesizes with %s', (_name, props, egress) => {
    const c = chart();
    new SparkTenant(c, 'T', { namespace: 'jobs', apiServer: API_6443, egress });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs', ...props });
    expect(synthError(c)).toBe('(synthesized without error)');
  });

  test('the API server open to every address on 443 reaches the repositories too', () => {
    const c = chart();
    new SparkTenant(c, 'T', { namespace: 'jobs', apiServer: TenantApiServerAccess.anywhere() });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs', deps: PACKAGES });
    expect(synthError(c)).toBe('(synthesized without error)');
  });
});

describe('cluster model: service accounts exist where the app creates the namespace', () => {
  const deployment = (c: Chart, namespace: string, serviceAccountName: string) => new ApiObject(c, `Web-${namespace}`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { serviceAccountName, containers: [{ name: 'c', image: 'x' }] } } },
  });

  test('an account the app does not create, in a namespace it creates, is refused (ServiceAccount admission)', () => {
    const c = chart();
    new ApiObject(c, 'Ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'made' } });
    deployment(c, 'made', 'ghost');
    deployment(c, 'elsewhere', 'ghost'); // a namespace of the cluster's: its accounts are not known
    const found = checkCluster(objects(c));
    expect(found).toEqual([expect.stringContaining('Deployment made/web: its pods run as ServiceAccount made/ghost, which the app does not create '
      + 'in the namespace it creates; the API server refuses the pods ("error looking up service account made/ghost")')]);
  });

  test('the tenant\'s driver account serves its jobs; a driver account patched to another name is refused', async () => {
    const c = chart();
    new SparkTenant(c, 'T', { namespace: 'jobs', apiServer: API });
    const app = new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs' });
    new SparkSubmitJob(c, 'Submit', { ...PI, name: 'submit', namespace: 'jobs' });
    expect(synthError(c)).toBe('(synthesized without error)');
    await new Promise((resolve) => setImmediate(resolve));
    (app.node.findChild('Resource') as ApiObject).addJsonPatch(JsonPatch.replace('/spec/driver/serviceAccount', 'ghost'));
    expect(synthError(c)).toContain('SparkApplication jobs/pi (test/Pi/Resource): its driver pods run as ServiceAccount jobs/ghost');
  });
});
