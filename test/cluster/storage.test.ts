// Storage: every claim the app emits can bind (issue #15, breaker 6: a kubeadm + flannel
// cluster has no StorageClass and no provisioner, so claims stay Pending forever).
//
// Upstream facts used here, read in rancher/local-path-provisioner at tag v0.0.37:
// deploy/local-path-storage.yaml (StorageClass provisioner `rancher.io/local-path`,
// `volumeBindingMode: WaitForFirstConsumer`, the ConfigMap keys config.json, setup, teardown,
// helperPod.yaml, the RBAC), main.go (flags, the POD_NAMESPACE / CONFIG_MOUNT_PATH /
// HEALTH_PORT variables, leader election off, the readiness check listing configmaps, pods and
// claims in its namespace), util.go (validateHelperPodTemplate: no volumes, no nodeName, no
// added capabilities), provisioner.go (helper pods get a hostPath volume and VOL_DIR), and
// package/Dockerfile (a scratch image with /usr/bin/local-path-provisioner).
import { Chart, Size, Testing } from 'cdk8s';
import { k8s, PersistentVolumeAccessMode, PersistentVolumeClaim, Secret } from 'cdk8s-plus-28';
import { parse } from 'yaml';
import {
  ClusterStorage, EventLogStore, HistoryLocalStore, LocalPathProvisioner, LocalPathReclaimPolicy, RegistryMirror, RegistryTls, SparkHistoryServer,
  SparkImage, SparkPlatform, SparkStandaloneCluster, StandaloneAuthentication, StorageClassRef, TenantApiServerAccess, WorkerStorage,
  ZeppelinNotebook,
} from '../../src';
import { SETUP_SCRIPT, TEARDOWN_SCRIPT } from '../../src/cluster/private/local-path';
import { s3Image } from '../harness/images';
import { synthValid } from '../harness/manifests';
import { checkScript } from '../harness/scripts';

const PLAIN = { tls: RegistryTls.plainHttp() };
const of = (manifests: any[], kind: string) => manifests.filter((m) => m.kind === kind);
const one = (manifests: any[], kind: string) => {
  const found = of(manifests, kind);
  expect(found).toHaveLength(1);
  return found[0];
};

function provisioner(props = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const lpp = new LocalPathProvisioner(chart, 'Storage', props);
  return { chart, lpp, manifests: synthValid(chart) };
}

