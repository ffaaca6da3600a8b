import { Chart, Size, Testing } from 'cdk8s';
import { Cpu, Protocol } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ClusterNetwork, EventLogStore, ISparkJob, NetworkPeer, NodeRole, PodSecurityLevel, SparkJobs, SparkOperatorInstall,
  SparkServiceAccount, SparkTenant, TenantApiServerAccess, TenantEgress, TenantIngress, TenantPodTraffic,
} from '../../src';
import { synthValid } from '../harness/manifests';

/** The API server's address, which every isolated tenant must state. */
const API = TenantApiServerAccess.toCidrs(['192.168.10.10/32']);

class FakeJob extends Construct implements ISparkJob {
  public readonly managedByOperator = true;
  constructor(scope: Construct, id: string, public readonly jobNamespace: string) {
    super(scope, id);
    SparkJobs.register(this);
  }
}

function chart(): Chart {
  return new Chart(Testing.app(), 'test');
}

const byKind = (manifests: any[], kind: string) => manifests.filter((m) => m.kind === kind);
const policy = (manifests: any[], name: string) =>
  manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === name);

describe('SparkTenant', () => {
  test('defaults (snapshot)', () => {
    const c = chart();
    new SparkTenant(c, 'Analytics', { namespace: 'analytics', apiServer: API });
    expect(synthValid(c)).toMatchSnapshot();
  });

  test('namespace with restricted Pod Security, LimitRange, no quota, isolation policies and a driver identity', () => {
    const c = chart();
    const tenant = new SparkTenant(c, 'T', { namespace: 'analytics', apiServer: API, labels: { 'example.com/cost-center': 'cc-42' } });
    const m = synthValid(c);
    const ns = byKind(m, 'Namespace')[0];
    expect(ns.metadata.name).toBe('analytics');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'app.kubernetes.io/name': 'spark-tenant',
      'app.kubernetes.io/instance': 'analytics',
      'example.com/cost-center': 'cc-42',
    });
    expect(byKind(m, 'ResourceQuota')).toEqual([]);
    expect(tenant.quota).toBeUndefined();
    const lr = byKind(m, 'LimitRange')[0];
    expect(lr.spec.limits).toEqual([{ type: 'Container', defaultRequest: { cpu: '100m', memory: '256Mi' } }]);
    expect(m.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name))
      .toEqual(['default-deny', 'allow-dns', 'allow-apiserver', 'allow-spark-pods']);
    expect(tenant.networkPolicies.map((p) => p.name)).toEqual(['default-deny', 'allow-dns', 'allow-apiserver', 'allow-spark-pods']);
    for (const o of m.filter((x) => x.kind !== 'Namespace')) {
      expect(o.metadata.namespace).toBe('analytics');
    }
    expect(m.filter((o) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind)).map((o) => o.metadata.name))
      .toEqual(['spark-driver', 'spark-driver', 'spark-driver']);
    expect(tenant.serviceAccount).toBe(SparkServiceAccount.forNamespace(c, 'analytics'));
    expect(tenant.namespace).toBe('analytics');
  });

  test('network policies: deny all, DNS, API server, Spark pods among themselves', () => {
    const c = chart();
    new SparkTenant(c, 'T', { namespace: 'analytics', apiServer: API });
    const m = synthValid(c);
    expect(policy(m, 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policy(m, 'allow-dns').spec.egress).toEqual([{
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
    expect(policy(m, 'allow-apiserver').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '192.168.10.10/32' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 6443 }] }],
    });
    const spark = { podSelector: { matchExpressions: [{ key: 'spark-role', operator: 'Exists' }] } };
    expect(policy(m, 'allow-spark-pods').spec).toEqual({
      ...spark,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [spark] }],
      egress: [{ to: [spark] }],
    });
  });

  test('typed quota and the LimitRange defaults it implies', () => {
    const c = chart();
    const tenant = new SparkTenant(c, 'T', {
      namespace: 'etl',
      apiServer: API,
      quota: {
        cpuRequests: Cpu.units(16),
        cpuLimits: Cpu.units(32),
        memoryRequests: Size.gibibytes(64),
        memoryLimits: Size.gibibytes(64),
        ephemeralStorageRequests: Size.gibibytes(100),
        storage: Size.tebibytes(1),
        persistentVolumeClaims: 20,
        pods: 100,
        services: 20,
        nodePortServices: 0,
        loadBalancerServices: 0,
        configMaps: 50,
        secrets: 30,
        sparkApplications: 40,
        scheduledSparkApplications: 10,
      },
    });
    const m = synthValid(c);
    expect(byKind(m, 'ResourceQuota')[0].spec.hard).toEqual({
      'requests.cpu': '16',
      'limits.cpu': '32',
      'requests.memory': '64Gi',
      'limits.memory': '64Gi',
      'requests.ephemeral-storage': '100Gi',
      'requests.storage': '1024Gi',
      'persistentvolumeclaims': 20,
      'pods': 100,
      'services': 20,
      'services.nodeports': 0,
      'services.loadbalancers': 0,
      'configmaps': 50,
      'secrets': 30,
      'count/sparkapplications.sparkoperator.k8s.io': 40,
      'count/scheduledsparkapplications.sparkoperator.k8s.io': 10,
    });
    expect(tenant.quota?.name).toBe('tenant-quota');
    // The quota caps limits, so containers without limits get default ones.
    expect(byKind(m, 'LimitRange')[0].spec.limits).toEqual([{
      type: 'Container',
      defaultRequest: { cpu: '100m', memory: '256Mi' },
      default: { cpu: '1', memory: '1Gi' },
    }]);
  });

  test('explicit container defaults and maxima', () => {
    const c = chart();
    new SparkTenant(c, 'T', {
      namespace: 'etl',
      apiServer: API,
      quota: { memoryRequests: Size.gibibytes(8) },
      containerDefaults: {
        cpuRequest: Cpu.millis(250),
        memoryRequest: Size.mebibytes(512),
        cpuLimit: Cpu.units(2),
        maxCpu: Cpu.units(8),
        maxMemory: Size.gibibytes(32),
      },
    });
    const lr = byKind(synthValid(c), 'LimitRange')[0];
    expect(lr.spec.limits).toEqual([{
      type: 'Container',
      defaultRequest: { cpu: '250m', memory: '512Mi' },
      default: { cpu: '2' },
      max: { cpu: '8', memory: '32Gi' },
    }]);
  });

  test('egress to the event-log store, a metastore and other endpoints; ingress for the Spark UI', () => {
    const c = chart();
    const network = new ClusterNetwork(c, 'Net', {
      nodes: [{ name: 'cp1', ip: '192.168.1.10', role: NodeRole.CONTROL_PLANE }, { name: 'w1', ip: '192.168.1.20', role: NodeRole.WORKER }],
    });
    const store = EventLogStore.s3({ bucket: 'spark-logs', endpoint: 'http://minio.storage.svc:9000', pathStyleAccess: true });
    const tenant = new SparkTenant(c, 'T', {
      namespace: 'bi',
      podTraffic: TenantPodTraffic.ALL_PODS,
      apiServer: TenantApiServerAccess.fromClusterNetwork(network),
      egress: [
        TenantEgress.toEventLogStore(store, NetworkPeer.namespace('storage', { app: 'minio' })),
        TenantEgress.toMetastore(NetworkPeer.namespace('metastore')),
      ],
      ingress: [TenantIngress.sparkUi(NetworkPeer.namespace('ingress-nginx'))],
    });
    tenant.allowEgress(TenantEgress.toCidr('warehouse-db', '10.50.0.0/24', [5432]));
    tenant.allowEgress(TenantEgress.toPeer('syslog', NetworkPeer.cidr('10.60.0.0/16', ['10.60.1.0/24']), [514], Protocol.UDP));
    tenant.allowIngress(TenantIngress.fromPeer('metrics', NetworkPeer.namespace('monitoring'), [8090], { 'spark-role': 'driver' }));
    const m = synthValid(c);
    expect(policy(m, 'allow-apiserver').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '192.168.1.10/32' } }], ports: [{ protocol: 'TCP', port: 6443 }] },
      { to: [{ ipBlock: { cidr: '10.96.0.1/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    expect(policy(m, 'allow-all-pods').spec.podSelector).toEqual({});
    expect(policy(m, 'allow-spark-pods')).toBeUndefined();
    expect(policy(m, 'allow-egress-event-log-store').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storage' } },
          podSelector: { matchLabels: { app: 'minio' } },
        }],
        ports: [{ protocol: 'TCP', port: 9000 }],
      }],
    });
    expect(policy(m, 'allow-egress-metastore').spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 9083 }]);
    expect(policy(m, 'allow-egress-warehouse-db').spec.egress[0].to).toEqual([{ ipBlock: { cidr: '10.50.0.0/24' } }]);
    expect(policy(m, 'allow-egress-syslog').spec.egress[0]).toEqual({
      to: [{ ipBlock: { cidr: '10.60.0.0/16', except: ['10.60.1.0/24'] } }],
      ports: [{ protocol: 'UDP', port: 514 }],
    });
    expect(policy(m, 'allow-ingress-spark-ui').spec).toEqual({
      podSelector: { matchLabels: { 'spark-role': 'driver' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
        ports: [{ protocol: 'TCP', port: 4040 }],
      }],
    });
    expect(policy(m, 'allow-ingress-metrics').spec.podSelector).toEqual({ matchLabels: { 'spark-role': 'driver' } });
    expect(tenant.networkPolicies).toHaveLength(10);
  });

  test('HDFS event-log store: namenode port plus the datanode ports given', () => {
    const egress = TenantEgress.toEventLogStore(EventLogStore.hdfs('hdfs://namenode.hdfs:8020/spark-logs'),
      NetworkPeer.cidr('10.70.0.0/16'), [9866]);
    expect(egress.ports).toEqual([8020, 9866]);
    expect(egress.name).toBe('event-log-store');
  });

  test('the API server rule allows the API server, not the internet: no default, anywhere() only when asked', () => {
    const c = chart();
    expect(() => new SparkTenant(c, 'Open', { namespace: 'open' })).toThrow('test/Open: invalid apiServer (undefined): where the API server is, '
      + 'so that the tenant\'s egress policy allows it and not the internet: TenantApiServerAccess.fromClusterNetwork(network) or '
      + 'TenantApiServerAccess.toCidrs([...control-plane addresses])');
    new SparkTenant(c, 'Loose', { namespace: 'loose', apiServer: TenantApiServerAccess.anywhere() });
    expect(policy(synthValid(c), 'allow-apiserver').spec.egress[0].to).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
  });

  test('Pod Security levels and version; no network isolation', () => {
    const c = chart();
    const tenant = new SparkTenant(c, 'T', {
      namespace: 'legacy',
      podSecurity: { enforce: PodSecurityLevel.BASELINE, version: 'v1.30' },
      networkIsolation: false,
    });
    const m = synthValid(c);
    expect(byKind(m, 'Namespace')[0].metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.30',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.30',
    });
    expect(byKind(m, 'NetworkPolicy')).toEqual([]);
    expect(tenant.networkPolicies).toEqual([]);
    expect(() => tenant.allowEgress(TenantEgress.toCidr('db', '10.0.0.0/8', [5432])))
      .toThrow('test/T: invalid egress "allow-egress-db": a tenant with networkIsolation');
  });

  test('an operator install deriving its namespaces watches the tenant, whatever the order', () => {
    const app = Testing.app();
    const c = new Chart(app, 'test');
    new SparkTenant(c, 'Before', { namespace: 'team-a', apiServer: API });
    const install = new SparkOperatorInstall(c, 'Operator');
    new SparkTenant(c, 'After', { namespace: 'team-b', apiServer: API });
    new SparkTenant(c, 'NoOperator', { namespace: 'team-c', apiServer: API, operatorJobs: false });
    expect(install.jobNamespaces).toEqual(['team-a', 'team-b']);
    expect(SparkJobs.declaredNamespaces(c)).toEqual(['team-a', 'team-b']);
    const m = synthValid(c);
    const roles = m.filter((o) => o.kind === 'Role' && o.metadata.name === 'spark-operator-controller-jobs');
    expect(roles.map((r) => r.metadata.namespace)).toEqual(['team-a', 'team-b']);
  });

  test('a tenant joins an operator with explicit namespaces when given it; otherwise synthesis fails', () => {
    const app = Testing.app();
    const c = new Chart(app, 'test');
    const install = new SparkOperatorInstall(c, 'Operator', { jobNamespaces: ['shared'] });
    new SparkTenant(c, 'Joined', { namespace: 'team-a', apiServer: API, sparkOperator: install });
    expect(install.jobNamespaces).toEqual(['shared', 'team-a']);
    new SparkTenant(c, 'Forgotten', { namespace: 'team-b', apiServer: API });
    expect(() => Testing.synth(c)).toThrow(
      'test/Forgotten: namespace "team-b" is declared for Spark operator jobs but not watched by the Spark operator test/Operator');
  });

  test('a job declared in the tenant namespace shares the tenant\'s service account', () => {
    const c = chart();
    const tenant = new SparkTenant(c, 'T', { namespace: 'etl', apiServer: API });
    new FakeJob(c, 'Job', 'etl');
    expect(SparkServiceAccount.forNamespace(c, 'etl')).toBe(tenant.serviceAccount);
    const own = new SparkServiceAccount(c, 'Own', { namespace: 'ml', name: 'ml-driver' });
    expect(new SparkTenant(c, 'Ml', { namespace: 'ml', apiServer: API, serviceAccount: own }).serviceAccount).toBe(own);
  });

  test('refuses bad input', () => {
    const c = chart();
    expect(() => new SparkTenant(c, 'A', { namespace: 'Team' })).toThrow('test/A: invalid namespace "Team": a DNS-1123 label');
    expect(() => new SparkTenant(c, 'B', { namespace: 'b', apiServer: API, podSecurity: { version: '1.30' } }))
      .toThrow('test/B: invalid podSecurity.version "1.30": "latest" or a Kubernetes minor version');
    expect(() => new SparkTenant(c, 'C', { namespace: 'c', apiServer: API, podSecurity: { enforce: 'strict' as PodSecurityLevel } }))
      .toThrow('test/C: invalid podSecurity.enforce "strict": one of privileged, baseline, restricted');
    expect(() => new SparkTenant(c, 'D', { namespace: 'd', apiServer: API, quota: {} }))
      .toThrow('test/D: invalid quota {}: at least one limit');
    expect(() => new SparkTenant(c, 'E', { namespace: 'e', apiServer: API, quota: { pods: 2.5 } }))
      .toThrow('test/E: invalid quota.pods 2.5: a whole number, 0 or more');
    expect(() => new SparkTenant(c, 'F', { namespace: 'f', apiServer: API, quota: { cpuRequests: Cpu.units(4), cpuLimits: Cpu.units(2) } }))
      .toThrow('test/F: invalid quota.cpu "requests 4000m, limits 2000m": requests no greater than limits');
    expect(() => new SparkTenant(c, 'G', { namespace: 'g', apiServer: API, containerDefaults: { cpuRequest: Cpu.units(2), cpuLimit: Cpu.units(1) } }))
      .toThrow('test/G: invalid containerDefaults.cpuRequest "2000m": at most the default CPU limit (1000m)');
    expect(() => new SparkTenant(c, 'H', { namespace: 'h', apiServer: API, quota: { memoryRequests: Size.mebibytes(128) } }))
      .toThrow('test/H: invalid containerDefaults.memoryRequest "262144Ki": at most the quota\'s memoryRequests (131072Ki)');
    expect(() => new SparkTenant(c, 'I', { namespace: 'i', apiServer: API, networkIsolation: false, egress: [TenantEgress.toCidr('x', '10.0.0.0/8', [1])] }))
      .toThrow('test/I: invalid networkIsolation false: true when podTraffic, apiServer, dns, egress or ingress are given');
    expect(() => new SparkTenant(c, 'J', {
      namespace: 'j',
      apiServer: API,
      egress: [TenantEgress.toCidr('db', '10.0.0.0/8', [5432]), TenantEgress.toCidr('db', '10.1.0.0/16', [5432])],
    })).toThrow('test/J: invalid egress "allow-egress-db": a name not used by another NetworkPolicy of the tenant');
    expect(() => new SparkTenant(c, 'K', { namespace: 'k', apiServer: API, labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }))
      .toThrow('test/K: invalid labels key "pod-security.kubernetes.io/enforce": a label the tenant does not set itself');
    expect(() => new SparkTenant(c, 'L', { namespace: 'l', apiServer: API, labels: { team: 'a b' } }))
      .toThrow('test/L: invalid labels["team"] "a b": a label value');
    const other = new SparkServiceAccount(c, 'Other', { namespace: 'elsewhere', name: 'x' });
    expect(() => new SparkTenant(c, 'M', { namespace: 'm', apiServer: API, serviceAccount: other }))
      .toThrow('test/M: invalid serviceAccount "test/Other": a SparkServiceAccount in namespace "m"');
    const install = new SparkOperatorInstall(c, 'Op');
    expect(() => new SparkTenant(c, 'N', { namespace: 'n', apiServer: API, operatorJobs: false, sparkOperator: install }))
      .toThrow('test/N: invalid sparkOperator "test/Op": no sparkOperator when operatorJobs is false');
  });

  test('network values refuse bad input', () => {
    expect(() => NetworkPeer.cidr('10.0.0.1/8')).toThrow('NetworkPeer.cidr: invalid cidr "10.0.0.1/8": an IPv4 network in CIDR notation');
    expect(() => NetworkPeer.cidr('10.0.0.0/8', ['11.0.0.0/16'])).toThrow('NetworkPeer.cidr: invalid excluding "11.0.0.0/16": a network strictly inside 10.0.0.0/8');
    expect(() => NetworkPeer.namespace('Kube')).toThrow('NetworkPeer.namespace: invalid namespace "Kube": a namespace name');
    expect(() => NetworkPeer.namespace('x', { 'bad key!': 'v' })).toThrow('NetworkPeer.namespace: invalid podLabels key "bad key!"');
    expect(() => TenantEgress.toCidr('Db', '10.0.0.0/8', [1])).toThrow('TenantEgress.toCidr: invalid name "Db": a DNS-1123 label of at most 40 characters');
    expect(() => TenantEgress.toCidr('db', '10.0.0.0/8', [])).toThrow('TenantEgress.toCidr: invalid ports []: at least one port');
    expect(() => TenantEgress.toCidr('db', '10.0.0.0/8', [70000])).toThrow('TenantEgress.toCidr: invalid ports 70000: an integer from 1 to 65535');
    expect(() => TenantEgress.toCidr('db', '10.0.0.0/8', [1, 1])).toThrow('TenantEgress.toCidr: invalid ports [1,1]: distinct ports');
    expect(() => TenantEgress.toEventLogStore(EventLogStore.local(), NetworkPeer.cidr('10.0.0.0/8')))
      .toThrow('TenantEgress.toEventLogStore: invalid store "file:///tmp/spark-events": an event-log store reached over the network');
    expect(() => TenantApiServerAccess.toCidrs([])).toThrow('TenantApiServerAccess.toCidrs: invalid cidrs []: at least one IPv4 network');
    expect(() => TenantApiServerAccess.toCidrs(['x'])).toThrow('TenantApiServerAccess.toCidrs: invalid cidrs "x"');
    const net = new ClusterNetwork(chart(), 'Net');
    expect(() => TenantApiServerAccess.fromClusterNetwork(net))
      .toThrow('TenantApiServerAccess.fromClusterNetwork: invalid network "test/Net": a ClusterNetwork that declares its control-plane nodes');
  });
});
