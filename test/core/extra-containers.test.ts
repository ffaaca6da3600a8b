// Issue #19, sidecars and init containers: WorkloadPodOptions.sidecars and
// .initContainers reach every pod the options apply to, always with the
// restricted container context (so Pod Security "restricted" admits the pod),
// and are refused where they cannot run (a Job's pod, a node system pod).
import { App, Chart, Size, Testing } from 'cdk8s';
import { Cpu, EnvValue, k8s, PersistentVolumeClaim, Protocol, Secret, Volume } from 'cdk8s-plus-28';
import {
  ClusterStorage, EventLogStore, ExtraContainer, ImageRegistryOverride, RegistryMirror, RegistryTls, SparkApplicationType,
  SparkHistoryServer, SparkPlatform, SparkSubmitJob, StorageClassRef, TenantApiServerAccess, WorkloadPodOptions,
} from '../../src';
import { podSecurityViolations } from '../../src/core/cluster-model/pod-security';
import { PodBuilder } from '../../src/core/pod-builder';
import { resolvePodOptions } from '../../src/core/pod-options';
import { everyWorkload, podsOf } from '../harness/every-workload';
import { expectValidManifests } from '../harness/manifests';
import { certManagerCrds } from '../harness/third-party-crds';

const SHIPPER_IMAGE = 'registry.example.com/tools/log-shipper:1.4.2';
const WAIT_IMAGE = 'registry.example.com/tools/wait-for@sha256:' + 'a'.repeat(64);

/** A sidecar and an init container sharing a volume, as a test fixture of each chart. */
function extras(scope: Chart): { sidecar: ExtraContainer; init: ExtraContainer } {
  const buffer = Volume.fromEmptyDir(scope, 'ShipperBuffer', 'shipper-buffer');
  return {
    init: {
      name: 'wait-for-metastore',
      image: WAIT_IMAGE,
      args: ['metastore.hive.svc:9083'],
      volumeMounts: [{ volume: buffer, path: '/buffer' }],
    },
    sidecar: {
      name: 'log-shipper',
      image: SHIPPER_IMAGE,
      args: ['--buffer', '/buffer'],
      env: { LOG_LEVEL: EnvValue.fromValue('info') },
      ports: [{ name: 'shipper-metrics', number: 2020 }],
      volumeMounts: [{ volume: buffer, path: '/buffer' }],
    },
  };
}


