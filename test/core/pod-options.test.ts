// Issue #19, placement and pod options: one shape (WorkloadPodOptions) for
// every workload, applied by the pod builder; checked like the API server
// checks it (kubernetes/kubernetes pkg/apis/core/validation/validation.go,
// ValidateTolerations and ValidateTopologySpreadConstraints).
import { Chart, Testing } from 'cdk8s';
import { EnvValue, PersistentVolumeClaim, Secret, Volume } from 'cdk8s-plus-28';
import {
  HiveMetastore, SparkThriftServer, SparkApplication, SparkApplicationType, SparkStandaloneCluster, SparkSubmitJob,
  StandaloneAuthentication, WorkloadPodOptions,
} from '../../src';
import { PodBuilder } from '../../src/core/pod-builder';
import { resolvePodOptions } from '../../src/core/pod-options';
import { everyWorkload, podsOf } from '../harness/every-workload';

const OPTIONS: WorkloadPodOptions = {
  nodeSelector: { 'node-pool': 'spark' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'spark', effect: 'NoSchedule' }],
  priorityClassName: 'spark-high',
};
const TOLERATION = OPTIONS.tolerations![0];


describe('WorkloadPodOptions on every workload', () => {
  test('the platform\'s options reach every pod it runs; jobs, the standalone cluster and Zeppelin take their own', () => {
    const app = Testing.app();
    const { jobs } = everyWorkload(app, OPTIONS);
    const job = {
      namespace: 'analytics',
      type: SparkApplicationType.SCALA,
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      driver: OPTIONS,
      executor: OPTIONS,
    };
    new SparkSubmitJob(jobs, 'Submit', { ...job, submitterPod: OPTIONS });
    new SparkApplication(jobs, 'Operator', job);

    const seen: string[] = [];
    for (const chart of app.charts) {
      const manifests = Testing.synth(chart);
      for (const [where, spec] of podsOf(manifests)) {
        // flannel runs on every node whatever its taints (system-node-critical): nothing to place.
        if (where === 'DaemonSet/kube-flannel-ds') continue;
        seen.push(where);
        expect([where, spec.nodeSelector?.['node-pool'], spec.priorityClassName]).toEqual([where, 'spark', 'spark-high']);
        expect([where, spec.tolerations]).toEqual([where, expect.arrayContaining([TOLERATION])]);
      }
      for (const application of manifests.filter((m) => m.kind === 'SparkApplication')) {
        for (const role of ['driver', 'executor']) {
          const spec = application.spec[role];
          expect([role, spec.nodeSelector, spec.tolerations, spec.priorityClassName])
            .toEqual([role, OPTIONS.nodeSelector, OPTIONS.tolerations, 'spark-high']);
        }
        seen.push(`SparkApplication/${application.metadata.name}`);
      }
      // The provisioner's helper pods run on the volume's node, which the provisioner picks: they take the tolerations.
      for (const cm of manifests.filter((m) => m.kind === 'ConfigMap' && m.data?.['helperPod.yaml'])) {
        expect(JSON.parse(cm.data['helperPod.yaml']).spec.tolerations).toEqual(expect.arrayContaining([TOLERATION]));
        seen.push('local-path helper pod');
      }
    }
    expect(seen.map((w) => w.split('/')[0]).sort()).toEqual([
      'CronJob', // registry garbage collection
      'Deployment', 'Deployment', 'Deployment', 'Deployment', 'Deployment', 'Deployment', // provisioner, registry, controller, webhook, history, thrift
      'Deployment', // zeppelin
      'Job', // spark-submit
      'SparkApplication',
      'StatefulSet', 'StatefulSet', // standalone master and workers
      'local-path helper pod',
    ].sort());
  });
});