describe('LocalPathProvisioner', () => {
  test('defaults (snapshot)', () => {
    expect(provisioner().manifests).toMatchSnapshot();
  });

  test('the StorageClass is rancher.io/local-path, WaitForFirstConsumer, the default class', () => {
    const { manifests, lpp } = provisioner();
    expect(one(manifests, 'StorageClass')).toMatchObject({
      metadata: { name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Delete',
    });
    expect(lpp.storageClass.storageClassName).toBe('local-path');
    expect(lpp.isDefaultClass).toBe(true);
  });

  test('the provisioner: pinned, non-root, read-only, requests and limits, reads its config from the mount', () => {
    const { manifests } = provisioner();
    const deployment = one(manifests, 'Deployment');
    expect(deployment.spec.replicas).toBe(1);
    // No leader election upstream (main.go LeaderElection(false)): never two pods at once.
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe('local-path-provisioner');
    // It watches claims and runs helper pods: its token is stated, not left to the ServiceAccount's setting.
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    const [c] = pod.containers;
    expect(c.image).toBe('docker.io/rancher/local-path-provisioner:v0.0.37');
    expect(c.command.slice(0, 2)).toEqual(['/usr/bin/local-path-provisioner', 'start']);
    expect(c.command).toEqual(expect.arrayContaining(['--config', '/etc/config/config.json', '--helper-pod-file', '/etc/config/helperPod.yaml',
      '--provisioner-name', 'rancher.io/local-path', '--service-account-name', 'local-path-provisioner', '--configmap-name', 'local-path-config']));
    expect(c.env).toContainEqual({ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.resources).toEqual({ requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'health' });
    expect(c.volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/config/', readOnly: true }]);
  });

  test('the namespace is privileged (helper pods mount hostPath), warning at baseline', () => {
    const ns = one(provisioner().manifests, 'Namespace');
    expect(ns.metadata.name).toBe('local-path-storage');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/warn': 'baseline',
    });
  });

  test('least privilege: pods and ConfigMaps only in its namespace, PersistentVolumes cluster-wide', () => {
    const { manifests } = provisioner();
    const rules = (kind: string) => one(manifests, kind).rules;
    const clusterResources = rules('ClusterRole').flatMap((r: any) => r.resources);
    expect(clusterResources).not.toContain('pods');
    expect(clusterResources).not.toContain('configmaps');
    expect(rules('ClusterRole')).toContainEqual({ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'] });
    expect(rules('ClusterRole')).toContainEqual({ apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] });
    expect(rules('Role')).toContainEqual({ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] });
    expect(one(manifests, 'Role').metadata.namespace).toBe('local-path-storage');
    const verbs = [...rules('ClusterRole'), ...rules('Role')].flatMap((r: any) => r.verbs);
    expect(verbs).not.toContain('*');
    expect(one(manifests, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'local-path-provisioner', namespace: 'local-path-storage' }]);
  });

  test('the ConfigMap: node path, setup and teardown scripts, a helper template the provisioner accepts', () => {
    const { manifests } = provisioner({ nodePath: '/var/lib/spark-volumes' });
    const data = one(manifests, 'ConfigMap').data;
    expect(Object.keys(data).sort()).toEqual(['config.json', 'helperPod.yaml', 'setup', 'teardown']);
    expect(JSON.parse(data['config.json'])).toEqual({ nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: ['/var/lib/spark-volumes'] }] });
    const helper = parse(data['helperPod.yaml']);
    // util.go validateHelperPodTemplate refuses these unless unsafe templates are allowed.
    expect(helper.spec.containers).toHaveLength(1);
    expect(helper.spec.volumes).toBeUndefined();
    expect(helper.spec.nodeName).toBeUndefined();
    expect(helper.spec.serviceAccountName).toBeUndefined();
    expect(helper.spec.containers[0].securityContext.capabilities?.add).toBeUndefined();
    expect(helper.spec.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
    expect(helper.spec.containers[0].image).toBe('docker.io/library/busybox:1.37.0');
    expect(helper.spec.containers[0].resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '200m', memory: '64Mi' } });
    expect(helper.spec.automountServiceAccountToken).toBe(false);
    // Root from the image (the provisioner refuses runAsUser 0 in the template), keeping the runtime's default
    // capabilities: removing what pods of other users wrote needs DAC_OVERRIDE, and the provisioner refuses
    // templates that add capabilities back (util.go validateHelperPodTemplate, v0.0.37).
    expect(helper.spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(helper.spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true });
    // The helper pod is validated like any pod we emit.
    synthValid(helperChart(helper));
  });

  test('the scripts pass bash -n, shellcheck and shfmt, and refuse an empty VOL_DIR', () => {
    checkScript(SETUP_SCRIPT, 'setup');
    checkScript(TEARDOWN_SCRIPT, 'teardown');
    expect(SETUP_SCRIPT).toContain('mkdir -p "${VOL_DIR:?}"\nchmod 0777 "${VOL_DIR}"');
    expect(TEARDOWN_SCRIPT).toContain('rm -rf "${VOL_DIR:?}"');
  });

  test('options: class name, not the default, Retain, no namespace', () => {
    const { manifests, lpp } = provisioner({
      storageClassName: 'node-local', defaultClass: false, reclaimPolicy: LocalPathReclaimPolicy.RETAIN, createNamespace: false,
    });
    const sc = one(manifests, 'StorageClass');
    expect(sc.metadata.name).toBe('node-local');
    expect(sc.metadata.annotations).toBeUndefined();
    expect(sc.reclaimPolicy).toBe('Retain');
    expect(of(manifests, 'Namespace')).toHaveLength(0);
    expect(lpp.storageClass.storageClassName).toBe('node-local');
  });

  test.each([
    ['nodePath relative', { nodePath: 'opt/volumes' }, 'test/Storage: invalid nodePath "opt/volumes": an absolute directory path'],
    ['nodePath root', { nodePath: '/' }, 'test/Storage: invalid nodePath "/"'],
    ['nodePath with ..', { nodePath: '/opt/../etc' }, 'test/Storage: invalid nodePath "/opt/../etc"'],
    ['nodePath with a blank', { nodePath: '/opt/my volumes' }, 'test/Storage: invalid nodePath "/opt/my volumes"'],
    ['unpinned image', { image: 'rancher/local-path-provisioner:latest' }, 'test/Storage: invalid image "rancher/local-path-provisioner:latest"'],
    ['unpinned helper', { helperImage: 'busybox' }, 'test/Storage: invalid image "busybox"'],
    ['class name', { storageClassName: 'Local_Path' }, 'test/Storage: invalid storageClassName "Local_Path"'],
    ['namespace', { namespace: 'Storage' }, 'test/Storage: invalid namespace "Storage"'],
    ['reclaim policy', { reclaimPolicy: 'Recycle' }, 'test/Storage: invalid reclaimPolicy "Recycle": one of Delete, Retain'],
  ])('refuses %s', (_, props, message) => {
    expect(() => provisioner(props)).toThrow(message);
  });
});