/** The restricted container context over the pod's own user. */
function restricted(spec: any, readOnlyRootFilesystem = true): any {
  return expect.objectContaining({
    runAsNonRoot: true,
    ...(spec.securityContext?.runAsUser !== undefined ? { runAsUser: spec.securityContext.runAsUser } : {}),
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
}

describe('sidecars and init containers on every workload', () => {
  test('reach every pod the options apply to, restricted, with their volumes; Pod Security "restricted" admits them', () => {
    const app = Testing.app();
    const platformChart = new Chart(app, 'fixtures');
    const { sidecar, init } = extras(platformChart);
    const pod: WorkloadPodOptions = { initContainers: [init], sidecars: [sidecar] };
    const { jobs } = everyWorkload(app, pod);
    new SparkSubmitJob(jobs, 'Submit', {
      namespace: 'analytics',
      type: SparkApplicationType.SCALA,
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      // A Job's pod: init containers only.
      submitterPod: { initContainers: [init] },
    });

    const seen: string[] = [];
    for (const chart of app.charts) {
      const manifests = Testing.synth(chart);
      for (const [where, spec] of podsOf(manifests)) {
        // flannel takes no pod options.
        if (where === 'DaemonSet/kube-flannel-ds') continue;
        seen.push(where);
        const ownInit = (spec.initContainers ?? []).filter((c: any) => c.name !== init.name);
        // The user's init container runs after the construct's own.
        expect([where, spec.initContainers.map((c: any) => c.name)]).toEqual([where, [...ownInit.map((c: any) => c.name), 'wait-for-metastore']]);
        const waitFor = spec.initContainers.at(-1);
        expect([where, waitFor]).toEqual([where, {
          name: 'wait-for-metastore',
          image: WAIT_IMAGE,
          args: ['metastore.hive.svc:9083'],
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
          securityContext: restricted(spec),
          volumeMounts: [{ name: 'shipper-buffer', mountPath: '/buffer' }],
        }]);
        // A Job's pod (spark-submit, registry garbage collection) never gets the sidecar: it would never complete.
        const job = where.startsWith('Job/') || where.startsWith('CronJob/');
        const shipper = spec.containers.find((c: any) => c.name === 'log-shipper');
        if (job) {
          expect([where, shipper]).toEqual([where, undefined]);
        } else {
          expect([where, spec.containers.at(-1)]).toEqual([where, {
            name: 'log-shipper',
            image: SHIPPER_IMAGE,
            args: ['--buffer', '/buffer'],
            env: [{ name: 'LOG_LEVEL', value: 'info' }],
            ports: [{ name: 'shipper-metrics', containerPort: 2020, protocol: 'TCP' }],
            resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
            securityContext: restricted(spec),
            volumeMounts: [{ name: 'shipper-buffer', mountPath: '/buffer' }],
          }]);
          // The workload's own container stays first (kubectl logs and exec default to it).
          expect([where, spec.containers[0].name]).not.toEqual([where, 'log-shipper']);
        }
        // The volume they share is in the pod once.
        expect([where, spec.volumes.filter((v: any) => v.name === 'shipper-buffer')]).toEqual([where, [{ name: 'shipper-buffer', emptyDir: {} }]]);
        expect([where, podSecurityViolations(spec, 'restricted')]).toEqual([where, []]);
      }
      // The provisioner's helper pods (node system pods it places itself) take only tolerations and pull secrets.
      for (const cm of manifests.filter((m) => m.kind === 'ConfigMap' && m.data?.['helperPod.yaml'])) {
        const helper = JSON.parse(cm.data['helperPod.yaml']).spec;
        expect([helper.initContainers, helper.containers.map((c: any) => c.name)]).toEqual([undefined, ['helper']]);
        seen.push('local-path-helper');
      }
      // The executors (Thrift's, spark-submit's) are placed by `executor`: their templates have no extra containers.
      for (const cm of manifests.filter((m) => m.kind === 'ConfigMap' && JSON.stringify(m.data ?? {}).includes('spark-kubernetes-executor'))) {
        expect(Object.values(cm.data).join('\n')).not.toMatch(/log-shipper|wait-for-metastore/);
        seen.push(`executor template ${cm.metadata.name}`);
      }
      expectValidManifests(manifests, { crds: certManagerCrds() });
    }
    expect(seen.map((w) => w.split(/[/ ]/)[0]).sort()).toEqual([
      'CronJob', // registry garbage collection
      'Deployment', 'Deployment', 'Deployment', 'Deployment', 'Deployment', 'Deployment', // provisioner, registry, controller, webhook, history, thrift
      'Deployment', // zeppelin
      'Job', // spark-submit
      'StatefulSet', 'StatefulSet', // standalone master and workers
      'executor', 'executor', // templates: the Thrift server's, spark-submit's
      'local-path-helper',
    ].sort());
    // The cluster model (Pod Security by namespace label among its rules) finds nothing.
    expect(() => app.synth()).not.toThrow();
  });

  test('the Pod Security check used above does catch a container without the restricted context', () => {
    const chart = Testing.chart();
    const { sidecar } = extras(chart);
    const pod = new PodBuilder(chart, { runAsUser: 185 });
    pod.addContainer({ name: 'server', image: 'registry.example.com/x:1' });
    pod.applyPodOptions(resolvePodOptions(chart, 'pod', { sidecars: [sidecar] }));
    const spec = pod.renderSpec();
    expect(podSecurityViolations(spec, 'restricted')).toEqual([]);
    const { securityContext: _dropped, ...bare } = spec.containers[1];
    expect(podSecurityViolations({ ...spec, containers: [spec.containers[0], bare] }, 'restricted')).toEqual([
      'container log-shipper does not set allowPrivilegeEscalation: false (Privilege Escalation)',
      'container log-shipper does not drop ALL capabilities (Capabilities)',
    ]);
  });

  test('given options: a writable root, resources, variables from Secrets and ConfigMaps, a UDP port, a command', () => {
    const chart = Testing.chart();
    const pod = new PodBuilder(chart, { runAsUser: 185, keepImageGroup: false });
    pod.addContainer({ name: 'server', image: 'registry.example.com/x:1', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] });
    pod.applyPodOptions(resolvePodOptions(chart, 'pod', {
      sidecars: [{
        name: 'statsd',
        image: 'registry.example.com/tools/statsd:0.10.2',
        command: ['/bin/statsd'],
        readOnlyRootFilesystem: false,
        resources: { cpu: { request: Cpu.millis(10), limit: Cpu.millis(100) }, memory: { request: Size.mebibytes(16), limit: Size.mebibytes(32) } },
        envFromSecrets: [Secret.fromSecretName(chart, 'Keys', 'statsd-keys')],
        env: { TOKEN: EnvValue.fromSecretValue({ secret: Secret.fromSecretName(chart, 'Token', 'statsd-token'), key: 'token' }) },
        // 8080/UDP next to the server's 8080/TCP: different sockets.
        ports: [{ name: 'statsd', number: 8080, protocol: Protocol.UDP }],
      }],
    }));
    // Rendered through an ApiObject, as the constructs do (quantities become strings).
    new k8s.KubePod(chart, 'Pod', { metadata: { name: 'p' }, spec: pod.renderSpec() });
    const statsd = Testing.synth(chart)[0].spec.containers[1];
    expect(statsd).toEqual({
      name: 'statsd',
      image: 'registry.example.com/tools/statsd:0.10.2',
      command: ['/bin/statsd'],
      env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'statsd-token', key: 'token' } } }],
      envFrom: [{ secretRef: { name: 'statsd-keys' } }],
      ports: [{ name: 'statsd', containerPort: 8080, protocol: 'UDP' }],
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 185,
        runAsGroup: 185,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });
  });

  test('the pod-wide variables and mounts stay with the workload\'s containers; the extra containers take only their own', () => {
    const chart = Testing.chart();
    const data = Volume.fromPersistentVolumeClaim(chart, 'Data', PersistentVolumeClaim.fromClaimName(chart, 'Claim', 'spark-data'));
    const pod = new PodBuilder(chart, { runAsUser: 185 });
    pod.addContainer({ name: 'server', image: 'registry.example.com/x:1' });
    pod.applyPodOptions(resolvePodOptions(chart, 'pod', {
      env: { DATA_DIR: EnvValue.fromValue('/data') },
      volumeMounts: [{ volume: data, path: '/data' }],
      // It reads what the server writes: the same volume, read-only.
      sidecars: [{ name: 'reader', image: 'registry.example.com/r:1', volumeMounts: [{ volume: data, path: '/in', readOnly: true }] }],
    }));
    const spec = pod.renderSpec();
    expect(spec.containers.map((c) => [c.name, c.env, c.volumeMounts])).toEqual([
      ['server', [{ name: 'DATA_DIR', value: '/data' }], [{ name: data.name, mountPath: '/data' }]],
      ['reader', undefined, [{ name: data.name, mountPath: '/in', readOnly: true }]],
    ]);
    expect(spec.volumes!.map((v) => v.name)).toEqual([data.name]);
  });

  test('the image goes through the ImageRegistryOverride in force, like every image the library emits', () => {
    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('mirror.example.com:5000', { sourceRegistries: ['docker.io'] }));
    const chart = new Chart(app, 'test');
    const pod = new PodBuilder(chart, { runAsUser: 185 });
    pod.addContainer({ name: 'server', image: 'registry.example.com/x:1' });
    pod.applyPodOptions(resolvePodOptions(chart, 'pod', { sidecars: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.32.3' }] }));
    expect(pod.renderSpec().containers[1].image).toBe('mirror.example.com:5000/envoyproxy/envoy:v1.32.3');
  });

  test('a workload\'s own pod replaces the platform\'s: its sidecars are not added to the platform\'s', () => {
    const app = new App();
    const fixtures = new Chart(app, 'fixtures');
    const platform = new SparkPlatform(app, 'platform', {
      pod: { sidecars: [{ name: 'platform-agent', image: 'registry.example.com/agent:2.0.1' }] },
      eventLog: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs'),
      historyServer: { pod: { sidecars: [extras(fixtures).sidecar] } },
      tenants: [{ namespace: 'analytics', apiServer: TenantApiServerAccess.toCidrs(['192.168.1.10/32']) }],
    });
    const names = (kind: string, name: RegExp) => Testing.synth(platform.servicesChart)
      .concat(Testing.synth(platform.operatorChart))
      .find((m) => m.kind === kind && name.test(m.metadata.name)).spec.template.spec.containers.map((c: any) => c.name);
    expect(names('Deployment', /history/)).toEqual(['history-server', 'log-shipper']);
    expect(names('Deployment', /controller/)).toEqual([expect.any(String), 'platform-agent']);
  });

  test('a change of an extra container after the construct was made fails synthesis', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const args = ['--once'];
    resolvePodOptions(chart, 'pod', { initContainers: [{ name: 'init', image: 'registry.example.com/i:1', args }] });
    args.push('--twice');
    expect(() => app.synth()).toThrow('test: pod changed after test was created, so the change would be ignored');
  });
});