describe('applied by the pod builder', () => {
  const build = (options: WorkloadPodOptions, own: { nodeSelector?: { [k: string]: string }; priorityClassName?: string } = {}) => {
    const chart = Testing.chart();
    const pod = new PodBuilder(chart, { runAsUser: 185, ...own });
    pod.addContainer({ name: 'c', image: 'registry.example.com/x:1' });
    pod.addChecksum('checksum/config', 'x');
    pod.applyPodOptions(resolvePodOptions(chart, 'pod', options));
    return pod;
  };

  test('adds to what the construct set', () => {
    const pod = build({
      ...OPTIONS,
      labels: { team: 'bi' },
      annotations: { 'example.com/owner': 'bi' },
      imagePullSecrets: [Secret.fromSecretName(Testing.chart(), 'Pull', 'mirror-pull')],
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }],
    }, { nodeSelector: { 'kubernetes.io/os': 'linux' } });
    pod.spreadAcrossNodes({ app: 'x' });
    const template = pod.renderTemplate({ app: 'x' });
    expect(template.metadata).toEqual({
      labels: { app: 'x', team: 'bi' },
      annotations: { 'checksum/config': expect.any(String), 'example.com/owner': 'bi' },
    });
    const spec = template.spec!;
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'node-pool': 'spark' });
    expect(spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
    expect(spec.topologySpreadConstraints!.map((c) => c.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    // The restricted contexts stay.
    expect(spec.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }));
  });

  test.each<[string, WorkloadPodOptions, { nodeSelector?: { [k: string]: string }; priorityClassName?: string }, string]>([
    ['a node label the construct selects with another value', { nodeSelector: { 'kubernetes.io/os': 'windows' } },
      { nodeSelector: { 'kubernetes.io/os': 'linux' } }, 'invalid pod.nodeSelector["kubernetes.io/os"] "windows": the value the pod already selects, linux'],
    ['another priority class than the construct\'s', { priorityClassName: 'low' }, { priorityClassName: 'system-node-critical' },
      'invalid pod.priorityClassName "low": no priority class: the pod already has system-node-critical'],
    ['a label the construct sets', { labels: { app: 'y' } }, {}, 'invalid pod.labels key "app": a label the construct does not set itself'],
    ['an annotation the construct sets', { annotations: { 'checksum/config': 'x' } }, {},
      'invalid pod.annotations key "checksum/config": an annotation the construct does not set itself'],
  ])('refuses %s', (_name, options, own, message) => {
    expect(() => build(options, own).renderTemplate({ app: 'x' })).toThrow(message);
  });
});

describe('variables and volumes', () => {
  test('shared storage at /spark_data on the standalone workers, with a variable and a Secret\'s keys', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'analytics' });
    const data = Volume.fromPersistentVolumeClaim(chart, 'Data', PersistentVolumeClaim.fromClaimName(chart, 'Claim', 'spark-data'));
    new SparkStandaloneCluster(chart, 'Cluster', {
      authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }),
      workers: {
        pod: {
          volumeMounts: [{ volume: data, path: '/spark_data' }],
          env: { DATA_DIR: EnvValue.fromValue('/spark_data') },
          envFromSecrets: [Secret.fromSecretName(chart, 'Keys', 'lake-keys')],
        },
      },
    });
    const workers = Testing.synth(chart).find((m) => m.kind === 'StatefulSet' && m.metadata.name.endsWith('worker'));
    const spec = workers.spec.template.spec;
    const worker = spec.containers[0];
    expect(spec.volumes).toEqual(expect.arrayContaining([{ name: data.name, persistentVolumeClaim: { claimName: 'spark-data', readOnly: false } }]));
    expect(worker.volumeMounts).toEqual(expect.arrayContaining([{ name: data.name, mountPath: '/spark_data' }]));
    expect(worker.env).toEqual(expect.arrayContaining([{ name: 'DATA_DIR', value: '/spark_data' }]));
    expect(worker.envFrom).toEqual([{ secretRef: { name: 'lake-keys' } }]);
  });

  const chart = () => {
    const c = Testing.chart();
    const pod = new PodBuilder(c, { runAsUser: 185 });
    pod.addContainer({ name: 'server', image: 'registry.example.com/x:1', env: [{ name: 'SPARK_CONF_DIR', value: '/conf' }] });
    pod.addScratch('tmp', '/tmp', ['server']);
    return { c, pod };
  };
  test.each<[string, (c: Chart) => WorkloadPodOptions, string]>([
    ['a variable the construct sets', () => ({ env: { SPARK_CONF_DIR: EnvValue.fromValue('/other') } }),
      'invalid pod.env "SPARK_CONF_DIR": a variable the construct does not set in container server'],
    ['a path the construct mounts at', (c) => ({ volumeMounts: [{ volume: Volume.fromEmptyDir(c, 'V', 'scratch'), path: '/tmp' }] }),
      'invalid pod.volumeMounts "/tmp": a path the construct mounts nothing at in container server'],
    ['a volume name the construct uses', (c) => ({ volumeMounts: [{ volume: Volume.fromEmptyDir(c, 'V', 'tmp'), path: '/data' }] }),
      'invalid pod.volumeMounts "tmp": a volume name the construct does not use (it uses tmp)'],
  ])('refuses %s', (_name, options, message) => {
    const { c, pod } = chart();
    pod.applyPodOptions(resolvePodOptions(c, 'pod', options(c)));
    expect(() => pod.renderSpec()).toThrow(message);
  });
});

