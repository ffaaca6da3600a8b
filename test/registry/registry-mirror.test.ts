import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, ISecret, Secret } from 'cdk8s-plus-28';
import { parse } from 'yaml';
import {
  CertManagerIssuerKind, ClusterNetwork, ClusterStorage, ContainerdMirror, FlannelCni, ImageRegistryOverride, KubeadmClusterPrereqs,
  RegistryLogLevel, RegistryMirror, RegistryMirrorProps, RegistryMirrorSet, RegistryTls, RegistryUpstream, SparkImage,
  StorageClassRef,
} from '../../src';
import { synthValid } from '../harness/manifests';
import { certManagerCrds } from '../harness/third-party-crds';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2FjZXJ0\n-----END CERTIFICATE-----\n';

const secret = (chart: Chart, name: string): ISecret => Secret.fromSecretName(chart, `Secret-${name}`, name);

function build(props: RegistryMirrorProps, app: App = Testing.app()) {
  const chart = new Chart(app, 'test');
  // The claim names no class: the test cluster has a default one.
  ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
  const mirror = new RegistryMirror(chart, 'Registry', props);
  return { app, chart, mirror };
}

function manifestsOf(props: RegistryMirrorProps) {
  const { chart, mirror } = build(props);
  return { mirror, manifests: synthValid(chart, { crds: certManagerCrds() }) };
}