describe('refused at once', () => {
  // `any`: the table also holds what only a JavaScript caller could pass.
  const sidecar = (over: any): ExtraContainer => ({ name: 'side', image: 'registry.example.com/s:1', ...over });
  test.each<[string, (c: Chart) => any, string]>([
    ['a name that is not a DNS-1123 label', () => ({ sidecars: [sidecar({ name: 'Log_Shipper' })] }),
      'invalid pod.sidecars[0].name "Log_Shipper": a DNS-1123 label consists of lowercase letters'],
    ['an empty name', () => ({ initContainers: [sidecar({ name: '' })] }), 'invalid pod.initContainers[0].name "": a DNS-1123 label of 1 to 63 characters'],
    ['an image without a tag', () => ({ sidecars: [sidecar({ image: 'registry.example.com/s' })] }),
      'invalid pod.sidecars[0].image "registry.example.com/s": a pinned image: give a version tag other than "latest", or a digest'],
    ['the latest tag', () => ({ sidecars: [sidecar({ image: 'busybox:latest' })] }),
      'invalid pod.sidecars[0].image "busybox:latest": a pinned image'],
    ['an image that is no image reference', () => ({ sidecars: [sidecar({ image: 'Registry/S:1' })] }),
      'invalid pod.sidecars[0].image "Registry/S:1": an image reference'],
    ['a port name too long', () => ({ sidecars: [sidecar({ ports: [{ name: 'a-very-long-port-name', number: 9000 }] })] }),
      'invalid pod.sidecars[0].ports[0].name "a-very-long-port-name": a port name of 1 to 15 lowercase letters'],
    ['a port name without a letter', () => ({ sidecars: [sidecar({ ports: [{ name: '9000', number: 9000 }] })] }),
      'invalid pod.sidecars[0].ports[0].name "9000": a port name'],
    ['a port name with "--"', () => ({ sidecars: [sidecar({ ports: [{ name: 'a--b', number: 9000 }] })] }),
      'invalid pod.sidecars[0].ports[0].name "a--b": a port name'],
    ['a privileged port', () => ({ sidecars: [sidecar({ ports: [{ name: 'http', number: 80 }] })] }),
      'invalid pod.sidecars[0].ports[0].number 80: a port from 1024 to 65535 (the pods run as non-root without capabilities'],
    ['a port beyond 65535', () => ({ sidecars: [sidecar({ ports: [{ name: 'http', number: 70000 }] })] }),
      'invalid pod.sidecars[0].ports[0].number 70000: a port from 1024 to 65535'],
    ['an unknown protocol', () => ({ sidecars: [sidecar({ ports: [{ name: 'http', number: 8080, protocol: 'HTTP' }] })] }),
      'invalid pod.sidecars[0].ports[0].protocol "HTTP": TCP, UDP, SCTP'],
    ['a port twice in one container', () => ({ sidecars: [sidecar({ ports: [{ name: 'a', number: 9000 }, { name: 'b', number: 9000 }] })] }),
      'invalid pod.sidecars[0].ports[1] "b 9000/TCP": a port not already used in the pod (container side listens on a 9000/TCP'],
    ['one name for an init container and a sidecar', () => ({ initContainers: [sidecar({})], sidecars: [sidecar({})] }),
      'invalid pod.sidecars[0].name "side": a name no other extra container uses (pod.initContainers[0] does)'],
    ['one name for two sidecars', () => ({ sidecars: [sidecar({}), sidecar({})] }),
      'invalid pod.sidecars[1].name "side": a name no other extra container uses (pod.sidecars[0] does)'],
    ['one port number for two sidecars', () => ({
      sidecars: [sidecar({ ports: [{ name: 'a', number: 9000 }] }), sidecar({ name: 'other', ports: [{ name: 'b', number: 9000 }] })],
    }), 'invalid pod.sidecars[1].ports[0] "b 9000/TCP": a port not already used in the pod (container side listens on a 9000/TCP; the containers of a pod share one network)'],
    ['one port name for two sidecars', () => ({
      sidecars: [sidecar({ ports: [{ name: 'metrics', number: 9000 }] }), sidecar({ name: 'other', ports: [{ name: 'metrics', number: 9001 }] })],
    }), 'invalid pod.sidecars[1].ports[0] "metrics 9001/TCP": a port not already used in the pod (container side names a port metrics; Services and probes find a port by its name)'],
    ['a literal credential variable', () => ({ sidecars: [sidecar({ env: { API_TOKEN: EnvValue.fromValue('PLANTED-x') } })] }),
      'invalid pod.sidecars[0].env "API_TOKEN": a value from a Secret for a variable holding a credential'],
    ['a bad variable name', () => ({ sidecars: [sidecar({ env: { '1X': EnvValue.fromValue('a') } })] }), 'invalid pod.sidecars[0].env "1X": an environment variable name'],
    ['a relative mount path', (c) => ({ sidecars: [sidecar({ volumeMounts: [{ volume: Volume.fromEmptyDir(c, 'V', 'v'), path: 'buf' }] })] }),
      'invalid pod.sidecars[0].volumeMounts[0].path "buf": an absolute path'],
    ['one volume name for two sources', (c) => ({
      volumeMounts: [{ volume: Volume.fromEmptyDir(c, 'V', 'data'), path: '/data' }],
      sidecars: [sidecar({ volumeMounts: [{ volume: Volume.fromSecret(c, 'W', Secret.fromSecretName(c, 'S', 's'), { name: 'data' }), path: '/d' }] })],
    }), 'invalid pod.sidecars[0].volumeMounts[0].volume "data": one volume per name'],
    ['a CPU request above the default limit', () => ({ sidecars: [sidecar({ resources: { cpu: { request: Cpu.units(1) } } })] }),
      'invalid pod.sidecars[0].resources.cpu "request 1000m, limit 500m": a request no greater than the limit'],
    ['a CPU limit given as a string', () => ({ sidecars: [sidecar({ resources: { cpu: { limit: '100m' } } })] }),
      'invalid pod.sidecars[0].resources.cpu.limit "string": a cdk8s-plus Cpu (any 2.x line), e.g. Cpu.millis(500)'],
    ['an image name for a container', () => ({ sidecars: ['registry.example.com/s:1'] }),
      'invalid pod.sidecars[0] "registry.example.com/s:1": an ExtraContainer'],
    ['a config map that is a string', () => ({ sidecars: [sidecar({ envFromConfigMaps: ['settings'] })] }),
      'invalid pod.sidecars[0].envFromConfigMaps[0] "string": an IConfigMap'],
    ['a command that is a string', () => ({ sidecars: [sidecar({ command: 'run' })] }), 'invalid pod.sidecars[0].command "run": a list of strings'],
    ['sidecars that are not a list', () => ({ sidecars: sidecar({}) }), 'invalid pod.sidecars "object": a list of ExtraContainer'],
    ['a readOnlyRootFilesystem that is a string', () => ({ sidecars: [sidecar({ readOnlyRootFilesystem: 'no' })] }),
      'invalid pod.sidecars[0].readOnlyRootFilesystem "no": true or false'],
  ])('%s', (_name, options, message) => {
    const chart = Testing.chart();
    expect(() => resolvePodOptions(chart, 'pod', options(chart))).toThrow(message);
  });

  test('an extra container has no security context option: one given is not rendered', () => {
    const chart = Testing.chart();
    const pod = new PodBuilder(chart, { runAsUser: 185 });
    pod.addContainer({ name: 'server', image: 'registry.example.com/x:1' });
    // Not part of the type: a JavaScript caller could still pass it.
    const sneaky = { name: 'root', image: 'registry.example.com/r:1', securityContext: { runAsUser: 0, privileged: true } } as ExtraContainer;
    pod.applyPodOptions(resolvePodOptions(chart, 'pod', { sidecars: [sneaky] }));
    const root = pod.renderSpec().containers[1];
    expect(root.securityContext).toEqual(expect.objectContaining({ runAsUser: 185, privileged: false, allowPrivilegeEscalation: false }));
  });
});

