import { Chart, Size, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  ImageRegistryOverride, LocalPathProvisioner, SparkImage, SparkStandaloneCluster, StandaloneAuthentication, StorageClassRef, ZeppelinNotebook,
  ZeppelinNotebookProps,
} from '../../src';
import { synthValid } from '../harness/manifests';

function setup(props: Partial<ZeppelinNotebookProps> = {}, sparkVersion = '3.5.7', app = Testing.app()) {
  const chart = new Chart(app, 'test', { namespace: 'analytics' });
  const cluster = new SparkStandaloneCluster(chart, 'Cluster', {
    image: SparkImage.apache(sparkVersion),
    authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }),
  });
  const notebook = new ZeppelinNotebook(chart, 'Notebook', { cluster, ...props });
  return { chart, cluster, notebook };
}

const notebookObjects = (manifests: any[]) => manifests.filter((m) => m.metadata.labels?.['app.kubernetes.io/name'] === 'zeppelin');
const deploymentOf = (manifests: any[]) => manifests.find((m) => m.kind === 'Deployment');
const envOf = (container: any): { [name: string]: any } =>
  Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

describe('ZeppelinNotebook', () => {
  test('defaults (snapshot)', () => {
    const { chart } = setup();
    expect(notebookObjects(synthValid(chart))).toMatchSnapshot();
  });

  test('the Spark interpreter runs the cluster\'s Spark against its master, with its conf and secret', () => {
    const { chart, cluster, notebook } = setup();
    const manifests = synthValid(chart);
    const pod = deploymentOf(manifests).spec.template.spec;
    const [init] = pod.initContainers;
    expect(init.image).toBe('docker.io/apache/spark:3.5.7');
    expect(init.command).toEqual(['cp', '-R', '/opt/spark/bin', '/opt/spark/jars', '/opt/spark/python', '/opt/spark/RELEASE', '/spark-home/']);
    const zeppelin = pod.containers[0];
    expect(zeppelin.image).toBe('docker.io/apache/zeppelin:0.12.0');
    expect(envOf(zeppelin)).toMatchObject({
      SPARK_HOME: '/opt/spark',
      SPARK_MASTER: cluster.masterUrl,
      SPARK_CONF_DIR: '/opt/spark/conf',
      ZEPPELIN_RUN_MODE: 'local',
      ZEPPELIN_ADDR: '0.0.0.0',
      _SPARK_AUTH_SECRET: { secretKeyRef: { name: 'spark-auth', key: 'secret', optional: false } },
    });
    expect(zeppelin.volumeMounts).toEqual([
      { name: 'spark-home', mountPath: '/opt/spark' },
      { name: 'spark-conf', mountPath: '/opt/spark/conf', readOnly: true },
      { name: 'notebooks', mountPath: '/var/lib/zeppelin/notebook' },
    ]);
    expect(pod.volumes).toContainEqual({ name: 'spark-conf', configMap: { name: 'spark-client-conf' } });
    expect(pod.volumes).toContainEqual({ name: 'notebooks', emptyDir: {} });
    // No API token: Zeppelin would otherwise switch to launching interpreter pods.
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    expect(pod.securityContext.runAsGroup).toBeUndefined();
    expect(zeppelin.securityContext).toMatchObject({ runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(zeppelin.readinessProbe.httpGet).toMatchObject({ path: '/api/version', port: 'http' });
    const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name === 'spark-zeppelin');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    expect(notebook.url).toBe('http://spark-zeppelin.analytics.svc:8080');
    expect(deploymentOf(manifests).spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('notebooks on a PersistentVolumeClaim; group, port and image settings', () => {
    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('mirror.example:5000'));
    const { chart, notebook } = setup({
      name: 'notes',
      notebookStorage: Size.gibibytes(5),
      storageClass: StorageClassRef.existing('standard'),
      gid: 2000,
      port: 9090,
      image: 'docker.io/apache/zeppelin:0.12.0',
      imagePullSecrets: [Secret.fromSecretName(new Chart(Testing.app(), 'x'), 'P', 'regcred')],
    }, '3.5.7', app);
    const manifests = synthValid(chart);
    const claim = manifests.find((m) => m.kind === 'PersistentVolumeClaim');
    expect(claim.metadata.name).toBe('notes-notebooks');
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '5Gi' } } });
    const pod = deploymentOf(manifests).spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'notebooks', persistentVolumeClaim: { claimName: 'notes-notebooks' } });
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000 });
    expect(pod.containers[0].image).toBe('mirror.example:5000/apache/zeppelin:0.12.0');
    expect(pod.initContainers[0].image).toBe('mirror.example:5000/apache/spark:3.5.7');
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(envOf(pod.containers[0]).ZEPPELIN_PORT).toBe('9090');
    expect(notebook.notebookClaim).toBeDefined();
  });

  test.each<[string, () => unknown, string]>([
    // Zeppelin 0.12.0's Spark interpreter stops before Spark 4 (and its image runs Java 11).
    ['Zeppelin 0.12.0 on Spark 4', () => setup({}, '4.0.4'), 'test/Notebook: invalid image "docker.io/apache/zeppelin:0.12.0": a Zeppelin release that '
      + 'runs Spark 4.0.4 (the cluster\'s image): Zeppelin 0.12.0 runs Spark 3.3.0 up to (not including) 4.0.0'],
    ['Zeppelin 0.12.1 on Spark 4', () => setup({ image: 'docker.io/apache/zeppelin:0.12.1' }, '4.0.4'),
      'test/Notebook: invalid image "docker.io/apache/zeppelin:0.12.1": a Zeppelin release that runs Spark 4.0.4 (the cluster\'s image): '
      + 'Zeppelin 0.12.1 runs Spark 3.3.0 up to (not including) 4.0.0 (SparkVersion accepts < 4.1.0, but the image\'s Java 11 cannot run Spark 4'],
    // apache/zeppelin v0.10.1 SparkVersion.java: UNSUPPORTED_FUTURE_VERSION 3.3.0.
    ['Zeppelin 0.10.1 on Spark 3.3', () => setup({ image: 'docker.io/apache/zeppelin:0.10.1' }, '3.3.0'),
      'Zeppelin 0.10.1 runs Spark 3.0.0 up to (not including) 3.3.0'],
    // ZEPPELIN_RUN_MODE first appears in 0.9.0 (absent from v0.8.2's ZeppelinConfiguration.java).
    ['Zeppelin 0.8.2', () => setup({ image: 'docker.io/apache/zeppelin:0.8.2' }),
      'test/Notebook: invalid image "docker.io/apache/zeppelin:0.8.2": a Zeppelin release 0.9.0 or later'],
    ['an image tagged without its release', () => setup({ image: 'registry.example.com/zeppelin:notebooks' }),
      'test/Notebook: invalid image "registry.example.com/zeppelin:notebooks": a Zeppelin image tagged with its release'],
    ['an image by digest only', () => setup({ image: `docker.io/apache/zeppelin@sha256:${'a'.repeat(64)}` }),
      'a Zeppelin image tagged with its release'],
    ['an unpinned image', () => setup({ image: 'apache/zeppelin:latest' }), 'test/Notebook: invalid image "apache/zeppelin:latest": a pinned image'],
    ['a storage class without storage', () => setup({ storageClass: StorageClassRef.existing('fast') }),
      'test/Notebook: invalid storageClass "the existing StorageClass \\"fast\\"": only with notebookStorage'],
    ['a privileged port', () => setup({ port: 80 }), 'test/Notebook: invalid port 80'],
    ['root', () => setup({ uid: 0 }), 'test/Notebook: invalid uid 0'],
    ['a bad name', () => setup({ name: 'Notes' }), 'test/Notebook: invalid name "Notes"'],
    ['a fractional size', () => setup({ notebookStorage: Size.kibibytes(3) }), 'test/Notebook: invalid notebookStorage'],
  ])('refuses %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('the image\'s group owns Zeppelin\'s home: no runAsGroup on the pod or the server unless gid is given', () => {
    const contexts = (props: Partial<ZeppelinNotebookProps>) => {
      const pod = deploymentOf(synthValid(setup(props).chart)).spec.template.spec;
      return { pod: pod.securityContext, init: pod.initContainers[0].securityContext, zeppelin: pod.containers[0].securityContext };
    };
    const image = contexts({});
    expect(image.pod).not.toHaveProperty('runAsGroup');
    expect(image.zeppelin).not.toHaveProperty('runAsGroup');
    // The init container only copies Spark into its own emptyDir.
    expect(image.init).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, readOnlyRootFilesystem: true });
    // Zeppelin writes under its home in the image.
    expect(image.zeppelin).toMatchObject({ runAsUser: 1000, readOnlyRootFilesystem: false });
    const given = contexts({ uid: 1001, gid: 2000 });
    expect(given.pod).toMatchObject({ runAsUser: 1001, runAsGroup: 2000, fsGroup: 2000 });
    expect(given.init).toMatchObject({ runAsUser: 1001, runAsGroup: 2000 });
    expect(given.zeppelin).toMatchObject({ runAsUser: 1001, runAsGroup: 2000 });
  });

  test('order: the provisioner of the notebook claim\'s default class before or after the notebook, the same YAML', () => {
    const build = (provisionerFirst: boolean) => {
      const app = Testing.app();
      const storage = new Chart(app, 'storage');
      const chart = new Chart(app, 'test', { namespace: 'analytics' });
      const provisioner = () => new LocalPathProvisioner(storage, 'Storage');
      if (provisionerFirst) provisioner();
      const cluster = new SparkStandaloneCluster(chart, 'Cluster', { authentication: StandaloneAuthentication.none() });
      new ZeppelinNotebook(chart, 'Notebook', { cluster, notebookStorage: Size.gibibytes(1) });
      if (!provisionerFirst) provisioner();
      return app.synthYaml();
    };
    expect(build(false)).toBe(build(true));
  });

  test('a registry override applied after the notebook fails synthesis instead of leaving its images unchanged', () => {
    const app = Testing.app();
    const { chart } = setup({}, '3.5.7', app);
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('mirror.example:5000'));
    expect(() => Testing.synth(chart)).toThrow('test/Notebook: image registry override changed after test/Notebook emitted its images');
  });

  test('a Zeppelin image built for Spark 4 is accepted', () => {
    expect(() => setup({ image: 'registry.example.com/zeppelin:0.13.0-spark4' }, '4.0.4')).not.toThrow();
  });

  test('defaults compose: the default notebook runs on the default standalone cluster (Spark 3.5.7)', () => {
    const chart = new Chart(Testing.app(), 'test');
    const cluster = new SparkStandaloneCluster(chart, 'Cluster', { authentication: StandaloneAuthentication.none() });
    expect(cluster.image.sparkVersion).toBe('3.5.7');
    new ZeppelinNotebook(chart, 'Notebook', { cluster });
    const images = synthValid(chart).flatMap((m: any) => [
      ...(m.spec?.template?.spec?.initContainers ?? []), ...(m.spec?.template?.spec?.containers ?? []),
    ].map((c: any) => c.image));
    expect([...new Set(images)].sort()).toEqual(['docker.io/apache/spark:3.5.7', 'docker.io/apache/zeppelin:0.12.0']);
  });
});