function find(manifests: any[], kind: string): any {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

const podSpec = (m: any[]) => find(m, 'Deployment').spec.template.spec;
const container = (m: any[]) => podSpec(m).containers[0];
const configOf = (m: any[], key = 'config.yml') => parse(find(m, 'ConfigMap').data[key]);
const gcPod = (m: any[]) => find(m, 'CronJob').spec.jobTemplate.spec.template.spec;
const PLAIN = { tls: RegistryTls.plainHttp() };

describe('RegistryMirror', () => {
  test('defaults', () => {
    expect(manifestsOf(PLAIN).manifests).toMatchSnapshot();
  });

  test('a private registry: Recreate Deployment on a ReadWriteOnce claim, restricted, no token', () => {
    const { manifests, mirror } = manifestsOf({ ...PLAIN, storageSize: Size.gibibytes(100), storageClass: StorageClassRef.existing('local-path') });
    expect(manifests.map((m) => m.kind)).toEqual(['Namespace', 'ConfigMap', 'PersistentVolumeClaim', 'Deployment', 'Service', 'CronJob']);
    const deployment = find(manifests, 'Deployment');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(find(manifests, 'PersistentVolumeClaim').spec).toEqual({
      accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '100Gi' } },
    });
    const pod = podSpec(manifests);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    const c = container(manifests);
    expect(c.image).toBe('docker.io/library/registry:3.0.0');
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(c.command).toEqual(['/bin/sh', '/etc/distribution/config/run-registry.sh']);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/', port: 'registry', scheme: 'HTTP' });
    expect(c.ports).toContainEqual({ name: 'metrics', containerPort: 5001, protocol: 'TCP' });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
    expect(c.env).toContainEqual({ name: 'OTEL_TRACES_EXPORTER', value: 'none' });
    expect(deployment.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/port': '5001', 'prometheus.io/path': '/metrics' });
    expect(find(manifests, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(mirror.isPullThroughCache).toBe(false);
    expect(mirror.endpoint).toBe('registry.registry.svc:5000');
    expect(mirror.url).toBe('http://registry.registry.svc:5000');
  });

  test('configuration: delete enabled, read-only variant, metrics, health', () => {
    const { manifests } = manifestsOf({ ...PLAIN, logLevel: RegistryLogLevel.DEBUG });
    const config = configOf(manifests);
    expect(config.version).toBe('0.1');
    expect(config.log.level).toBe('debug');
    expect(config.storage).toMatchObject({
      filesystem: { rootdirectory: '/var/lib/registry' },
      delete: { enabled: true },
      maintenance: { readonly: { enabled: false }, uploadpurging: { enabled: true } },
    });
    expect(config.http).toMatchObject({ addr: ':5000', debug: { addr: ':5001', prometheus: { enabled: true, path: '/metrics' } } });
    expect(config.http.tls).toBeUndefined();
    expect(config.auth).toBeUndefined();
    expect(config.proxy).toBeUndefined();
    expect(config.health.storagedriver.enabled).toBe(true);
    const readOnly = configOf(manifests, 'config-read-only.yml');
    expect(readOnly.storage.maintenance).toEqual({ readonly: { enabled: true }, uploadpurging: { enabled: false } });
    expect({ ...readOnly, storage: undefined }).toEqual({ ...config, storage: undefined });
  });

  test('a pull-through cache: upstream, TTL, credentials only from the Secret', () => {
    const { manifests, mirror } = manifestsOf({
      ...PLAIN,
      clusterIp: '10.96.0.50',
      proxy: {
        upstream: RegistryUpstream.dockerHub(),
        ttl: Duration.days(2),
        credentials: { secret: Secret.fromSecretName(Testing.chart(), 'Hub', 'docker-hub'), passwordKey: 'token' },
      },
    });
    expect(mirror.name).toBe('mirror-docker-io');
    expect(mirror.endpoint).toBe('10.96.0.50:5000');
    expect(configOf(manifests).proxy).toEqual({ remoteurl: 'https://registry-1.docker.io', ttl: '48h' });
    expect(container(manifests).env).toEqual(expect.arrayContaining([
      { name: 'REGISTRY_PROXY_USERNAME', valueFrom: { secretKeyRef: { name: 'docker-hub', key: 'username' } } },
      { name: 'REGISTRY_PROXY_PASSWORD', valueFrom: { secretKeyRef: { name: 'docker-hub', key: 'token' } } },
    ]));
    expect(JSON.stringify(find(manifests, 'ConfigMap'))).not.toMatch(/username|password/);
    // A cache keeps untagged manifests (pulled by digest) by default.
    expect(gcPod(manifests).containers[0].env).toContainEqual({ name: 'DELETE_UNTAGGED', value: 'false' });
    expect(find(manifests, 'Service').spec.clusterIP).toBe('10.96.0.50');
    const forever = manifestsOf({ ...PLAIN, proxy: { upstream: RegistryUpstream.quay(), ttl: Duration.seconds(0) } });
    expect(configOf(forever.manifests).proxy).toEqual({ remoteurl: 'https://quay.io', ttl: '0h' });
    expect(forever.mirror.name).toBe('mirror-quay-io');
  });

  test('upstreams', () => {
    expect([RegistryUpstream.dockerHub(), RegistryUpstream.registryK8s(), RegistryUpstream.ghcr(), RegistryUpstream.quay()]
      .map((u) => [u.host, u.url, u.shortName])).toEqual([
      ['docker.io', 'https://registry-1.docker.io', 'docker-io'],
      ['registry.k8s.io', 'https://registry.k8s.io', 'registry-k8s-io'],
      ['ghcr.io', 'https://ghcr.io', 'ghcr-io'],
      ['quay.io', 'https://quay.io', 'quay-io'],
    ]);
    const custom = RegistryUpstream.custom('https://registry.gitlab.com/');
    expect([custom.host, custom.url]).toEqual(['registry.gitlab.com', 'https://registry.gitlab.com']);
    const internal = RegistryUpstream.custom('http://harbor.lab:8080', { allowInsecureHttp: true, host: 'harbor.lab' });
    expect([internal.host, internal.url]).toEqual(['harbor.lab', 'http://harbor.lab:8080']);
  });

  test('htpasswd and TLS from Secrets the user owns', () => {
    const chart = Testing.chart();
    const { manifests, mirror } = manifestsOf({
      auth: { secret: secret(chart, 'registry-users'), key: 'users', realm: 'Spark registry' },
      tls: RegistryTls.fromSecret(secret(chart, 'registry-tls'), { certificateKey: 'cert.pem', privateKeyKey: 'key.pem' }),
    });
    const config = configOf(manifests);
    expect(config.auth).toEqual({ htpasswd: { realm: 'Spark registry', path: '/etc/distribution/auth/htpasswd' } });
    expect(config.http.tls).toEqual({ certificate: '/etc/distribution/tls/tls.crt', key: '/etc/distribution/tls/tls.key', minimumtls: 'tls1.2' });
    const volumes = podSpec(manifests).volumes;
    expect(volumes).toContainEqual({ name: 'auth', secret: { secretName: 'registry-users', items: [{ key: 'users', path: 'htpasswd' }] } });
    expect(volumes).toContainEqual({
      name: 'tls',
      secret: { secretName: 'registry-tls', items: [{ key: 'cert.pem', path: 'tls.crt' }, { key: 'key.pem', path: 'tls.key' }] },
    });
    expect(container(manifests).readinessProbe.httpGet.scheme).toBe('HTTPS');
    expect(find(manifests, 'Service').spec.ports[0].appProtocol).toBe('https');
    expect(mirror.url).toBe('https://registry.registry.svc:5000');
    expect(mirror.tlsSecretName).toBe('registry-tls');
    // The garbage collector needs neither credentials nor certificates.
    expect(gcPod(manifests).volumes.map((v: any) => v.name)).toEqual(['config', 'data', 'tmp']);
  });

  test('cert-manager issues the certificate on opt-in, for every name the registry is reached by', () => {
    const network = new ClusterNetwork(Testing.chart(), 'Network', { dnsDomain: 'lab.internal' });
    const { manifests, mirror } = manifestsOf({
      clusterIp: '10.96.0.50',
      network,
      ingress: { host: 'registry.example.com' },
      tls: RegistryTls.certManager({
        issuer: { name: 'lab-ca', kind: CertManagerIssuerKind.CLUSTER_ISSUER },
        duration: Duration.days(30),
        renewBefore: Duration.days(10),
        dnsNames: ['registry.lab'],
      }),
    });
    const certificate = find(manifests, 'Certificate');
    expect(certificate.apiVersion).toBe('cert-manager.io/v1');
    expect(certificate.spec).toEqual({
      secretName: 'registry-tls',
      commonName: 'registry.registry.svc',
      dnsNames: ['registry', 'registry.registry', 'registry.registry.svc', 'registry.registry.svc.lab.internal',
        'registry.example.com', 'registry.lab'],
      ipAddresses: ['10.96.0.50'],
      issuerRef: { name: 'lab-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      usages: ['server auth', 'digital signature', 'key encipherment'],
      duration: '2592000s',
      renewBefore: '864000s',
    });
    expect(podSpec(manifests).volumes).toContainEqual(expect.objectContaining({ name: 'tls', secret: expect.objectContaining({ secretName: 'registry-tls' }) }));
    expect(mirror.certificate).toBeDefined();
  });

  test('NodePort on opt-in, and an Ingress', () => {
    const chart = Testing.chart();
    const { manifests } = manifestsOf({
      ...PLAIN,
      port: 443,
      nodePort: 30500,
      ingress: {
        host: 'registry.example.com',
        ingressClassName: 'nginx',
        tlsSecret: secret(chart, 'wildcard-tls'),
        annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '0' },
      },
    });
    expect(find(manifests, 'Service').spec).toMatchObject({
      type: 'NodePort',
      ports: [{ name: 'registry', port: 443, targetPort: 'registry', nodePort: 30500, protocol: 'TCP' }],
    });
    const ingress = find(manifests, 'Ingress');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/proxy-body-size': '0' });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['registry.example.com'], secretName: 'wildcard-tls' }],
      rules: [{
        host: 'registry.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'registry', port: { name: 'registry' } } } }] },
      }],
    });
    expect(find(manifests, 'Deployment').spec.template.spec.containers[0].ports[0].containerPort).toBe(5000);
  });

  test('garbage collection: a CronJob next to the registry pod, behind a read-only lease', () => {
    const { manifests } = manifestsOf({
      ...PLAIN,
      garbageCollection: {
        schedule: '@daily',
        timeZone: 'Europe/Berlin',
        maxDuration: Duration.minutes(30),
        resources: { memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) }, cpu: { request: Cpu.millis(50), limit: Cpu.millis(500) } },
      },
    });
    const cron = find(manifests, 'CronJob');
    expect(cron.spec).toMatchObject({ schedule: '@daily', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid' });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 1800 });
    const pod = gcPod(manifests);
    expect(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{
      labelSelector: { matchLabels: find(manifests, 'Deployment').spec.selector.matchLabels },
      topologyKey: 'kubernetes.io/hostname',
    }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'registry-data' } });
    const c = pod.containers[0];
    expect(c.command).toEqual(['/bin/sh', '/etc/distribution/config/garbage-collect.sh']);
    expect(c.env).toEqual(expect.arrayContaining([
      { name: 'LEASE_SECONDS', value: '1800' },
      { name: 'DELETE_UNTAGGED', value: 'true' },
      { name: 'MAINTENANCE_DIR', value: '/var/lib/registry/cdk8s-spark-maintenance' },
    ]));
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '512Mi' }, limits: { cpu: '500m', memory: '2Gi' } });
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    // Default: weekly, Sunday 03:30.
    expect(find(manifestsOf(PLAIN).manifests, 'CronJob').spec.schedule).toBe('30 3 * * 0');
    expect(manifestsOf({ ...PLAIN, garbageCollection: { enabled: false } }).manifests.map((m) => m.kind)).not.toContain('CronJob');
  });

  test('garbage collection: its own pod labels and annotations, beside the construct\'s; the registry\'s pod options keep theirs', () => {
    const { manifests } = manifestsOf({
      ...PLAIN,
      pod: { labels: { tier: 'registry' }, annotations: { 'example.com/registry': 'yes' } },
      garbageCollection: { podLabels: { 'cost-center': 'platform' }, podAnnotations: { 'example.com/maintenance': 'gc' } },
    });
    const template = find(manifests, 'CronJob').spec.jobTemplate.spec.template.metadata;
    expect(template.labels).toMatchObject({ 'cost-center': 'platform', 'app.kubernetes.io/component': 'garbage-collection' });
    expect(template.labels).not.toHaveProperty('tier');
    expect(template.annotations).toEqual({ 'example.com/maintenance': 'gc' });
    const registryPod = find(manifests, 'Deployment').spec.template.metadata;
    expect(registryPod.labels).not.toHaveProperty('cost-center');
    expect(registryPod.annotations ?? {}).not.toHaveProperty('example.com/maintenance');
    expect(find(manifestsOf(PLAIN).manifests, 'CronJob').spec.jobTemplate.spec.template.metadata).not.toHaveProperty('annotations');
  });

  test('a configuration change rolls the Deployment', () => {
    const hash = (props: RegistryMirrorProps) =>
      find(manifestsOf(props).manifests, 'Deployment').spec.template.metadata.annotations['cdk8s-spark/config-hash'];
    expect(hash(PLAIN)).toBe(hash(PLAIN));
    expect(hash({ ...PLAIN, logLevel: RegistryLogLevel.WARN })).not.toBe(hash(PLAIN));
  });

  describe('nodes and manifests use the mirror', () => {
    test('containerdMirror(): hosts.toml for the upstream, or TLS settings for a private registry', () => {
      const hub = build({ ...PLAIN, clusterIp: '10.96.0.50', proxy: { upstream: RegistryUpstream.dockerHub() } }).mirror;
      const m = hub.containerdMirror({ insecurePlainHttp: true });
      expect([m.registry, m.endpoint, m.server, m.directory]).toEqual(
        ['docker.io', '10.96.0.50:5000', 'https://registry-1.docker.io', '/etc/containerd/certs.d/docker.io']);
      expect(m.hostsToml).toBe([
        '# Generated by cdk8s-spark (KubeadmClusterPrereqs); prepare-node.sh rewrites this file.',
        'server = "https://registry-1.docker.io"',
        '',
        '[host."http://10.96.0.50:5000"]',
        '  capabilities = ["pull", "resolve"]',
      ].join('\n'));

      const k8sMirror = build({
        tls: RegistryTls.fromSecret(Secret.fromSecretName(Testing.chart(), 'T', 't')),
        endpoint: 'k8s-mirror.lab:5000',
        proxy: { upstream: RegistryUpstream.registryK8s() },
      }).mirror;
      expect(k8sMirror.containerdMirror({ caCertificate: CA }).hostsToml).toBe([
        '# Generated by cdk8s-spark (KubeadmClusterPrereqs); prepare-node.sh rewrites this file.',
        'server = "https://registry.k8s.io"',
        '',
        '[host."https://k8s-mirror.lab:5000"]',
        '  capabilities = ["pull", "resolve"]',
        '  ca = "/etc/containerd/certs.d/registry.k8s.io/cdk8s-spark-ca.crt"',
      ].join('\n'));

      const hosted = build({ tls: RegistryTls.fromSecret(Secret.fromSecretName(Testing.chart(), 'T', 't')), clusterIp: '10.96.0.60' }).mirror;
      expect(hosted.containerdMirror({ caFile: '/etc/pki/lab-ca.pem' }).hostsToml).toBe([
        '# Generated by cdk8s-spark (KubeadmClusterPrereqs); prepare-node.sh rewrites this file.',
        'server = "https://10.96.0.60:5000"',
        'ca = "/etc/pki/lab-ca.pem"',
      ].join('\n'));
      expect(ContainerdMirror.of({ registry: 'registry.lab:5000', insecureSkipVerify: true }).hostsToml)
        .toContain('\nserver = "https://registry.lab:5000"\nskip_verify = true');
    });

    test('a RegistryMirrorSet: one namespace, one cache per upstream, the host mapping and every hosts.toml', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'mirrors');
      ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
      const network = new ClusterNetwork(chart, 'Network');
      const set = new RegistryMirrorSet(chart, 'Mirrors', { network });
      const ca = RegistryTls.certManager({ issuer: { name: 'lab-ca' } });
      set.addMirror('DockerHub', { tls: ca, clusterIp: '10.96.0.50', proxy: { upstream: RegistryUpstream.dockerHub() } });
      set.addMirror('K8s', { tls: ca, clusterIp: '10.96.0.51', proxy: { upstream: RegistryUpstream.registryK8s() } });
      set.addMirror('Ghcr', { tls: ca, clusterIp: '10.96.0.52', proxy: { upstream: RegistryUpstream.ghcr() } });
      const manifests = synthValid(chart, { crds: certManagerCrds() });
      expect(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name)).toEqual(['registry-mirrors']);
      expect(new Set(manifests.filter((m) => m.metadata.namespace).map((m) => m.metadata.namespace))).toEqual(new Set(['registry-mirrors']));
      expect(manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name))
        .toEqual(['mirror-docker-io', 'mirror-registry-k8s-io', 'mirror-ghcr-io']);
      expect(set.hostMapping).toEqual({ 'docker.io': '10.96.0.50:5000', 'registry.k8s.io': '10.96.0.51:5000', 'ghcr.io': '10.96.0.52:5000' });
      expect(set.mirrorFor('ghcr.io')?.endpoint).toBe('10.96.0.52:5000');
      expect(set.mirrorFor('quay.io')).toBeUndefined();

      const prereqs = new KubeadmClusterPrereqs(chart, 'Nodes', {
        network, kubernetesVersion: '1.33.1', registryMirrors: set.containerdMirrors({ caCertificate: CA }),
      });
      expect(prereqs.registryMirrors.map((m) => `${m.registry} -> ${m.endpointUrl}`)).toEqual([
        'docker.io -> https://10.96.0.50:5000', 'registry.k8s.io -> https://10.96.0.51:5000', 'ghcr.io -> https://10.96.0.52:5000',
      ]);
      expect(prereqs.prepareNodeScript).toContain("readonly -a REGISTRY_HOSTS=('docker.io' 'registry.k8s.io' 'ghcr.io')\n");

      expect(() => set.addMirror('Again', { ...PLAIN, proxy: { upstream: RegistryUpstream.dockerHub() } }))
        .toThrow('mirrors/Mirrors: invalid Again.proxy.upstream "docker.io": an upstream not mirrored twice in one set (DockerHub mirrors it already)');
      expect(() => set.addMirror('Elsewhere', { ...PLAIN, namespace: 'other' }))
        .toThrow('mirrors/Mirrors: invalid Elsewhere.namespace "other": unset or "registry-mirrors"');
    });

    test('imageOverride(): kubeadm, flannel and Spark images through the caches', () => {
      const app = Testing.app();
      const mirrors = new Chart(app, 'mirrors');
      const set = new RegistryMirrorSet(mirrors, 'Mirrors');
      const k8s = set.addMirror('K8s', { ...PLAIN, clusterIp: '10.96.0.51', proxy: { upstream: RegistryUpstream.registryK8s() } });
      const ghcr = set.addMirror('Ghcr', { ...PLAIN, clusterIp: '10.96.0.52', proxy: { upstream: RegistryUpstream.ghcr() } });
      const hub = set.addMirror('Hub', { ...PLAIN, clusterIp: '10.96.0.50', proxy: { upstream: RegistryUpstream.dockerHub() } });

      // One override per scope: each chart is pointed at the cache of its images' upstream.
      const nodes = new Chart(app, 'nodes');
      ImageRegistryOverride.apply(nodes, k8s.imageOverride());
      const network = new ClusterNetwork(nodes, 'Network');
      expect(new KubeadmClusterPrereqs(nodes, 'Prereqs', { network, kubernetesVersion: '1.33.1' }).imageRepository)
        .toBe('10.96.0.51:5000');

      const cni = new Chart(app, 'cni');
      ImageRegistryOverride.apply(cni, ghcr.imageOverride());
      const flannel = new FlannelCni(cni, 'Flannel', { network });
      expect(flannel.image).toBe('10.96.0.52:5000/flannel-io/flannel:v0.28.9');
      expect(flannel.cniPluginImage).toMatch(/^10\.96\.0\.52:5000\/flannel-io\/flannel-cni-plugin:/);

      const jobs = new Chart(app, 'jobs');
      ImageRegistryOverride.apply(jobs, hub.imageOverride());
      expect(SparkImage.apache().imageFor(jobs)).toBe('10.96.0.50:5000/apache/spark:4.0.4');
      // Images of other upstreams are left alone by a cache's override.
      expect(ImageRegistryOverride.resolve(jobs, 'ghcr.io/org/tool:1.0')).toBe('ghcr.io/org/tool:1.0');
      expect(() => k8s.imageOverride({ pathPrefix: 'x' })).toThrow(/invalid imageOverride options .*none for a pull-through cache/);
    });

    test('a private registry: Spark images and pull secrets', () => {
      const chart = Testing.chart();
      const mirror = new RegistryMirror(chart, 'Registry', {
        tls: RegistryTls.fromSecret(secret(chart, 'tls')), clusterIp: '10.96.0.60', auth: { secret: secret(chart, 'users') },
      });
      const pull = secret(chart, 'registry-pull');
      const image = mirror.sparkImage(SparkImage.apache('3.5.7'), [pull]);
      expect(image.reference).toBe('10.96.0.60:5000/apache/spark:3.5.7');
      expect(image.sparkVersion).toBe('3.5.7');
      expect(image.pullSecrets).toEqual([pull]);
      expect(image.imageFor(chart)).toBe('10.96.0.60:5000/apache/spark:3.5.7');
      expect(mirror.imageOverride({ includeSourceRegistry: true }).rewrite('quay.io/org/app:1')).toBe('10.96.0.60:5000/quay.io/org/app:1');
    });
  });

  describe('bad input', () => {
    const attempt = (props: RegistryMirrorProps) => () => build(props);

    // htpasswd sends passwords with every request (HTTP basic authentication): over plain HTTP
    // they travel in clear, so that needs a named acknowledgement, which means nothing with TLS.
    const users = () => Secret.fromSecretName(Testing.chart(), 'Users', 'registry-users');
    test.each<[string, () => RegistryMirrorProps, string]>([
      ['htpasswd over plain HTTP', () => ({ ...PLAIN, auth: { secret: users() } }),
        'test/Registry: invalid auth "htpasswd over plain HTTP": TLS for password authentication'],
      ['htpasswd over plain HTTP, acknowledgement false', () => ({ ...PLAIN, auth: { secret: users(), acknowledgeCleartextPasswords: false } }),
        'auth.acknowledgeCleartextPasswords: true'],
      ['the acknowledgement with TLS', () => ({ tls: RegistryTls.fromSecret(users()), auth: { secret: users(), acknowledgeCleartextPasswords: true } }),
        'test/Registry: invalid auth.acknowledgeCleartextPasswords true: unset with TLS'],
      ['an acknowledgement that is not a boolean', () => ({ ...PLAIN, auth: { secret: users(), acknowledgeCleartextPasswords: 'yes' as any } }),
        'test/Registry: invalid auth.acknowledgeCleartextPasswords "yes": true or false'],
    ])('refuses %s', (_name, props, message) => {
      expect(attempt(props())).toThrow(message);
    });

    test('htpasswd over plain HTTP with the acknowledgement', () => {
      const { manifests } = manifestsOf({ ...PLAIN, auth: { secret: users(), acknowledgeCleartextPasswords: true } });
      expect(configOf(manifests).auth.htpasswd.path).toBe('/etc/distribution/auth/htpasswd');
      expect(configOf(manifests).http.tls).toBeUndefined();
    });

    test('a proxy without an upstream', () => {
      expect(attempt({ ...PLAIN, proxy: {} as any })).toThrow(
        'test/Registry: invalid proxy.upstream (undefined): a RegistryUpstream, e.g. RegistryUpstream.dockerHub(): a pull-through cache needs exactly one upstream');
    });

    test.each([[29999], [32768], [30000.5]])('nodePort %p', (nodePort) => {
      expect(attempt({ ...PLAIN, nodePort })).toThrow(`test/Registry: invalid nodePort ${nodePort}: a NodePort from 30000 to 32767`);
    });

    const secretTls = () => RegistryTls.fromSecret(Secret.fromSecretName(Testing.chart(), 'T', 't'));
    test.each<[string, () => RegistryMirrorProps, string]>([
      ['no tls (a required choice: it no longer type-checks)', () => ({} as any),
        'test/Registry: invalid tls (undefined): RegistryTls.fromSecret(), RegistryTls.certManager(), or the explicit RegistryTls.plainHttp()'],
      ['a tls that is not a RegistryTls', () => ({ tls: { isPlainHttp: true } as any }),
        'test/Registry: invalid tls {"isPlainHttp":true}: RegistryTls.fromSecret(), RegistryTls.certManager(), or the explicit RegistryTls.plainHttp()'],
      ['the deprecated allowPlainHttp with TLS', () => ({ tls: secretTls(), allowPlainHttp: true }),
        'test/Registry: invalid allowPlainHttp true: false (or unset) when tls is given'],
      ['the deprecated allowPlainHttp: false with plain HTTP', () => ({ tls: RegistryTls.plainHttp(), allowPlainHttp: false }),
        'test/Registry: invalid allowPlainHttp false: true (or unset) with RegistryTls.plainHttp()'],
    ])('transport security: %s', (_name, props, message) => {
      expect(attempt(props())).toThrow(message);
    });

    test('the deprecated allowPlainHttp: true still works beside RegistryTls.plainHttp()', () => {
      const now = Testing.synth(build({ tls: RegistryTls.plainHttp() }).chart);
      const deprecated = Testing.synth(build({ tls: RegistryTls.plainHttp(), allowPlainHttp: true }).chart);
      expect(deprecated).toEqual(now);
    });

    test('plain HTTP only by explicit opt-in, on the registry and on the nodes', () => {
      const tls = RegistryTls.fromSecret(Secret.fromSecretName(Testing.chart(), 'T', 't'));
      const plain = build({ ...PLAIN, clusterIp: '10.96.0.50' }).mirror;
      expect(() => plain.containerdMirror()).toThrow(
        'test/Registry: invalid containerdMirror.insecurePlainHttp (undefined): true: the registry serves plain HTTP, which the nodes must accept explicitly');
      const secure = build({ tls, clusterIp: '10.96.0.50' }).mirror;
      expect(() => secure.containerdMirror({ insecurePlainHttp: true })).toThrow(/invalid containerdMirror.insecurePlainHttp true: false/);
    });

    test.each([
      ['https://registry.lab:5000'],
      ['registry.lab:70000'],
      ['registry.lab:0'],
      ['reg_istry.lab:5000'],
      ['registry.lab/path'],
      ['300.1.1.1:5000'],
    ])('endpoint %s', (endpoint) => {
      expect(attempt({ ...PLAIN, endpoint })).toThrow(`test/Registry: invalid endpoint "${endpoint}": HOST[:PORT], where HOST is a DNS name or an IPv4 address`);
    });

    test('an endpoint the nodes cannot resolve', () => {
      expect(() => build(PLAIN).mirror.containerdMirror({ insecurePlainHttp: true })).toThrow(
        'test/Registry: invalid endpoint "registry.registry.svc:5000": an address the nodes can reach without cluster DNS');
    });

    const network = () => new ClusterNetwork(Testing.chart(), 'Network');
    test.each<[string, () => RegistryMirrorProps, string | RegExp]>([
      // Addresses and ports.
      ['a clusterIp that is not an IPv4 address', () => ({ ...PLAIN, clusterIp: '10.300.0.1' }),
        'test/Registry: invalid clusterIp "10.300.0.1": an IPv4 address in the Service network'],
      ['a clusterIp outside the Service network', () => ({ ...PLAIN, network: network(), clusterIp: '192.168.1.5' }),
        'test/Registry: invalid clusterIp "192.168.1.5": a host address in the Service network 10.96.0.0/12'],
      ['the cluster DNS\'s clusterIp', () => ({ ...PLAIN, network: network(), clusterIp: '10.96.0.10' }),
        'invalid clusterIp "10.96.0.10": an address other than the API server\'s (10.96.0.1) and the cluster DNS\'s (10.96.0.10)'],
      ['port 0', () => ({ ...PLAIN, port: 0 }), 'test/Registry: invalid port 0: a port number from 1 to 65535'],
      ['an ingress host with capitals', () => ({ ...PLAIN, ingress: { host: 'Registry.Example.com' } }),
        'invalid ingress.host "Registry.Example.com": a lowercase DNS name'],
      // Storage, names, schedule.
      ['storage below 1 GiB', () => ({ ...PLAIN, storageSize: Size.mebibytes(512) }), 'test/Registry: invalid storageSize "512 MiB": at least 1 GiB, in whole MiB'],
      ['a name with capitals', () => ({ ...PLAIN, name: 'Registry' }), 'test/Registry: invalid name "Registry": a DNS-1035 label'],
      ['a name of 41 characters', () => ({ ...PLAIN, name: 'r'.repeat(41) }), /invalid name "r{41}": a DNS-1035 label of 1 to 40 characters/],
      ['a garbage-collection schedule with hour 25', () => ({ ...PLAIN, garbageCollection: { schedule: '0 25 * * *' } }),
        'test/Registry: invalid garbageCollection.schedule "0 25 * * *": five valid cron fields; the hour field'],
      ['a garbage-collection run of one minute', () => ({ ...PLAIN, garbageCollection: { maxDuration: Duration.minutes(1) } }),
        'test/Registry: invalid garbageCollection.maxDuration "60s": from 5 minutes to 24 hours'],
      ['a garbage-collection pod label replacing the construct\'s', () => ({ ...PLAIN, garbageCollection: { podLabels: { 'app.kubernetes.io/component': 'x' } } }),
        'test/Registry: invalid garbageCollection.podLabels "app.kubernetes.io/component": a label other than the construct\'s own'],
      ['a garbage-collection pod label with a bad value', () => ({ ...PLAIN, garbageCollection: { podLabels: { team: 'a b' } } }),
        'test/Registry: invalid garbageCollection.podLabels["team"] "a b"'],
      ['a garbage-collection pod annotation with a bad key', () => ({ ...PLAIN, garbageCollection: { podAnnotations: { 'a b': 'x' } } }),
        'test/Registry: invalid garbageCollection.podAnnotations key "a b"'],
      ['a time zone that is not a tz database name', () => ({ ...PLAIN, garbageCollection: { timeZone: 'Berlin time' } }),
        'invalid garbageCollection.timeZone "Berlin time"'],
      ['a proxy TTL in fractional seconds', () => ({ ...PLAIN, proxy: { upstream: RegistryUpstream.ghcr(), ttl: Duration.millis(1500) } }),
        'test/Registry: invalid proxy.ttl "1500 ms": a whole number of seconds'],
      ['auth without a Secret', () => ({ ...PLAIN, auth: { secret: undefined as any } }), 'test/Registry: invalid auth.secret (undefined): an ISecret'],
    ])('refuses %s', (_name, props, message) => {
      expect(attempt(props())).toThrow(message);
    });

    test.each<[string, () => unknown, string]>([
      ['a plain http:// upstream', () => RegistryUpstream.custom('http://harbor.lab'),
        'RegistryUpstream.custom: invalid url "http://harbor.lab": an https:// URL; plain http:// only with allowInsecureHttp: true'],
      ['an upstream URL with a path', () => RegistryUpstream.custom('https://harbor.lab/proxy'),
        'RegistryUpstream.custom: invalid url "https://harbor.lab/proxy": a registry URL'],
      ['a cert-manager issuer without a name', () => RegistryTls.certManager({} as any),
        'RegistryTls.certManager: invalid issuer.name (undefined): a DNS-1123 subdomain'],
      ['a certificate valid for less than an hour', () => RegistryTls.certManager({ issuer: { name: 'ca' }, duration: Duration.minutes(30) }),
        'RegistryTls.certManager: invalid duration "1800s": at least one hour'],
    ])('upstreams and certificates: refuses %s', (_name, make, message) => {
      expect(make).toThrow(message);
    });

    test('the registry cannot pull its own image from itself', () => {
      const app = Testing.app();
      ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('10.96.0.50:5000'));
      expect(() => build({ ...PLAIN, clusterIp: '10.96.0.50' }, app))
        .toThrow('test/Registry: invalid image "10.96.0.50:5000/library/registry:3.0.0": an image from another registry');
    });

    test('two registries emitting one namespace', () => {
      const { app, chart } = build(PLAIN);
      new RegistryMirror(chart, 'Cache', { ...PLAIN, proxy: { upstream: RegistryUpstream.quay() } });
      expect(() => app.synth()).toThrow(/test\/Registry: namespace "registry" is also emitted by test\/Cache; set createNamespace: false/);
    });

    test.each<[string, () => unknown, string]>([
      ['Docker Hub\'s registry host instead of docker.io', () => ContainerdMirror.of({ registry: 'registry-1.docker.io', endpoint: 'm:5000' }),
        'ContainerdMirror: invalid registry "registry-1.docker.io": docker.io for Docker Hub images'],
      ['an endpoint with a scheme', () => ContainerdMirror.of({ registry: 'docker.io', endpoint: 'http://m:5000' }),
        'ContainerdMirror: invalid endpoint "http://m:5000": HOST[:PORT]'],
      ['a CA certificate with plain HTTP', () => ContainerdMirror.of({ registry: 'docker.io', endpoint: 'm:5000', insecurePlainHttp: true, caCertificate: CA }),
        'ContainerdMirror: invalid insecurePlainHttp true: no caCertificate, caFile or insecureSkipVerify with plain HTTP'],
      ['a CA file with verification off', () => ContainerdMirror.of({ registry: 'docker.io', endpoint: 'm:5000', insecureSkipVerify: true, caFile: '/ca.pem' }),
        'ContainerdMirror: invalid insecureSkipVerify true: no caCertificate or caFile when certificates are not verified'],
      ['a CA certificate that is not PEM', () => ContainerdMirror.of({ registry: 'docker.io', endpoint: 'm:5000', caCertificate: 'not a certificate' }),
        'ContainerdMirror: invalid caCertificate "not a certificate": one or more PEM'],
      ['a relative CA file', () => ContainerdMirror.of({ registry: 'docker.io', endpoint: 'm:5000', caFile: 'ca.pem' }),
        'ContainerdMirror: invalid caFile "ca.pem": an absolute path'],
      ['a plain http:// server without insecurePlainHttp', () => ContainerdMirror.of({ registry: 'quay.io', endpoint: 'm:5000', server: 'http://quay.io' }),
        'ContainerdMirror: invalid server "http://quay.io": an https:// URL; plain http:// only with insecurePlainHttp: true'],
    ])('node-side host configurations: refuses %s', (_name, make, message) => {
      expect(make).toThrow(message);
    });
  });
});