describe('refused when the pod is rendered', () => {
  const built = (own: (pod: PodBuilder) => void, options: (c: Chart) => WorkloadPodOptions, restartPolicy?: string) => {
    const chart = Testing.chart();
    const pod = new PodBuilder(chart, { runAsUser: 185, restartPolicy });
    own(pod);
    pod.applyPodOptions(resolvePodOptions(chart, 'pod', options(chart)));
    return () => pod.renderSpec();
  };
  const server = (pod: PodBuilder) => {
    pod.addContainer({ name: 'server', image: 'registry.example.com/x:1', ports: [{ name: 'http', containerPort: 18080, protocol: 'TCP' }] });
    pod.addScratch('tmp', '/tmp', ['server']);
  };
  test.each<[string, (c: Chart) => WorkloadPodOptions, string]>([
    ['the name of the workload\'s container', () => ({ sidecars: [{ name: 'server', image: 'registry.example.com/s:1' }] }),
      'invalid pod.sidecars[0].name "server": a name the workload\'s own containers do not use (they are server)'],
    ['a port number of the workload\'s container', () => ({ sidecars: [{ name: 's', image: 'registry.example.com/s:1', ports: [{ name: 'web', number: 18080 }] }] }),
      'invalid pod.sidecars[0].ports[0] "web 18080/TCP": a port not already used in the pod (container server listens on http 18080/TCP'],
    ['a port name of the workload\'s container', () => ({ initContainers: [{ name: 's', image: 'registry.example.com/s:1', ports: [{ name: 'http', number: 9000 }] }] }),
      'invalid pod.initContainers[0].ports[0] "http 9000/TCP": a port not already used in the pod (container server names a port http'],
    ['a volume name of the workload', (c) => ({ sidecars: [{ name: 's', image: 'registry.example.com/s:1', volumeMounts: [{ volume: Volume.fromEmptyDir(c, 'V', 'tmp'), path: '/t' }] }] }),
      'invalid pod.sidecars[0].volumeMounts "tmp": a volume name the construct does not use (it uses tmp)'],
    ['a hostPath volume', (c) => ({
      sidecars: [{ name: 's', image: 'registry.example.com/s:1', volumeMounts: [{ volume: Volume.fromHostPath(c, 'H', 'logs', { path: '/var/log' }), path: '/logs' }] }],
    }), 'invalid volumes "logs (hostPath /var/log)": no hostPath volume in a restricted pod'],
  ])('%s', (_name, options, message) => {
    expect(built(server, options)).toThrow(message);
  });

  test('a sidecar on a pod that runs to completion; its init containers are fine', () => {
    const init = { name: 'prepare', image: 'registry.example.com/p:1' };
    expect(built(server, () => ({ sidecars: [{ name: 'agent', image: 'registry.example.com/a:1' }] }), 'Never'))
      .toThrow('invalid pod.sidecars ["agent"]: no sidecars on a pod that runs to completion (restartPolicy Never: a Job\'s pod)');
    expect(built(server, () => ({ initContainers: [init] }), 'OnFailure')().initContainers!.map((c) => c.name)).toEqual(['prepare']);
  });

  test('spark-submit\'s pod is a Job\'s: a sidecar in submitterPod is refused, naming the prop', () => {
    const chart = new Chart(Testing.app(), 'jobs', { namespace: 'analytics' });
    expect(() => {
      new SparkSubmitJob(chart, 'Submit', {
        type: SparkApplicationType.SCALA,
        mainClass: 'org.apache.spark.examples.SparkPi',
        mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
        submitterPod: { sidecars: [{ name: 'agent', image: 'registry.example.com/a:1' }] },
      });
      Testing.synth(chart);
    }).toThrow('jobs/Submit: invalid submitterPod.sidecars ["agent"]: no sidecars on a pod that runs to completion');
  });

  test('a node system pod takes no extra containers', () => {
    const chart = Testing.chart();
    const pod = PodBuilder.nodeSystemPod(chart, {});
    pod.addContainer({ name: 'daemon', image: 'registry.example.com/d:1', nodeSystemSecurity: { allowPrivilegeEscalation: false } });
    pod.applyPodOptions(resolvePodOptions(chart, 'pod', { initContainers: [{ name: 'init', image: 'registry.example.com/i:1' }] }));
    expect(() => pod.renderSpec()).toThrow('invalid pod.initContainers[0] "init": extra containers only in a restricted pod');
  });

  test('a history server\'s sidecar on its UI port, with the server\'s path', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'spark' });
    expect(() => {
      new SparkHistoryServer(chart, 'History', {
        store: EventLogStore.hdfs('hdfs://nn:8020/spark-events'),
        pod: { sidecars: [{ name: 'proxy', image: 'registry.example.com/p:1', ports: [{ name: 'proxy', number: 18080 }] }] },
      });
    }).toThrow('test/History: invalid pod.sidecars[0].ports[0] "proxy 18080/TCP": a port not already used in the pod (container history-server listens on http 18080/TCP');
  });

  test('a registry\'s extra container cannot pull its image from that registry', () => {
    const chart = new Chart(Testing.app(), 'test');
    ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
    expect(() => new RegistryMirror(chart, 'Registry', {
      tls: RegistryTls.plainHttp(),
      clusterIp: '10.96.0.50',
      pod: { initContainers: [{ name: 'seed', image: '10.96.0.50:5000/tools/seed:1.0.0' }] },
    })).toThrow('test/Registry: invalid pod.initContainers[0].image "10.96.0.50:5000/tools/seed:1.0.0": an image from another registry');
  });
});