function helperChart(pod: any): Chart {
  const chart = new Chart(Testing.app(), 'helper');
  new k8s.KubePod(chart, 'Helper', { metadata: { name: 'helper-pod', namespace: 'local-path-storage' }, spec: pod.spec });
  return chart;
}

describe('the storage check', () => {
  const registry = (chart: Chart, props = {}) => new RegistryMirror(chart, 'Registry', { ...PLAIN, ...props });

  test('a claim naming no class, in an app without a default class, fails synthesis naming the path, the claim and the fix', () => {
    // Today's defaults emitted this claim without a word; on kubeadm it stays Pending forever.
    const chart = new Chart(Testing.app(), 'test');
    registry(chart);
    expect(() => Testing.synth(chart)).toThrow(
      'test/Registry/Data: PersistentVolumeClaim registry/registry-data names no StorageClass, and the app neither emits a default '
      + 'StorageClass nor states that the cluster has one, so the claim would stay Pending. Add a LocalPathProvisioner');
  });

  test('a claim naming a class nobody declared fails, naming the class', () => {
    const chart = new Chart(Testing.app(), 'test');
    const k8sChart = chart;
    new k8s.KubePersistentVolumeClaim(k8sChart, 'Mine', {
      metadata: { name: 'mine', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } } },
    });
    ClusterStorage.checkClaims(chart);
    expect(() => Testing.synth(chart)).toThrow('test/Mine: PersistentVolumeClaim default/mine asks for StorageClass "gp3", which the app '
      + 'neither emits nor states to exist, so the claim would stay Pending on a cluster without it. Add a LocalPathProvisioner '
      + '(kubeadm clusters have no StorageClass), or, when the cluster has the class, state it with StorageClassRef.existing(name)');
    ClusterStorage.declare(chart, StorageClassRef.existing('gp3'));
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('volume claim templates of StatefulSets are checked too', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'spark' });
    new SparkStandaloneCluster(chart, 'Cluster', {
      image: SparkImage.apache('3.5.7'),
      authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }),
      workers: { workDir: WorkerStorage.persistentVolume({ size: Size.gibibytes(10), storageClassName: 'nvme' }) },
    });
    expect(() => Testing.synth(chart)).toThrow('StatefulSet spark/spark-worker volume claim template "work" asks for StorageClass "nvme"');
  });

  test('a LocalPathProvisioner in the app makes claims without a class bind (its class is the default)', () => {
    const app = Testing.app();
    const storageChart = new Chart(app, 'storage');
    new LocalPathProvisioner(storageChart, 'Storage');
    const chart = new Chart(app, 'test');
    registry(chart);
    expect(one(synthValid(chart), 'PersistentVolumeClaim').spec.storageClassName).toBeUndefined();
  });

  test('a non-default provisioner class must be named', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const lpp = new LocalPathProvisioner(chart, 'Storage', { defaultClass: false });
    registry(chart);
    expect(() => Testing.synth(chart)).toThrow('names no StorageClass');
    const chart2 = new Chart(Testing.app(), 'test');
    const lpp2 = new LocalPathProvisioner(chart2, 'Storage', { defaultClass: false });
    registry(chart2, { storageClass: lpp2.storageClass });
    expect(one(synthValid(chart2).filter((m) => m.metadata.namespace === 'registry'), 'PersistentVolumeClaim').spec.storageClassName)
      .toBe('local-path');
    expect(lpp.storageClass.storageClassName).toBe('local-path');
  });

  test('stated classes: existing, the cluster default; a StorageClass object of the user counts', () => {
    const existing = new Chart(Testing.app(), 'test');
    registry(existing, { storageClass: StorageClassRef.existing('gp3') });
    expect(one(synthValid(existing), 'PersistentVolumeClaim').spec.storageClassName).toBe('gp3');

    const byDefault = new Chart(Testing.app(), 'test');
    registry(byDefault, { storageClass: StorageClassRef.clusterDefault() });
    expect(one(synthValid(byDefault), 'PersistentVolumeClaim').spec.storageClassName).toBeUndefined();

    const own = new Chart(Testing.app(), 'test');
    new k8s.KubeStorageClass(own, 'Fast', { metadata: { name: 'fast' }, provisioner: 'example.com/fast' });
    registry(own, { storageClass: StorageClassRef.existing('fast') });
    expect(() => synthValid(own)).not.toThrow();
  });

  test('a claim for the empty class needs a PersistentVolume without a class; volumeName binds directly', () => {
    const chart = new Chart(Testing.app(), 'test');
    ClusterStorage.checkClaims(chart);
    const claim = (id: string, spec: any) => new k8s.KubePersistentVolumeClaim(chart, id, {
      metadata: { name: id.toLowerCase(), namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString('1Gi') } }, ...spec },
    });
    claim('Static', { storageClassName: '' });
    claim('Named', { volumeName: 'pv-1' });
    expect(() => Testing.synth(chart)).toThrow('test/Static: PersistentVolumeClaim default/static asks for no StorageClass (storageClassName ""), '
      + 'so it only binds to a PersistentVolume without a class, and the app emits none');
    new k8s.KubePersistentVolume(chart, 'Volume', {
      metadata: { name: 'pv-0' },
      spec: { capacity: { storage: k8s.Quantity.fromString('1Gi') }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } },
    });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('local-path serves ReadWriteOnce only: a ReadWriteMany event-log claim on it fails (provisioner.go provisionFor)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'spark' });
    new LocalPathProvisioner(chart, 'Storage');
    const claim = new PersistentVolumeClaim(chart, 'Logs', { storage: Size.gibibytes(5), accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY] });
    new SparkHistoryServer(chart, 'History', { store: EventLogStore.pvc({ claim }) });
    expect(() => Testing.synth(chart)).toThrow(`test/Logs/Resource: PersistentVolumeClaim spark/${claim.name}: asks for access modes `
      + 'ReadWriteMany, but StorageClass "local-path" (rancher.io/local-path) provisions node-local volumes: ReadWriteOnce and '
      + 'ReadWriteOncePod only, so the claim would stay Pending. Use a StorageClass with shared storage');
  });

  test('the history server turns the check on for the claims it mounts', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'spark' });
    const claim = new PersistentVolumeClaim(chart, 'Store', { storage: Size.gibibytes(5) });
    new SparkHistoryServer(chart, 'History', {
      store: EventLogStore.s3({ bucket: 'logs' }),
      image: s3Image(),
      localStore: HistoryLocalStore.persistentVolumeClaim({ claim }),
    });
    expect(() => Testing.synth(chart)).toThrow(`test/Store/Resource: PersistentVolumeClaim spark/${claim.name} names no StorageClass`);
  });

  test('the notebook claim', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'spark' });
    const cluster = new SparkStandaloneCluster(chart, 'Cluster', {
      image: SparkImage.apache('3.5.7'),
      authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }),
    });
    new ZeppelinNotebook(chart, 'Notebook', { cluster, notebookStorage: Size.gibibytes(1) });
    expect(() => Testing.synth(chart)).toThrow('test/Notebook/Notebooks: PersistentVolumeClaim spark/spark-zeppelin-notebooks names no StorageClass');
  });

  test.each<[string, (chart: Chart) => unknown, string]>([
    ['a string as a construct\'s storageClass', (chart) => registry(chart, { storageClass: 'gp3' as any }),
      'test/Registry: invalid storageClass "gp3": a StorageClassRef'],
    ['an upper-case class name', () => StorageClassRef.existing('GP3'), 'StorageClassRef.existing: invalid name "GP3": a DNS-1123 subdomain'],
    ['a plain object to declare', (chart) => ClusterStorage.declare(chart, {} as any), 'test: invalid storageClass {}: a StorageClassRef'],
  ])('refuses %s', (_name, make, message) => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => make(chart)).toThrow(message);
  });
});

