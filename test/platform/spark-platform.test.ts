import * as fs from 'fs';
import { App, Chart, Testing } from 'cdk8s';
import {
  EventLogStore, HiveMetastore, NodeRole, RegistryTls, RegistryUpstream, SparkApplication, SparkApplicationType, SparkPlatform,
  NetworkPeer, SparkOperatorCrds, TenantApiServerAccess, TenantEgress,
} from '../../src';
import { expectValidManifests } from '../harness/manifests';

/** The API server's address, which every isolated tenant must state. */
const API = TenantApiServerAccess.toCidrs(['192.168.10.10/32']);

function synthAll(app: App): { [chart: string]: any[] } {
  return Object.fromEntries(app.charts.map((c) => [c.node.id, Testing.synth(c)]));
}

function validateAll(charts: { [chart: string]: any[] }) {
  const crds = Object.values(charts).flat().filter((m) => m.kind === 'CustomResourceDefinition');
  for (const manifests of Object.values(charts)) {
    expectValidManifests(manifests, { crds });
  }
}

describe('SparkPlatform', () => {
  test('defaults (snapshot): one tenant on an existing cluster; tenants and operator charts, no services', () => {
    const app = Testing.app();
    new SparkPlatform(app, 'platform', { tenants: [{ namespace: 'etl', apiServer: API }] });
    const charts = synthAll(app);
    expect(Object.keys(charts)).toEqual(['tenants', 'spark-operator', 'spark-services']);
    expect(charts['spark-services']).toEqual([]);
    validateAll(charts);
    expect(charts).toMatchSnapshot();
  });

  test('the whole stack in a few charts, in apply order, every part reachable', () => {
    const app = Testing.app();
    const store = EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs');
    const platform = new SparkPlatform(app, 'platform', {
      cluster: {
        kubernetesVersion: '1.34.1',
        network: { nodes: [{ name: 'cp', ip: '192.168.1.10', role: NodeRole.CONTROL_PLANE }, { name: 'w1', ip: '192.168.1.11', role: NodeRole.WORKER }] },
        registryMirrorNodeOptions: { insecurePlainHttp: true },
      },
      registries: { mirrors: [{ clusterIp: '10.96.0.50', tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() } }] },
      eventLog: store,
      thriftServer: { metastore: HiveMetastore.thrift('thrift://metastore.hive.svc:9083'), warehouseDir: 'hdfs://namenode.hadoop.svc:8020/warehouse' },
      tenants: [{ namespace: 'analytics' }],
    });
    // The job writes its event log to HDFS: the tenant lets it reach the namenode and datanodes.
    platform.addTenant('Ml', { namespace: 'ml', egress: [TenantEgress.toEventLogStore(store, NetworkPeer.namespace('hadoop'), [9866])] });
    const jobs = platform.jobsChart('jobs');
    new SparkApplication(jobs, 'Pi', {
      namespace: 'ml',
      type: SparkApplicationType.SCALA,
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      eventLog: platform.eventLog,
    });
    const charts = synthAll(app);
    expect(Object.keys(charts)).toEqual(['cluster', 'registries', 'tenants', 'spark-operator', 'spark-services', 'jobs']);
    // Each layer depends on the first chart only (never a chain, whose cost
    // cdk8s multiplies); the job charts come after the layers by creation.
    const deps = Object.fromEntries(app.charts.map((c) => [c.node.id, c.node.dependencies.map((d) => (d as Chart).node.id)]));
    expect(deps).toEqual({
      'cluster': [], 'registries': ['cluster'], 'tenants': ['cluster'], 'spark-operator': ['cluster'], 'spark-services': ['cluster'], 'jobs': [],
    });
    // The files are numbered in that order, so `kubectl apply -f` applies them in order.
    app.synth();
    expect(fs.readdirSync(app.outdir).filter((f) => f.endsWith('.k8s.yaml')).sort().map((f) => /^\d{4}-platform-(.+)-[0-9a-f]{8}\.k8s\.yaml$/.exec(f)?.[1]))
      .toEqual(['cluster', 'registries', 'tenants', 'spark-operator', 'spark-services', 'jobs']);
    validateAll(charts);

    expect(platform.network!.podCidr).toBe('10.244.0.0/16');
    expect(platform.nodes!.kubeadmConfig).toContain('podSubnet: 10.244.0.0/16');
    expect(platform.tenants.map((t) => t.namespace)).toEqual(['analytics', 'ml']);
    // The nodes pull Docker Hub images through the platform's cache.
    expect(platform.registryMirrors!.mirrors).toHaveLength(1);
    expect(platform.nodes!.registryMirrors.map((m) => m.registry)).toEqual(['docker.io']);
    expect(charts.registries.find((m) => m.kind === 'Service').spec.clusterIP).toBe('10.96.0.50');
    // The operator watches the tenants' namespaces (and its jobs').
    const controller = charts['spark-operator'].find((m) => m.kind === 'Deployment' && m.metadata.name === 'spark-operator-controller');
    expect(controller.spec.template.spec.containers[0].args).toContain('--namespaces=analytics,ml');
    // History and Thrift servers share the platform's namespace, image and event log.
    expect(platform.historyServer!.store).toBe(store);
    expect(platform.historyServer!.namespace).toBe('spark-platform');
    expect(platform.thriftServer!.namespace).toBe('spark-platform');
    expect(platform.thriftServer!.sparkConf.get('spark.eventLog.dir')).toBe(store.logDirectory);
    const services = charts['spark-services'];
    expect(services[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'spark-platform' } });
    expect(services.filter((m) => m.kind === 'Namespace')).toHaveLength(1);
    expect(services[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    // Tenants reach the API server on the control-plane nodes only, since the platform knows them.
    const apiPolicy = charts.tenants.find((m) => m.kind === 'NetworkPolicy' && JSON.stringify(m).includes('192.168.1.10'));
    expect(apiPolicy).toBeDefined();
    expect(JSON.stringify(apiPolicy)).not.toContain('192.168.1.11');
  });

  test('Argo CD sync waves: CRDs before the operator, tenants before jobs', () => {
    const app = Testing.app();
    const platform = new SparkPlatform(app, 'platform', { tenants: [{ namespace: 'etl', apiServer: API }], argoCdSyncWaves: {} });
    new SparkApplication(platform.jobsChart('jobs'), 'Pi', {
      namespace: 'etl',
      type: SparkApplicationType.SCALA,
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    });
    const all = Object.values(synthAll(app)).flat();
    const wave = (kind: string) => Number(all.find((m) => m.kind === kind).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('Namespace')).toBeLessThan(wave('CustomResourceDefinition'));
    expect(wave('CustomResourceDefinition')).toBeLessThan(wave('Deployment'));
    expect(wave('Deployment')).toBeLessThan(wave('SparkApplication'));
    expect(all.find((m) => m.kind === 'CustomResourceDefinition').metadata.annotations['argocd.argoproj.io/sync-options']).toContain('ServerSideApply=true');
  });

  // One row per refusal: how the platform is made, and the message.
  const refusals: Array<[string, () => unknown, string]> = [
    ['a platform inside a chart', () => new SparkPlatform(new Chart(Testing.app(), 'c'), 'platform'),
      'c/platform: invalid scope "c": an App (or a construct outside any Chart): the platform creates its own charts'],
    ['a namespace with blanks', () => new SparkPlatform(Testing.app(), 'p1', { namespace: 'Spark Platform' }),
      'p1: invalid namespace "Spark Platform": a DNS-1123 label'],
    ['a history server without an event log', () => new SparkPlatform(Testing.app(), 'p2', { historyServer: { enabled: true } }),
      'p2: invalid historyServer.enabled true: false, or an eventLog for the history server to read'],
    ['two tenants of one namespace', () => new SparkPlatform(Testing.app(), 'p3', { tenants: [{ namespace: 'a', apiServer: API }, { namespace: 'a', apiServer: API }] }),
      'p3: invalid tenant Tenant1 namespace "a": a namespace no other tenant has (p3/tenants/Tenant0 has it)'],
    ['operator props with an existing operator', () => new SparkPlatform(Testing.app(), 'p5', { operator: {}, existingOperator: { jobNamespaces: ['a'] } }),
      'p5: invalid operator "given": left out when existingOperator is given'],
    ['the install of a platform using an existing operator', () => new SparkPlatform(Testing.app(), 'p6', { existingOperator: { jobNamespaces: ['a'] } }).operator,
      'p6: invalid operator "p6/spark-operator/Operator": read only on a platform that installs its operator; with existingOperator use sparkOperator'],
  ];
  test.each(refusals)('refuses %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  // One row per late change of the platform's props that fails synthesis, naming the property and the fix.
  const lateChanges: Array<[string, (props: any) => void, string]> = [
    ['a tenant pushed into tenants', (p) => p.tenants.push({ namespace: 'late', apiServer: API }),
      'props.tenants changed after p was created, so the change would be ignored: call addTenant() on the platform instead'],
    ['a history server option changed', (p) => { p.historyServer.retainedApplications = 10; }, 'props.historyServer changed after p was created'],
    ['a namespace pushed into the operator\'s jobNamespaces', (p) => p.operator.jobNamespaces.push('late'), 'props.operator changed after p was created'],
  ];
  test.each(lateChanges)('fails synthesis on %s', (_name, change, message) => {
    const app = Testing.app();
    const props = {
      tenants: [{ namespace: 'etl', apiServer: API }],
      eventLog: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs'),
      historyServer: { retainedApplications: 50 },
      operator: { jobNamespaces: ['etl'] },
    };
    new SparkPlatform(app, 'p', props);
    expect(() => app.synth()).not.toThrow();
    change(props);
    expect(() => app.synth()).toThrow(`p: ${message}`);
  });

  test('a tenant\'s own egress array is guarded through the platform too', () => {
    const app = Testing.app();
    const egress = [TenantEgress.toCidr('db', '10.50.0.0/24', [5432])];
    new SparkPlatform(app, 'p', { tenants: [{ namespace: 'etl', apiServer: API, egress }] });
    egress.push(TenantEgress.toCidr('late', '10.60.0.0/24', [5432]));
    expect(() => app.synth()).toThrow('p/tenants/Tenant0: props.egress changed after p/tenants/Tenant0 was created');
  });

  test('a platform whose operator has nothing to watch fails at synth, like the operator alone', () => {
    const empty = Testing.app();
    new SparkPlatform(empty, 'p4');
    expect(() => empty.synth()).toThrow('the Spark operator watches no namespace');
  });

  test('an existing operator: nothing in the operator chart, tenants and jobs checked against its namespaces', () => {
    const app = Testing.app();
    const platform = new SparkPlatform(app, 'platform', {
      existingOperator: { namespace: 'kubeflow', jobNamespaces: ['etl'] },
      tenants: [{ namespace: 'etl', apiServer: API }],
    });
    expect(platform.sparkOperator.installedByApp).toBe(false);
    expect(platform.sparkOperator.namespace).toBe('kubeflow');
    new SparkApplication(platform.jobsChart('jobs'), 'Pi', {
      namespace: 'etl',
      type: SparkApplicationType.SCALA,
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    });
    const charts = synthAll(app);
    expect(charts['spark-operator']).toEqual([]);
    expect(charts.jobs.map((m) => m.kind)).toContain('SparkApplication');
    // The CRDs are installed with the operator, outside the app.
    const crds = Testing.synth(new SparkOperatorCrds(new Chart(Testing.app(), 'crds'), 'Crds').node.scope as Chart);
    for (const manifests of Object.values(charts)) {
      expectValidManifests(manifests, { crds });
    }
    platform.addTenant('Late', { namespace: 'ml', apiServer: API });
    expect(() => app.synth()).toThrow('namespace "ml" is not watched by the Spark operator platform/spark-operator/Operator, '
      + 'which is installed outside this app and watches etl');
  });

  // A job created before its tenant puts the namespace's default driver ServiceAccount in the jobs
  // chart instead of the tenants chart (SparkServiceAccount.forNamespace creates it for the first
  // asker): see the pending step in test/order-independence.test.ts. Here the tenant of the job's
  // namespace comes before the job; tenants keep their relative order (it is their order in the chart).
  test('tenants and jobs added in any order (tenant before its job) give the same charts', () => {
    const build = (order: string[]) => {
      const app = Testing.app();
      const platform = new SparkPlatform(app, 'platform', { eventLog: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs') });
      let jobs: Chart | undefined;
      const steps: { [step: string]: () => void } = {
        tenantA: () => platform.addTenant('TenantA', { namespace: 'team-a', apiServer: API }),
        tenantB: () => platform.addTenant('TenantB', { namespace: 'team-b', apiServer: API }),
        job: () => {
          jobs = jobs ?? platform.jobsChart('jobs');
          new SparkApplication(jobs, 'Pi', {
            namespace: 'team-a',
            type: SparkApplicationType.SCALA,
            mainClass: 'org.apache.spark.examples.SparkPi',
            mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
          });
        },
      };
      order.forEach((step) => steps[step]());
      return app.synthYaml();
    };
    const canonical = build(['tenantA', 'tenantB', 'job']);
    expect(build(['tenantA', 'job', 'tenantB'])).toEqual(canonical);
  });
});