describe('what the cluster would refuse or miss', () => {
  test('a spread over the pair the construct already uses is refused (the API server refuses repeated pairs)', () => {
    const c = Testing.chart();
    const pod = new PodBuilder(c, { runAsUser: 185 });
    pod.addContainer({ name: 'c', image: 'registry.example.com/x:1' });
    pod.spreadAcrossNodes({ app: 'x' });
    pod.applyPodOptions(resolvePodOptions(c, 'pod', {
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }],
    }));
    expect(() => pod.renderSpec()).toThrow('invalid pod.topologySpreadConstraints "kubernetes.io/hostname/ScheduleAnyway": a topologyKey and whenUnsatisfiable pair not already used');
  });

  test('a hostPath volume is refused in a restricted pod, as the namespace\'s Pod Security admission would', () => {
    const c = Testing.chart();
    const pod = new PodBuilder(c, { runAsUser: 185 });
    pod.addContainer({ name: 'c', image: 'registry.example.com/x:1' });
    pod.applyPodOptions(resolvePodOptions(c, 'pod', { volumeMounts: [{ volume: Volume.fromHostPath(c, 'Sock', 'sock', { path: '/var/run/docker.sock' }), path: '/sock' }] }));
    expect(() => pod.renderSpec()).toThrow('invalid volumes "sock (hostPath /var/run/docker.sock)": no hostPath volume in a restricted pod');
  });

  test('variables and mounts reach the init containers too (the history server\'s log directory step uses the store)', () => {
    const c = Testing.chart();
    const pod = new PodBuilder(c, { runAsUser: 185 });
    pod.addInitContainer({ name: 'init', image: 'registry.example.com/x:1' });
    pod.addContainer({ name: 'c', image: 'registry.example.com/x:1' });
    pod.applyPodOptions(resolvePodOptions(c, 'pod', { env: { AWS_REGION: EnvValue.fromValue('eu-west-1') } }));
    const spec = pod.renderSpec();
    expect([spec.initContainers![0].env, spec.containers[0].env]).toEqual([[{ name: 'AWS_REGION', value: 'eu-west-1' }], [{ name: 'AWS_REGION', value: 'eu-west-1' }]]);
  });

  test('the Thrift server\'s executors get the pod\'s pull secrets: they pull the same image', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'analytics' });
    new SparkThriftServer(chart, 'Sql', {
      metastore: HiveMetastore.thrift('thrift://metastore.hive.svc:9083'),
      warehouseDir: 'hdfs://nn:8020/warehouse',
      pod: { imagePullSecrets: [Secret.fromSecretName(chart, 'Pull', 'mirror-pull')] },
    });
    const manifests = Testing.synth(chart);
    const template = manifests.find((m) => m.kind === 'ConfigMap' && JSON.stringify(m.data ?? {}).includes('spark-kubernetes-executor'));
    expect(Object.values(template.data).join('\n')).toContain('- name: mirror-pull');
    expect(manifests.find((m) => m.kind === 'Deployment').spec.template.spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
  });
});

