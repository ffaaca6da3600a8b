import { Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  CelebornCluster, CelebornClusterProps, CelebornDiskKind, CelebornDisks, ImageRegistryOverride, NetworkPeer, SparkApplication,
  SparkApplicationType, SparkMemory, SparkOperatorCrds, SparkTenant, StorageClassRef, TenantEgress,
} from '../../src';
import { synthValid } from '../harness/manifests';

function setup(props: CelebornClusterProps = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shuffle' });
  const cluster = new CelebornCluster(chart, 'Celeborn', { storageClass: StorageClassRef.existing('fast-ssd'), ...props });
  return { chart, cluster };
}

const find = (manifests: any[], kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
const conf = (manifests: any[]) => find(manifests, 'ConfigMap', 'celeborn-conf').data['celeborn-defaults.conf'].split('\n');

describe('CelebornCluster', () => {
  test('defaults (snapshot)', () => {
    const { chart } = setup();
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('three masters in a Raft group, their log on a claim', () => {
    const { chart, cluster } = setup();
    const m = synthValid(chart);
    const hosts = [0, 1, 2].map((i) => `celeborn-master-${i}.celeborn-master-svc.shuffle.svc.cluster.local`);
    expect(conf(m)).toEqual(expect.arrayContaining([
      `celeborn.master.endpoints=${hosts.map((h) => `${h}:9097`).join(',')}`,
      'celeborn.master.ha.enabled=true',
      `celeborn.master.ha.node.0.host=${hosts[0]}`,
      'celeborn.master.ha.node.2.ratis.port=9872',
      'celeborn.master.ha.ratis.raft.server.storage.dir=/mnt/celeborn_ratis',
      'celeborn.worker.rpc.port=9091',
      'celeborn.worker.push.port=9092',
      'celeborn.worker.fetch.port=9093',
      'celeborn.worker.storage.dirs=/mnt/disk1:capacity=51200m',
      'celeborn.worker.monitor.disk.enabled=false',
    ]));
    const master = find(m, 'StatefulSet', 'celeborn-master');
    expect(master.spec.replicas).toBe(3);
    expect(master.spec.serviceName).toBe('celeborn-master-svc');
    expect(master.spec.podManagementPolicy).toBe('Parallel');
    expect(master.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '1024Mi' } },
    });
    const container = master.spec.template.spec.containers[0];
    expect(container.image).toBe('docker.io/apache/celeborn:0.7.0');
    expect(container.command.slice(0, 4)).toEqual(['/usr/bin/tini', '--', '/bin/bash', '-c']);
    expect(container.command[4]).toContain(`for h in ${hosts.join(' ')}; do`);
    expect(container.command[4]).toMatch(/exec \/opt\/celeborn\/sbin\/start-master.sh$/);
    expect(container.env).toEqual(expect.arrayContaining([
      { name: 'CELEBORN_CONF_DIR', value: '/etc/celeborn' }, { name: 'CELEBORN_MASTER_MEMORY', value: '1g' },
    ]));
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '1536Mi' }, limits: { cpu: '1000m', memory: '1536Mi' } });
    expect(container.volumeMounts).toEqual(expect.arrayContaining([{ name: 'ratis', mountPath: '/mnt/celeborn_ratis' }]));
    // The image's user, restricted.
    expect(master.spec.template.spec.securityContext).toMatchObject({ runAsUser: 10006, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(find(m, 'Service', 'celeborn-master-svc').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(find(m, 'Service', 'celeborn-master-svc').spec.ports.map((p: any) => p.port)).toEqual([9097, 9872, 9098]);
    expect(find(m, 'PodDisruptionBudget', 'celeborn-master').spec.minAvailable).toBe(2);
    expect(cluster.shuffleService.masterEndpoints).toEqual(hosts.map((host) => ({ host, port: 9097 })));
    expect(cluster.shuffleService.workerPorts).toEqual([9091, 9092, 9093]);
  });

  test('workers with sized shuffle disks and memory', () => {
    const { chart } = setup({
      workers: { replicas: 5, disks: 2, diskSize: Size.gibibytes(200), memory: SparkMemory.gibibytes(2), offHeapMemory: SparkMemory.gibibytes(8) },
    });
    const m = synthValid(chart);
    expect(conf(m)).toContain('celeborn.worker.storage.dirs=/mnt/disk1:capacity=204800m,/mnt/disk2:capacity=204800m');
    const worker = find(m, 'StatefulSet', 'celeborn-worker');
    expect(worker.spec.replicas).toBe(5);
    expect(worker.spec.volumeClaimTemplates.map((c: any) => [c.metadata.name, c.spec.resources.requests.storage]))
      .toEqual([['disk1', '204800Mi'], ['disk2', '204800Mi']]);
    const container = worker.spec.template.spec.containers[0];
    expect(container.command).toEqual(['/usr/bin/tini', '--', '/opt/celeborn/sbin/start-worker.sh']);
    expect(container.volumeMounts).toEqual(expect.arrayContaining([{ name: 'disk1', mountPath: '/mnt/disk1' }, { name: 'disk2', mountPath: '/mnt/disk2' }]));
    expect(container.env).toEqual(expect.arrayContaining([
      { name: 'CELEBORN_WORKER_MEMORY', value: '2g' }, { name: 'CELEBORN_WORKER_OFFHEAP_MEMORY', value: '8g' },
    ]));
    expect(container.resources.limits.memory).toBe('10752Mi');
    expect(container.ports.map((p: any) => p.containerPort)).toEqual([9091, 9092, 9093, 9094, 9096]);
    expect(find(m, 'PodDisruptionBudget', 'celeborn-worker').spec.maxUnavailable).toBe(1);
  });

  test('claims from CelebornDisks, with a class of their own', () => {
    const disks = CelebornDisks.persistentVolumeClaims({ count: 3, size: Size.tebibytes(1), storageClass: StorageClassRef.existing('local-nvme') });
    expect([disks.kind, disks.count]).toEqual([CelebornDiskKind.PERSISTENT_VOLUME_CLAIM, 3]);
    const m = synthValid(setup({ workers: { shuffleDisks: disks } }).chart);
    expect(conf(m)).toContain('celeborn.worker.storage.dirs=/mnt/disk1:capacity=1048576m,/mnt/disk2:capacity=1048576m,/mnt/disk3:capacity=1048576m');
    const worker = find(m, 'StatefulSet', 'celeborn-worker');
    expect(worker.spec.volumeClaimTemplates.map((c: any) => [c.metadata.name, c.spec.storageClassName, c.spec.resources.requests.storage]))
      .toEqual([1, 2, 3].map((i) => [`disk${i}`, 'local-nvme', '1048576Mi']));
    // The masters keep the cluster's class.
    expect(find(m, 'StatefulSet', 'celeborn-master').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('fast-ssd');
    // Without a class of their own, the cluster's.
    const plain = synthValid(setup({ workers: { shuffleDisks: CelebornDisks.persistentVolumeClaims() } }).chart);
    expect(find(plain, 'StatefulSet', 'celeborn-worker').spec.volumeClaimTemplates.map((c: any) => [c.spec.storageClassName, c.spec.resources.requests.storage]))
      .toEqual([['fast-ssd', '51200Mi']]);
  });

  test('emptyDir disks: sized on the node, no claims, ephemeral storage requested', () => {
    const m = synthValid(setup({ workers: { shuffleDisks: CelebornDisks.emptyDir({ count: 2, size: Size.gibibytes(100) }) } }).chart);
    expect(conf(m)).toContain('celeborn.worker.storage.dirs=/mnt/disk1:capacity=102400m,/mnt/disk2:capacity=102400m');
    const worker = find(m, 'StatefulSet', 'celeborn-worker');
    expect(worker.spec.volumeClaimTemplates).toBeUndefined();
    const spec = worker.spec.template.spec;
    expect(spec.volumes).toEqual(expect.arrayContaining([
      { name: 'disk1', emptyDir: { sizeLimit: '102400Mi' } }, { name: 'disk2', emptyDir: { sizeLimit: '102400Mi' } },
    ]));
    expect(spec.containers[0].volumeMounts).toEqual(expect.arrayContaining([
      { name: 'disk1', mountPath: '/mnt/disk1' }, { name: 'disk2', mountPath: '/mnt/disk2' },
    ]));
    // Two disks and 2 GiB of /tmp and logs.
    expect(spec.containers[0].resources.requests['ephemeral-storage']).toBe('202Gi');
    expect(spec.containers[0].resources.limits['ephemeral-storage']).toBeUndefined();
    // The masters keep their claim.
    expect(find(m, 'StatefulSet', 'celeborn-master').spec.volumeClaimTemplates).toHaveLength(1);
    // A request given wins.
    const given = synthValid(setup({
      workers: {
        shuffleDisks: CelebornDisks.emptyDir(),
        resources: { ephemeralStorage: { request: Size.gibibytes(60), limit: Size.gibibytes(80) } },
      },
    }).chart);
    expect(find(given, 'StatefulSet', 'celeborn-worker').spec.template.spec.containers[0].resources).toMatchObject({
      requests: { 'ephemeral-storage': '60Gi' }, limits: { 'ephemeral-storage': '80Gi' },
    });
  });

  test('one master runs without HA; extra keys reach the file', () => {
    const { chart } = setup({
      masters: { replicas: 1 }, conf: { 'celeborn.worker.flusher.buffer.size': '256k', 'celeborn.worker.monitor.disk.enabled': 'true' },
    });
    const lines = conf(synthValid(chart));
    expect(lines.filter((l: string) => l.startsWith('celeborn.worker.monitor.disk.enabled='))).toEqual(['celeborn.worker.monitor.disk.enabled=true']);
    expect(lines).toEqual(expect.arrayContaining([
      'celeborn.master.host=celeborn-master-0.celeborn-master-svc.shuffle.svc.cluster.local', 'celeborn.master.port=9097',
      'celeborn.worker.flusher.buffer.size=256k',
    ]));
    expect(lines.some((l: string) => l.startsWith('celeborn.master.ha.'))).toBe(false);
  });

  test('a job and a tenant use the cluster', () => {
    const { chart, cluster } = setup();
    new SparkOperatorCrds(chart, 'Crds');
    new SparkApplication(chart, 'Etl', {
      namespace: 'etl',
      type: SparkApplicationType.SCALA,
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      shuffle: cluster.shuffleService,
      dynamicAllocation: { maxExecutors: 4 },
    });
    const app = synthValid(chart).find((x) => x.kind === 'SparkApplication');
    expect(app.spec.sparkConf['spark.celeborn.master.endpoints']).toBe([0, 1, 2]
      .map((i) => `celeborn-master-${i}.celeborn-master-svc.shuffle.svc.cluster.local:9097`).join(','));
    expect(app.spec.dynamicAllocation.shuffleTrackingEnabled).toBe(false);
    expect(TenantEgress.toShuffleService(cluster.shuffleService, NetworkPeer.namespace('shuffle')).ports).toEqual([9097, 9091, 9092, 9093]);
  });

  test('emits its namespace, restricted, unless told not to', () => {
    const { chart, cluster } = setup();
    const m = synthValid(chart);
    expect(m[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'shuffle' } });
    expect(m[0].metadata.namespace).toBeUndefined();
    expect(m[0].metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest',
    });
    expect(cluster.namespaceObject).toBeDefined();
    const other = setup({ createNamespace: false });
    expect(synthValid(other.chart).filter((x) => x.kind === 'Namespace')).toEqual([]);
    expect(other.cluster.namespaceObject).toBeUndefined();
    // Without a chart namespace: 'celeborn'.
    const bare = new CelebornCluster(new Chart(Testing.app(), 'bare'), 'Celeborn', { storageClass: StorageClassRef.existing('fast-ssd') });
    expect(bare.namespace).toBe('celeborn');
    expect(synthValid(Chart.of(bare)).filter((x) => x.kind !== 'Namespace').map((x) => x.metadata.namespace)).toEqual(expect.arrayContaining(['celeborn']));
    // A built-in namespace is fine when the cluster does not emit it.
    expect(setup({ namespace: 'default', createNamespace: false }).cluster.namespace).toBe('default');
  });

  test('masters prefer separate nodes by default, may require them, and keep the user\'s affinity', () => {
    const selector = { 'app.kubernetes.io/name': 'celeborn', 'app.kubernetes.io/instance': 'celeborn', 'app.kubernetes.io/component': 'master' };
    const term = { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' };
    const affinity = (props: CelebornClusterProps) => find(synthValid(setup(props).chart), 'StatefulSet', 'celeborn-master').spec.template.spec.affinity;
    expect(affinity({})).toEqual({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } });
    expect(affinity({ masters: { requireSeparateNodes: true } }))
      .toEqual({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } });
    // The user's node affinity and anti-affinity terms stay, ours comes after.
    const nodeAffinity = {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['ctl'] }] }] },
    };
    const zone = { labelSelector: { matchLabels: selector }, topologyKey: 'topology.kubernetes.io/zone' };
    const own = { nodeAffinity, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [zone] } };
    expect(affinity({ masters: { requireSeparateNodes: true, pod: { affinity: own } } }))
      .toEqual({ nodeAffinity, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [zone, term] } });
    // One master has no peer to avoid.
    expect(affinity({ masters: { replicas: 1 } })).toBeUndefined();
    // The workers are only spread (a soft constraint), as before.
    expect(find(synthValid(setup().chart), 'StatefulSet', 'celeborn-worker').spec.template.spec.affinity).toBeUndefined();
  });

  test('refuses at synth a namespace another object of the app emits too', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new SparkTenant(chart, 'Team', { namespace: 'shuffle', networkIsolation: false });
    new CelebornCluster(chart, 'Celeborn', { namespace: 'shuffle', storageClass: StorageClassRef.existing('fast-ssd') });
    expect(() => app.synth()).toThrow(/test\/Celeborn: namespace "shuffle" is also emitted by test\/Team\/.*; set createNamespace: false on the CelebornCluster/);
    // Told not to, it leaves the namespace to the tenant.
    const ok = new Chart(Testing.app(), 'ok');
    new SparkTenant(ok, 'Team', { namespace: 'shuffle', networkIsolation: false });
    new CelebornCluster(ok, 'Celeborn', { namespace: 'shuffle', createNamespace: false, storageClass: StorageClassRef.existing('fast-ssd') });
    expect(synthValid(ok).filter((m) => m.kind === 'Namespace')).toHaveLength(1);
  });

  test('pod options reach the pods', () => {
    const { chart } = setup({
      masters: { pod: { nodeSelector: { 'node-role.example.com/control': 'true' } } },
      workers: { pod: { nodeSelector: { 'node-role.example.com/shuffle': 'true' }, priorityClassName: 'shuffle' } },
    });
    const m = synthValid(chart);
    expect(find(m, 'StatefulSet', 'celeborn-master').spec.template.spec.nodeSelector).toEqual({ 'node-role.example.com/control': 'true' });
    expect(find(m, 'StatefulSet', 'celeborn-worker').spec.template.spec).toMatchObject({
      nodeSelector: { 'node-role.example.com/shuffle': 'true' }, priorityClassName: 'shuffle',
    });
  });

  test('follows an ImageRegistryOverride', () => {
    const chart = new Chart(Testing.app(), 'test');
    ImageRegistryOverride.apply(chart, ImageRegistryOverride.mirror('registry.example.com'));
    new CelebornCluster(chart, 'Celeborn', { storageClass: StorageClassRef.existing('fast-ssd') });
    const images = synthValid(chart).filter((m) => m.kind === 'StatefulSet').map((m) => m.spec.template.spec.containers[0].image);
    expect(images).toEqual(['registry.example.com/apache/celeborn:0.7.0', 'registry.example.com/apache/celeborn:0.7.0']);
  });

  test.each([
    ['an even number of masters', { masters: { replicas: 2 } }, 'test/Celeborn: invalid masters.replicas 2: an odd number of masters'],
    ['no worker', { workers: { replicas: 0 } }, 'test/Celeborn: invalid workers.replicas 0: an integer of at least 1'],
    ['no disk', { workers: { disks: 0 } }, 'test/Celeborn: invalid workers.disks 0: an integer from 1 to 16'],
    ['an unpinned image', { image: 'apache/celeborn:latest' }, 'test/Celeborn: invalid image'],
    ['a typed key in conf', { conf: { 'celeborn.master.ha.enabled': 'false' } },
      'test/Celeborn: invalid conf key "celeborn.master.ha.enabled": a key no typed prop sets; set it through masters.replicas'],
    ['a worker port in conf', { conf: { 'celeborn.worker.push.port': '0' } },
      'test/Celeborn: invalid conf key "celeborn.worker.push.port": a key the construct manages: the construct fixes the worker ports'],
    ['a non-Celeborn key', { conf: { 'spark.shuffle.manager': 'x' } }, 'test/Celeborn: invalid conf key "spark.shuffle.manager": a Celeborn key'],
    ['a value on two lines', { conf: { 'celeborn.a': 'x\nceleborn.master.ha.enabled=false' } }, 'test/Celeborn: invalid conf "celeborn.a"'],
    ['a worker limit below its JVM', { workers: { resources: { memory: { limit: Size.gibibytes(2) } } } },
      'test/Celeborn: invalid workers.resources.memory.limit "2048 MiB": more than the 3072 MiB of heap and off-heap memory the JVM takes'],
    ['a CPU request above the limit', { masters: { resources: { cpu: { request: Cpu.units(2), limit: Cpu.units(1) } } } },
      'test/Celeborn: invalid masters.resources.cpu'],
    ['a fractional disk', { workers: { diskSize: Size.kibibytes(1500) } }, 'test/Celeborn: invalid workers.diskSize'],
    ['emitting a built-in namespace', { namespace: 'kube-system' },
      'test/Celeborn: invalid namespace "kube-system": a namespace of its own while createNamespace is true'],
    ['disks beside shuffleDisks', { workers: { disks: 2, shuffleDisks: CelebornDisks.emptyDir() } },
      'test/Celeborn: invalid workers.disks 2: nothing with workers.shuffleDisks: give the count and size to CelebornDisks'],
    ['diskSize beside shuffleDisks', { workers: { diskSize: Size.gibibytes(10), shuffleDisks: CelebornDisks.emptyDir() } },
      'test/Celeborn: invalid workers.diskSize "10240 MiB": nothing with workers.shuffleDisks'],
    ['shuffleDisks not made by CelebornDisks', { workers: { shuffleDisks: { kind: 'empty-dir', count: 1 } } },
      'test/Celeborn: invalid workers.shuffleDisks "(another object)": a CelebornDisks'],
    ['a typed disk key in conf', { conf: { 'celeborn.worker.storage.dirs': '/data' } },
      'test/Celeborn: invalid conf key "celeborn.worker.storage.dirs": a key no typed prop sets; set it through workers.shuffleDisks'],
    ['requireSeparateNodes as a string', { masters: { requireSeparateNodes: 'yes' } },
      'test/Celeborn: invalid masters.requireSeparateNodes "yes": true or false'],
    ['a heap as a string', { masters: { memory: '2g' } }, 'test/Celeborn: invalid masters.memory'],
  ])('refuses %s', (_, props, message) => {
    expect(() => setup(props as any)).toThrow(message);
  });

  test.each([
    ['no disk', () => CelebornDisks.emptyDir({ count: 0 }), 'CelebornDisks.emptyDir: invalid count 0: an integer from 1 to 16'],
    ['too many disks', () => CelebornDisks.persistentVolumeClaims({ count: 17 }), 'CelebornDisks.persistentVolumeClaims: invalid count 17: an integer from 1 to 16'],
    ['a fractional size', () => CelebornDisks.emptyDir({ size: Size.kibibytes(1500) }), 'CelebornDisks.emptyDir: invalid size'],
    ['a class by name', () => CelebornDisks.persistentVolumeClaims({ storageClass: 'fast' as any }),
      'CelebornDisks.persistentVolumeClaims: invalid storageClass "string": a StorageClassRef'],
  ])('CelebornDisks refuses %s', (_, make, message) => {
    expect(make).toThrow(message);
  });
});