describe('SparkPlatform storage', () => {
  const cluster = { kubernetesVersion: '1.34.1', registryMirrorNodeOptions: { insecurePlainHttp: true } };
  const tenants = [{ namespace: 'team-a', apiServer: TenantApiServerAccess.toCidrs(['192.168.10.10/32']) }];
  const mirrors = [{ tls: RegistryTls.plainHttp(), clusterIp: '10.96.0.50' }];

  test('with a cluster layer: a LocalPathProvisioner in the cluster chart, and the registries use its class', () => {
    const app = Testing.app();
    const platform = new SparkPlatform(app, 'p', { cluster, tenants, registries: { mirrors } });
    expect(platform.localPathProvisioner).toBeDefined();
    expect(platform.localPathProvisioner!.node.scope).toBe(platform.clusterChart);
    const clusterManifests = synthValid(platform.clusterChart!);
    expect(one(clusterManifests, 'StorageClass').provisioner).toBe('rancher.io/local-path');
    const claim = one(synthValid(platform.registriesChart!), 'PersistentVolumeClaim');
    expect(claim.spec.storageClassName).toBe('local-path');
  });

  test('on an existing cluster: no provisioner unless asked; registries then need a stated class', () => {
    const app = Testing.app();
    const platform = new SparkPlatform(app, 'p', { tenants, registries: { mirrors } });
    expect(platform.localPathProvisioner).toBeUndefined();
    expect(() => Testing.synth(platform.registriesChart!)).toThrow('names no StorageClass');

    const stated = new SparkPlatform(Testing.app(), 'p', { tenants, registries: { mirrors }, storage: { storageClass: StorageClassRef.existing('gp3') } });
    expect(one(synthValid(stated.registriesChart!), 'PersistentVolumeClaim').spec.storageClassName).toBe('gp3');

    const asked = new SparkPlatform(Testing.app(), 'p', { tenants, registries: { mirrors }, storage: { localPathProvisioner: true } });
    expect(asked.storageChart).toBeDefined();
    expect(one(synthValid(asked.storageChart!), 'StorageClass').metadata.name).toBe('local-path');
    expect(() => new SparkPlatform(Testing.app(), 'p', { storage: { localPathProvisioner: false, localPath: {} }, cluster }))
      .toThrow('p: invalid storage.localPath "given": only with a provisioner');
  });
});
