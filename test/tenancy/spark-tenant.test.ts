import { Chart, Size, Testing } from 'cdk8s';
import { Cpu, Protocol } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ClusterNetwork, EventLogStore, ISparkJob, NetworkPeer, NodeRole, PodSecurityLevel, SparkJobs, SparkOperatorInstall,
  SparkServiceAccount, SparkTenant, SparkTenantProps, TenantApiServerAccess, TenantEgress, TenantIngress, TenantPodTraffic,
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
    // Jobs of the namespace hold a reference to the tenant's account.
    expect(SparkServiceAccount.forNamespace(c, 'analytics').node).toBe(tenant.serviceAccount.node);
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
    tenant.addEgress(TenantEgress.toCidr('warehouse-db', '10.50.0.0/24', [5432]));
    tenant.addEgress(TenantEgress.toPeer('syslog', NetworkPeer.cidr('10.60.0.0/16', ['10.60.1.0/24']), [514], Protocol.UDP));
    tenant.addIngress(TenantIngress.fromPeer('metrics', NetworkPeer.namespace('monitoring'), [8090], { 'spark-role': 'driver' }));
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
    expect(() => tenant.addEgress(TenantEgress.toCidr('db', '10.0.0.0/8', [5432])))
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
    expect(SparkServiceAccount.forNamespace(c, 'etl').node).toBe(tenant.serviceAccount.node);
    const own = new SparkServiceAccount(c, 'Own', { namespace: 'ml', name: 'ml-driver' });
    expect(new SparkTenant(c, 'Ml', { namespace: 'ml', apiServer: API, serviceAccount: own }).serviceAccount).toBe(own);
  });

  // One row per refusal: the props given (besides a unique namespace and the API server) and the message expected.
  const refusals: Array<[string, (c: Chart) => Partial<SparkTenantProps>, string]> = [
    ['namespace not a label', () => ({ namespace: 'Team', apiServer: undefined }), 'invalid namespace "Team": a DNS-1123 label'],
    ['no API server under isolation', () => ({ apiServer: undefined }), 'invalid apiServer (undefined): where the API server is'],
    ['Pod Security version', () => ({ podSecurity: { version: '1.30' } }), 'invalid podSecurity.version "1.30": "latest" or a Kubernetes minor version'],
    ['Pod Security level', () => ({ podSecurity: { enforce: 'strict' as PodSecurityLevel } }),
      'invalid podSecurity.enforce "strict": one of privileged, baseline, restricted'],
    ['empty quota', () => ({ quota: {} }), 'invalid quota {}: at least one limit'],
    ['fractional count', () => ({ quota: { pods: 2.5 } }), 'invalid quota.pods 2.5: a whole number, 0 or more'],
    ['requests above limits', () => ({ quota: { cpuRequests: Cpu.units(4), cpuLimits: Cpu.units(2) } }),
      'invalid quota.cpu "requests 4000m, limits 2000m": requests no greater than limits'],
    ['default request above default limit', () => ({ containerDefaults: { cpuRequest: Cpu.units(2), cpuLimit: Cpu.units(1) } }),
      'invalid containerDefaults.cpuRequest "2000m": at most the default CPU limit (1000m)'],
    ['default request above the quota', () => ({ quota: { memoryRequests: Size.mebibytes(128) } }),
      'invalid containerDefaults.memoryRequest "262144Ki": at most the quota\'s memoryRequests (131072Ki)'],
    ['egress without isolation', () => ({ networkIsolation: false, apiServer: undefined, egress: [TenantEgress.toCidr('x', '10.0.0.0/8', [1])] }),
      'invalid networkIsolation false: true when podTraffic, apiServer, dns, egress or ingress are given'],
    ['two egress rules of one name', () => ({ egress: [TenantEgress.toCidr('db', '10.0.0.0/8', [5432]), TenantEgress.toCidr('db', '10.1.0.0/16', [5432])] }),
      'invalid egress "allow-egress-db": a name not used by another NetworkPolicy of the tenant'],
    ['a Pod Security label in labels', () => ({ labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } }),
      'invalid labels key "pod-security.kubernetes.io/enforce": a label the tenant does not set itself'],
    ['a bad label value', () => ({ labels: { team: 'a b' } }), 'invalid labels["team"] "a b": a label value'],
    ['a service account of another namespace', (c) => ({ serviceAccount: new SparkServiceAccount(c, 'Other', { namespace: 'elsewhere', name: 'x' }) }),
      'invalid serviceAccount "test/Other": a SparkServiceAccount in namespace "t"'],
    ['an operator without operator jobs', (c) => ({ operatorJobs: false, sparkOperator: new SparkOperatorInstall(c, 'Op') }),
      'invalid sparkOperator "test/Op": no sparkOperator when operatorJobs is false'],
    ['an operator that is not one', () => ({ sparkOperator: { node: {} } as any }), 'invalid sparkOperator "object": a Spark operator'],
    ['an egress that is not a TenantEgress', () => ({ egress: [{ name: 'x' } as any] }), 'invalid egress {"name":"x"}: a TenantEgress'],
    ['a DNS peer that is not a NetworkPeer', () => ({ dns: { description: 'x' } as any }), 'invalid dns {"description":"x"}: a NetworkPeer'],
  ];
  test.each(refusals)('refuses %s', (_name, props, message) => {
    const c = chart();
    expect(() => new SparkTenant(c, 'T', { namespace: 't', apiServer: API, ...props(c) } as SparkTenantProps)).toThrow(`test/T: ${message}`);
  });

  const networkRefusals: Array<[string, () => unknown, string]> = [
    ['a CIDR with host bits', () => NetworkPeer.cidr('10.0.0.1/8'), 'NetworkPeer.cidr: invalid cidr "10.0.0.1/8": an IPv4 network in CIDR notation'],
    ['an exclusion outside the block', () => NetworkPeer.cidr('10.0.0.0/8', ['11.0.0.0/16']),
      'NetworkPeer.cidr: invalid excluding "11.0.0.0/16": a network strictly inside 10.0.0.0/8'],
    ['a namespace not a label', () => NetworkPeer.namespace('Kube'), 'NetworkPeer.namespace: invalid namespace "Kube": a namespace name'],
    ['a bad pod label key', () => NetworkPeer.namespace('x', { 'bad key!': 'v' }), 'NetworkPeer.namespace: invalid podLabels key "bad key!"'],
    ['a rule name not a label', () => TenantEgress.toCidr('Db', '10.0.0.0/8', [1]), 'TenantEgress.toCidr: invalid name "Db": a DNS-1123 label of at most 40 characters'],
    ['no ports', () => TenantEgress.toCidr('db', '10.0.0.0/8', []), 'TenantEgress.toCidr: invalid ports []: at least one port'],
    ['a port out of range', () => TenantEgress.toCidr('db', '10.0.0.0/8', [70000]), 'TenantEgress.toCidr: invalid ports 70000: a port number from 1 to 65535'],
    ['a port twice', () => TenantEgress.toCidr('db', '10.0.0.0/8', [1, 1]), 'TenantEgress.toCidr: invalid ports [1,1]: distinct ports'],
    ['a peer that is not a NetworkPeer', () => TenantEgress.toPeer('db', {} as NetworkPeer, [1]), 'TenantEgress.toPeer: invalid peer {}: a NetworkPeer'],
    ['an ingress peer that is not a NetworkPeer', () => TenantIngress.fromPeer('ui', {} as NetworkPeer, [1]), 'TenantIngress.fromPeer: invalid peer {}: a NetworkPeer'],
    ['a local event-log store', () => TenantEgress.toEventLogStore(EventLogStore.local(), NetworkPeer.cidr('10.0.0.0/8')),
      'TenantEgress.toEventLogStore: invalid store "file:///tmp/spark-events": an event-log store reached over the network'],
    ['no API server CIDR', () => TenantApiServerAccess.toCidrs([]), 'TenantApiServerAccess.toCidrs: invalid cidrs []: at least one IPv4 network'],
    ['a bad API server CIDR', () => TenantApiServerAccess.toCidrs(['x']), 'TenantApiServerAccess.toCidrs: invalid cidrs "x"'],
    ['a network without control-plane nodes', () => TenantApiServerAccess.fromClusterNetwork(new ClusterNetwork(chart(), 'Net')),
      'TenantApiServerAccess.fromClusterNetwork: invalid network "test/Net": a ClusterNetwork that declares its control-plane nodes'],
  ];
  test.each(networkRefusals)('network values refuse %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('SparkTenant: order independence and late changes', () => {
  const yamlOf = (build: (c: Chart) => void) => {
    const c = chart();
    build(c);
    return JSON.stringify(Testing.synth(c));
  };
  const db = () => TenantEgress.toCidr('warehouse-db', '10.50.0.0/24', [5432]);
  const ui = () => TenantIngress.sparkUi(NetworkPeer.namespace('ingress-nginx'));

  test('addEgress/addIngress after construction render the same as egress/ingress props', () => {
    const viaProps = yamlOf((c) => new SparkTenant(c, 'T', { namespace: 't', apiServer: API, egress: [db()], ingress: [ui()] }));
    const viaMutators = yamlOf((c) => {
      const tenant = new SparkTenant(c, 'T', { namespace: 't', apiServer: API });
      tenant.addEgress(db());
      tenant.addIngress(ui());
    });
    expect(viaMutators).toEqual(viaProps);
    expect(viaProps).toContain('allow-egress-warehouse-db');
  });

  test('the deprecated allowEgress/allowIngress still work, as addEgress/addIngress', () => {
    const viaAdd = yamlOf((c) => new SparkTenant(c, 'T', { namespace: 't', apiServer: API }).addEgress(db()));
    const viaAllow = yamlOf((c) => new SparkTenant(c, 'T', { namespace: 't', apiServer: API }).allowEgress(db()));
    expect(viaAllow).toEqual(viaAdd);
  });

  test('jobs and an operator install created before or after the tenant give the same output', () => {
    const tenantFirst = yamlOf((c) => {
      new SparkTenant(c, 'T', { namespace: 'etl', apiServer: API });
      new FakeJob(c, 'Job', 'etl');
      new SparkOperatorInstall(c, 'Operator');
    });
    const tenantLast = yamlOf((c) => {
      new SparkOperatorInstall(c, 'Operator');
      new FakeJob(c, 'Job', 'etl');
      new SparkTenant(c, 'T', { namespace: 'etl', apiServer: API });
    });
    // Construct paths differ in order only; compare the documents as a set ordered by kind/namespace/name.
    const sorted = (y: string) => JSON.stringify((JSON.parse(y) as any[]).map((o) => JSON.stringify(o)).sort());
    expect(sorted(tenantLast)).toEqual(sorted(tenantFirst));
  });

  test('a reference to the default account taken before the tenant names the tenant\'s account', () => {
    const c = chart();
    const early = SparkServiceAccount.forNamespace(c, 'etl');
    const tenant = new SparkTenant(c, 'T', { namespace: 'etl', apiServer: API });
    expect(early.node).toBe(tenant.serviceAccount.node);
    expect([early.name, early.namespace]).toEqual([tenant.serviceAccount.name, 'etl']);
    // One account in the output, not the job's and the tenant's.
    expect(Testing.synth(c).filter((m) => m.kind === 'ServiceAccount').map((m) => m.metadata.name)).toEqual(['spark-driver']);
  });

  // One row per late change that fails synthesis, naming the property and the fix.
  const lateChanges: Array<[string, (props: any) => void, string]> = [
    ['an egress rule pushed into props.egress', (p) => p.egress.push(TenantEgress.toCidr('late', '10.9.0.0/16', [1])),
      'props.egress changed after test/T was created, so the change would be ignored: call addEgress() on the tenant instead'],
    ['an ingress rule pushed into props.ingress', (p) => p.ingress.push(TenantIngress.sparkUi(NetworkPeer.namespace('x'))),
      'props.ingress changed after test/T was created, so the change would be ignored: call addIngress() on the tenant instead'],
    ['a label changed on the passed object', (p) => { p.labels.team = 'b'; }, 'props.labels changed after test/T was created'],
    ['a label added to the passed object', (p) => { p.labels.extra = 'x'; }, 'props.labels changed after test/T was created'],
    ['a quota limit changed', (p) => { p.quota.pods = 20; }, 'props.quota changed after test/T was created'],
    ['a Pod Security level changed', (p) => { p.podSecurity.enforce = PodSecurityLevel.PRIVILEGED; }, 'props.podSecurity changed after test/T was created'],
    ['a container default changed', (p) => { p.containerDefaults.cpuRequest = Cpu.millis(500); },
      'props.containerDefaults changed after test/T was created'],
  ];
  test.each(lateChanges)('fails synthesis on %s', (_name, change, message) => {
    const c = chart();
    const props = {
      namespace: 't',
      apiServer: API,
      egress: [db()],
      ingress: [ui()],
      labels: { team: 'a' },
      quota: { pods: 10 },
      podSecurity: { enforce: PodSecurityLevel.RESTRICTED },
      containerDefaults: { cpuRequest: Cpu.millis(100) },
    };
    new SparkTenant(c, 'T', props);
    expect(() => Testing.synth(c)).not.toThrow();
    change(props);
    expect(() => Testing.synth(c)).toThrow(`test/T: ${message}`);
  });

  test('ports of a rule cannot be changed once made (the array is frozen)', () => {
    const rule = db();
    expect(() => rule.ports.push(1)).toThrow(TypeError);
  });

  test('isX checks recognise the kinds by mark, not by class identity', () => {
    const c = chart();
    const tenant = new SparkTenant(c, 'T', { namespace: 't', apiServer: API });
    expect(SparkTenant.isSparkTenant(tenant)).toBe(true);
    expect(SparkTenant.isSparkTenant(c)).toBe(false);
    expect(TenantEgress.isTenantEgress(db())).toBe(true);
    expect(TenantIngress.isTenantIngress(ui())).toBe(true);
    expect(NetworkPeer.isNetworkPeer(NetworkPeer.cidr('10.0.0.0/8'))).toBe(true);
    expect(TenantApiServerAccess.isTenantApiServerAccess(API)).toBe(true);
    // A copy made by another copy of the library carries the same mark: simulate with a plain object holding it.
    const foreign = Object.create(null);
    for (const sym of Object.getOwnPropertySymbols(db())) foreign[sym] = true;
    expect(TenantEgress.isTenantEgress(foreign)).toBe(true);
    expect(TenantEgress.isTenantEgress({ name: 'x' })).toBe(false);
  });
});