describe('checked like the API server checks pods', () => {
  test.each<[string, any, string]>([
    ['an empty key without Exists', { tolerations: [{ operator: 'Equal', value: 'x' }] },
      'invalid pod.tolerations[0].key (undefined): a taint key, or operator "Exists" to tolerate every taint'],
    ['a value with Exists', { tolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] }, 'invalid pod.tolerations[0].value "x": no value with operator "Exists"'],
    ['an unknown operator', { tolerations: [{ key: 'a', operator: 'In', value: 'x' }] }, 'invalid pod.tolerations[0].operator "In": "Equal" or "Exists"'],
    ['an unknown effect', { tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoRun' }] }, 'invalid pod.tolerations[0].effect "NoRun"'],
    ['tolerationSeconds without NoExecute', { tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }] },
      'invalid pod.tolerations[0].tolerationSeconds 60: a whole number of seconds, only with effect "NoExecute"'],
    ['a bad taint key', { tolerations: [{ key: 'a b', operator: 'Exists' }] }, 'invalid pod.tolerations[0].key "a b"'],
    ['a bad node label', { nodeSelector: { pool: 'a b' } }, 'invalid pod.nodeSelector["pool"] "a b"'],
    ['a bad priority class', { priorityClassName: 'High_Priority' }, 'invalid pod.priorityClassName "High_Priority"'],
    ['a zero skew', { topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] },
      'invalid pod.topologySpreadConstraints[0].maxSkew 0: a whole number, at least 1'],
    ['an unknown whenUnsatisfiable', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'Maybe' }] },
      'invalid pod.topologySpreadConstraints[0].whenUnsatisfiable "Maybe": DoNotSchedule or ScheduleAnyway'],
    ['a pull secret that is a string', { imagePullSecrets: ['mirror-pull'] }, 'invalid pod.imagePullSecrets[0] "string": an ISecret'],
    ['a bad annotation key', { annotations: { 'a b': 'x' } }, 'invalid pod.annotations key "a b"'],
    ['options that are a string', 'spark', 'invalid pod "spark": WorkloadPodOptions'],
    ['a literal credential variable', { env: { AWS_SECRET_ACCESS_KEY: EnvValue.fromValue('PLANTED-x') } },
      'invalid pod.env "AWS_SECRET_ACCESS_KEY": a value from a Secret for a variable holding a credential'],
    ['a bad variable name', { env: { '1X': EnvValue.fromValue('a') } }, 'invalid pod.env "1X": an environment variable name'],
    ['a relative mount path', { volumeMounts: [{ volume: Volume.fromEmptyDir(Testing.chart(), 'V', 'v'), path: 'data' }] },
      'invalid pod.volumeMounts[0].path "data": an absolute path'],
    ['a mount path twice', {
      volumeMounts: [{ volume: Volume.fromEmptyDir(Testing.chart(), 'V', 'v'), path: '/d' }, { volume: Volume.fromEmptyDir(Testing.chart(), 'W', 'w'), path: '/d' }],
    }, 'invalid pod.volumeMounts ["/d","/d"]: distinct mount paths'],
    ['a string for a config map', { envFromConfigMaps: ['settings'] }, 'invalid pod.envFromConfigMaps[0] "string": an IConfigMap'],
  ])('refuses %s', (_name, options, message) => {
    const chart = Testing.chart();
    expect(() => resolvePodOptions(chart, 'pod', options)).toThrow(`${chart.node.path}: ${message}`.replace(/^: /, ''));
  });

  test('accepts what the API server accepts', () => {
    const chart = Testing.chart();
    expect(() => resolvePodOptions(chart, 'pod', {
      tolerations: [
        { operator: 'Exists' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
        { key: 'dedicated', value: 'spark' },
        // Equal without a value matches a taint without one (the control plane's).
        { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      ],
    })).not.toThrow();
  });

  test('a change after the construct was made fails synthesis', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const nodeSelector: { [key: string]: string } = { pool: 'a' };
    const options = { nodeSelector };
    resolvePodOptions(chart, 'pod', options);
    nodeSelector.pool = 'b';
    expect(() => app.synth()).toThrow('test: pod changed after test was created, so the change would be ignored');
  });
});
