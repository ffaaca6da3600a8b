import * as fs from 'fs';
import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, EnvValue, Namespace, Secret } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ClusterNetwork, ContainerdMajorVersion, ContainerdMirror, ContainerdMirrorOptions, ContainerdSource, IContainerdMirrorSource, FlannelBackend,
  FlannelCniOptions, KubeadmClusterPrereqsOptions, SparkBatchScheduler, SparkServiceAccount, ThriftServerAuthentication, EventLogStore,
  FirewallMode, FlannelCni, GeneratedFile,
  HistoryLocalStore, HiveMetastore, KubeadmClusterPrereqs, LocalPathProvisioner, LocalPathProvisionerProps, LocalPathReclaimPolicy, NodeRole,
  PackageRepository, RegistryLogLevel, RegistryMirrorOptions, RegistryMirrorSet, RegistryStorage, RegistryTls, RegistryUpstream, SparkApplication,
  SparkApplicationType, SparkConf, SparkHistoryServer, SparkHistoryServerOptions, SparkImage, SparkImageFacts, SparkMemory,
  SparkOperatorFeatureGate, SparkOperatorInstall, SparkOperatorLogFormat,
  SparkOperatorInstallProps, SparkPlatform, NetworkPeer, SparkOperatorCrds, SparkThriftServer, SparkThriftServerProps, StorageClassRef,
  TenantApiServerAccess, TenantEgress, ThriftTransportMode, WorkloadIdentity,
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
        registryMirrorSetOptions: { insecurePlainHttp: true },
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
    ['a node registry host that is no ContainerdMirror',
      () => new SparkPlatform(Testing.app(), 'p7', { cluster: { kubernetesVersion: '1.34.1', registryMirrors: [{ registry: 'quay.io' } as any] } }),
      'p7: invalid cluster.registryMirrors[0] "object": a ContainerdMirror from ContainerdMirror.of()'],
    ['both flannelBackend and flannel.backend',
      () => new SparkPlatform(Testing.app(), 'p8', { cluster: { kubernetesVersion: '1.34.1', flannelBackend: FlannelBackend.hostGw(), flannel: { backend: FlannelBackend.vxlan() } } }),
      'p8: invalid cluster.flannelBackend "given": left out when cluster.flannel.backend is given (flannelBackend is its deprecated form)'],
    ['both registryMirrorNodeOptions and registryMirrorSetOptions',
      () => new SparkPlatform(Testing.app(), 'p9', { cluster: { kubernetesVersion: '1.34.1', registryMirrorNodeOptions: {}, registryMirrorSetOptions: {} } }),
      'p9: invalid cluster.registryMirrorNodeOptions "given": left out when cluster.registryMirrorSetOptions is given'],
    ['a node registry set that is no set of mirrors',
      () => new SparkPlatform(Testing.app(), 'p10', { cluster: { kubernetesVersion: '1.34.1', registryMirrorSets: [{ registry: 'quay.io' } as any] } }),
      'p10: invalid cluster.registryMirrorSets[0] "object": a set of registry mirrors, e.g. a RegistryMirrorSet'],
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
    ['a namespace pushed into the operator\'s jobNamespaces', (p) => p.operator.jobNamespaces.push('late'),
      'p/spark-operator/Operator: props.jobNamespaces changed after p/spark-operator/Operator was created, so the change would be ignored: '
      + 'call watchNamespace() on the install instead'],
    ['a mirror pushed into registries.mirrors', (p) => p.registries.mirrors.push({ tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.ghcr() } }),
      'props.registries.mirrors changed after p was created, so the change would be ignored: call registryMirrors.addMirror() on the platform instead'],
    ['the services\' namespace changed', (p) => { p.namespace = 'late'; },
      'props changed after p was created, so the change would be ignored: give the platform its options before creating it'],
    ['a Thrift server set later', (p) => { p.thriftServer = { metastore: HiveMetastore.thrift('thrift://metastore.hive.svc:9083'), warehouseDir: '/w' }; },
      'props changed after p was created'],
    ['a registries option changed', (p) => { p.registries.namespace = 'late'; }, 'props changed after p was created'],
  ];
  test.each(lateChanges)('fails synthesis on %s', (_name, change, message) => {
    const app = Testing.app();
    const props = {
      tenants: [{ namespace: 'etl', apiServer: API }],
      eventLog: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs'),
      historyServer: { retainedApplications: 50 },
      operator: { jobNamespaces: ['etl'] },
      registries: { mirrors: [{ tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() }, storageClass: StorageClassRef.existing('standard') }] },
    };
    new SparkPlatform(app, 'p', props);
    expect(() => app.synth()).not.toThrow();
    change(props);
    expect(() => app.synth()).toThrow(message.startsWith('p/') ? message : `p: ${message}`);
  });

  // One row per late change of the cluster options: all are read when the platform is built (the mirrors aside, see below).
  const lateClusterChanges: Array<[string, (cluster: any) => void]> = [
    ['a flannel option changed', (c) => { c.flannel.ipMasq = false; }],
    ['a node-script option set', (c) => { c.kubeVip = { address: '192.168.1.100' }; }],
    ['a network option changed', (c) => { c.network.podCidr = '10.32.0.0/16'; }],
    ['a node requirement changed', (c) => { c.workerRequirements.cpus = 2; }],
  ];
  test.each(lateClusterChanges)('fails synthesis on %s', (_name, change) => {
    const app = Testing.app();
    const cluster = { kubernetesVersion: '1.34.1', network: { podCidr: '10.244.0.0/16' }, flannel: { ipMasq: true }, workerRequirements: { cpus: 1 } };
    new SparkPlatform(app, 'p', { cluster, existingOperator: { jobNamespaces: ['etl'] } });
    expect(() => app.synth()).not.toThrow();
    change(cluster);
    expect(() => app.synth()).toThrow('p: props.cluster changed after p was created, so the change would be ignored: '
      + 'give the cluster options before creating the platform');
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
    expect(() => app.synth()).toThrow('namespace "ml" is declared for Spark operator jobs but not watched by the Spark operator platform/spark-operator/Operator, '
      + 'which is installed outside this app and watches etl');
  });

  // The namespace's default driver ServiceAccount lands in the tenants chart even when the job asks
  // for it first (the tenant claims it). Tenants keep their relative order (their order in the chart).
  test('tenants and jobs added in any order give the same charts', () => {
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
    expect(build(['job', 'tenantA', 'tenantB'])).toEqual(canonical);
  });
});

// Every option the platform forwards reaches its child unchanged: the platform's chart equals the
// chart of the child built directly, at the same construct path, with the same option (and the
// values the platform supplies itself); and the option changes that chart, so a dropped option
// cannot pass.
describe('SparkPlatform forwards every option to its children', () => {
  const STORE = EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs');
  const chartNamed = (app: App, id: string) => Testing.synth(app.charts.find((c) => c.node.id === id)!);
  /** The chart `chartId` of an app holding only what `build` adds, under a construct at the platform's path. */
  const direct = (chartId: string, build: (chart: Chart) => void) => {
    const app = Testing.app();
    const chart = new Chart(new Construct(app, 'platform'), chartId);
    build(chart);
    return Testing.synth(chart);
  };
  const expectForwarded = (viaPlatform: any[], directly: any[], withoutOption: any[]) => {
    expect(viaPlatform).toEqual(directly);
    expect(viaPlatform).not.toEqual(withoutOption);
  };
  /** The output without the option is the same for every row of a table (a fresh app each time): synthesized once, by key. */
  const baselines = new Map<string, any>();
  const baseline = (key: string, synth: () => any) => {
    if (!baselines.has(key)) {
      baselines.set(key, synth());
    }
    return baselines.get(key);
  };

  const historyOptions: Array<[keyof SparkHistoryServerOptions, any]> = [
    ['name', 'history'],
    ['sparkConf', SparkConf.of({ 'spark.history.ui.maxApplications': '500' })],
    ['cleaner', { maxAge: Duration.days(7) }],
    ['retainedApplications', 20],
    ['updateInterval', Duration.seconds(30)],
    ['localStore', HistoryLocalStore.emptyDir()],
    ['memory', SparkMemory.gibibytes(2)],
    ['memoryOverhead', SparkMemory.mebibytes(768)],
    ['resources', { cpu: { request: Cpu.millis(500), limit: Cpu.units(2) } }],
    ['javaOptions', '-XX:+UseG1GC'],
    ['nodePort', 30080],
    ['ingress', { host: 'history.example.com' }],
    ['serviceAccountAnnotations', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/history' }],
    ['pod', { nodeSelector: { pool: 'services' }, tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] }],
    ['monitoring', { labels: { release: 'prometheus' } }],
  ];
  test.each(historyOptions)('history server: %s', (option, value) => {
    const services = (historyServer: SparkHistoryServerOptions) => {
      const app = Testing.app();
      new SparkPlatform(app, 'platform', { eventLog: STORE, historyServer, existingOperator: { jobNamespaces: ['etl'] } });
      return chartNamed(app, 'spark-services').filter((m) => m.kind !== 'Namespace');
    };
    const directly = direct('spark-services', (chart) => new SparkHistoryServer(chart, 'HistoryServer', {
      [option]: value, store: STORE, namespace: 'spark-platform', image: SparkImage.apache(),
    }));
    expectForwarded(services({ [option]: value }), directly, baseline('history server', () => services({})));
  });

  // A reference to a Secret someone else manages, usable in any app.
  const secretRef = (name: string) => Secret.fromSecretName(new Chart(Testing.app(), 'refs'), name, name);
  // Every option of the child (a missing key fails to compile), one value each that changes the output.
  const thriftValues: { [K in keyof Required<SparkThriftServerProps>]: any } = {
    metastore: HiveMetastore.thrift('thrift://metastore.other.svc:9083'),
    warehouseDir: 'hdfs://namenode.hadoop.svc:8020/other-warehouse',
    name: 'sql',
    pod: { priorityClassName: 'sql-high', labels: { team: 'bi' } },
    // An account of the app (the cluster model refuses one the app does not create in a namespace it creates).
    serviceAccount: (app: App) => new SparkServiceAccount(new Chart(app, 'accounts'), 'Thrift', { namespace: 'spark-platform', name: 'thrift' }),
    transportMode: ThriftTransportMode.HTTP,
    authentication: ThriftServerAuthentication.noSasl(),
    ports: { thrift: 10010 },
    nodePort: 30100,
    uiNodePort: 30101,
    driver: { memory: SparkMemory.gibibytes(4) },
    executor: { instances: 3 },
    dynamicAllocation: { minExecutors: 1, maxExecutors: 4 },
    adaptiveExecution: { enabled: true, skewJoin: true },
    eventLogRollingMaxFileSize: Size.mebibytes(64),
    env: { TZ: EnvValue.fromValue('UTC') },
    jars: ['local:///opt/spark/jars/extra.jar'],
    sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '64' }),
    hiveConf: { 'hive.server2.idle.session.timeout': '3600000' },
    hiveSecrets: [{ key: 'hive.server2.keystore.password', value: { secret: secretRef('thrift-tls'), key: 'keystore-password' } }],
    namespace: 'sql',
    // A cdk8s-plus Namespace of the app: the server runs in it (the platform makes no namespace of its own for it).
    namespaceRef: (app: App) => new Namespace(new Chart(app, 'namespaces'), 'Sql', { metadata: { name: 'sql-ref' } }),
    image: SparkImage.of({ repository: 'registry.example.com/spark', tag: '3.5.7', facts: SparkImageFacts.fromApacheImage() }),
    eventLog: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/other-logs'),
  };
  const thriftOptions = Object.entries(thriftValues);
  /** The value of a row in `app`: a function makes one per app. */
  const inApp = (value: any, app: App) => (typeof value === 'function' ? value(app) : value);
  test.each(thriftOptions)('Thrift server: %s', (option, value) => {
    const base = { metastore: HiveMetastore.thrift('thrift://metastore.hive.svc:9083'), warehouseDir: 'hdfs://namenode.hadoop.svc:8020/warehouse' };
    const services = (withOption: boolean) => {
      const app = Testing.app();
      const extra = withOption ? { [option]: inApp(value, app) } : {};
      new SparkPlatform(app, 'platform', {
        eventLog: STORE, historyServer: { enabled: false }, thriftServer: { ...base, ...extra }, existingOperator: { jobNamespaces: ['etl'] },
      });
      return chartNamed(app, 'spark-services').filter((m) => m.kind !== 'Namespace');
    };
    const directly = direct('spark-services', (chart) => new SparkThriftServer(chart, 'ThriftServer', {
      namespace: option === 'namespaceRef' ? undefined : 'spark-platform',
      image: SparkImage.apache(),
      eventLog: STORE,
      ...base,
      [option]: inApp(value, chart.node.root as App),
    }));
    expectForwarded(services(true), directly, baseline('Thrift server', () => services(false)));
  });

  const operatorValues: { [K in keyof Required<SparkOperatorInstallProps>]: any } = {
    name: 'spark-op',
    monitoring: { labels: { release: 'prometheus' } },
    leaderElectionTimings: { leaseDuration: Duration.seconds(30) },
    logFormat: SparkOperatorLogFormat.CONSOLE,
    apiQps: 40,
    apiBurst: 60,
    featureGates: [SparkOperatorFeatureGate.PARTIAL_RESTART],
    installCrds: false,
    image: 'ghcr.io/kubeflow/spark-operator/controller:2.5.1',
    controller: { replicas: 2, workers: 20 },
    webhook: { port: 9444 },
    jobNamespaces: ['etl', 'ml'],
    watchAllNamespaces: true,
    // The tenant's namespace "etl" carries this label (the API server gives every namespace its name as a label).
    jobNamespaceSelector: { 'kubernetes.io/metadata.name': 'etl' },
    metrics: { port: 8082, labels: ['app_type', 'team'] },
    batchScheduler: { defaultScheduler: SparkBatchScheduler.VOLCANO, kubeSchedulerNames: ['scheduler-plugins-scheduler'] },
    leaderElection: false,
    namespace: 'operators',
    createNamespace: false,
  };
  test.each(Object.entries(operatorValues))('operator install: %s', (option, value) => {
    // The platform's tenant declares "etl" for the operator's jobs; the install lists it unless it watches all namespaces.
    const base = option === 'watchAllNamespaces' || option === 'jobNamespaceSelector' ? {} : { jobNamespaces: ['etl'] };
    const operatorChart = (extra: object) => {
      const app = Testing.app();
      new SparkPlatform(app, 'platform', { operator: { ...base, ...extra }, tenants: [{ namespace: 'etl', apiServer: API }] });
      return chartNamed(app, 'spark-operator');
    };
    const directly = direct('spark-operator', (chart) => new SparkOperatorInstall(chart, 'Operator', { ...base, [option]: value }));
    expectForwarded(operatorChart({ [option]: value }), directly, baseline(`operator ${JSON.stringify(base)}`, () => operatorChart({})));
  });

  // allowPlainHttp only restates tls (deprecated): tested below.
  const mirrorValues: { [K in keyof Required<Omit<RegistryMirrorOptions, 'allowPlainHttp'>>]: any } = {
    name: 'cache',
    pod: { nodeSelector: { 'node-role.example.com/infra': 'true' } },
    monitoring: { interval: Duration.seconds(15) },
    metrics: { port: 5002 },
    proxy: { upstream: RegistryUpstream.ghcr() },
    tls: RegistryTls.fromSecret(secretRef('registry-tls')),
    auth: { secret: secretRef('registry-users'), key: 'users', acknowledgeCleartextPasswords: true },
    image: 'docker.io/library/registry:2.8.3',
    storageSize: Size.gibibytes(50),
    storageClass: StorageClassRef.existing('fast'),
    storage: RegistryStorage.s3({ bucket: 'images', region: 'eu-central-1' }),
    replicas: 2,
    httpSecret: { secret: secretRef('registry-http'), key: 'secret' },
    resources: { memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } },
    port: 5001,
    clusterIp: '10.96.0.60',
    nodePort: 30500,
    endpoint: 'registry.example.com:5000',
    ingress: { host: 'registry.example.com' },
    garbageCollection: { schedule: '0 4 * * 0' },
    logLevel: RegistryLogLevel.DEBUG,
    identity: WorkloadIdentity.aws('arn:aws:iam::123456789012:role/registry'),
    serviceAccountAnnotations: { 'example.com/owner': 'platform' },
  };
  const mirrorOptions = Object.entries(mirrorValues);
  test.each(mirrorOptions)('registry mirror: %s', (option, value) => {
    // storage replaces storageClass; several replicas need a private registry on an object store with a shared http.secret.
    const base = option === 'storage' ? { tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() } }
      : option === 'replicas' ? {
        tls: RegistryTls.plainHttp(), storage: RegistryStorage.gcs({ bucket: 'images' }), httpSecret: { secret: secretRef('registry-http'), key: 'secret' },
      } : { tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() }, storageClass: StorageClassRef.existing('standard') };
    const registries = (extra: object) => {
      const app = Testing.app();
      const platform = new SparkPlatform(app, 'platform', { registries: { mirrors: [{ ...base, ...extra }] }, tenants: [{ namespace: 'etl', apiServer: API }] });
      // The address the nodes and clients use is no manifest field (hosts.toml, image names): compared too.
      return [...chartNamed(app, 'registries'), { endpoint: platform.registryMirrors!.mirrors[0].endpoint }];
    };
    let endpoint: string | undefined;
    const directly = direct('registries', (chart) => {
      endpoint = new RegistryMirrorSet(chart, 'Mirrors').addMirror('Mirror0', { ...base, [option]: value }).endpoint;
    });
    expectForwarded(registries({ [option]: value }), [...directly, { endpoint }], baseline('registry mirror', () => registries({})));
  });

  const localPathValues: { [K in keyof Required<LocalPathProvisionerProps>]: any } = {
    pod: { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] },
    storageClassName: 'node-local',
    defaultClass: false,
    nodePath: '/data/volumes',
    reclaimPolicy: LocalPathReclaimPolicy.RETAIN,
    image: 'docker.io/rancher/local-path-provisioner:v0.0.36',
    helperImage: 'docker.io/library/busybox:1.36.1',
    resources: { memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) } },
    helperResources: { memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) } },
    namespace: 'storage',
    createNamespace: false,
  };
  const localPathOptions = Object.entries(localPathValues);
  test.each(localPathOptions)('local-path provisioner: %s', (option, value) => {
    const storage = (localPath: LocalPathProvisionerProps) => {
      const app = Testing.app();
      new SparkPlatform(app, 'platform', { storage: { localPathProvisioner: true, localPath }, tenants: [{ namespace: 'etl', apiServer: API }] });
      return chartNamed(app, 'storage');
    };
    const directly = direct('storage', (chart) => new LocalPathProvisioner(chart, 'Storage', { [option]: value }));
    expectForwarded(storage({ [option]: value }), directly, baseline('local-path provisioner', () => storage({})));
  });

  const NODES = [{ name: 'cp', ip: '192.168.1.10', role: NodeRole.CONTROL_PLANE }, { name: 'w1', ip: '192.168.1.11', role: NodeRole.WORKER }];
  const QUAY = ContainerdMirror.of({ registry: 'quay.io', endpoint: '10.96.0.70:5000' });
  /** A set of registry hosts of someone else's (IContainerdMirrorSource), usable in any app. */
  const SET = { currentContainerdMirrors: (options?: ContainerdMirrorOptions) => [ContainerdMirror.of({ ...options, registry: 'ghcr.io', endpoint: '10.96.0.71:5000' })] };
  /** The cluster chart's objects and the node files. */
  const clusterLayer = (app: App) => [chartNamed(app, 'cluster'), GeneratedFile.allOf(app).map((f) => [f.path, f.content])];
  const viaPlatform = (cluster: object) => {
    const app = Testing.app();
    new SparkPlatform(app, 'platform', { cluster: { kubernetesVersion: '1.34.1', network: { nodes: NODES }, ...cluster }, existingOperator: { jobNamespaces: ['etl'] } });
    return clusterLayer(app);
  };
  /** The cluster layer built by hand as the platform builds it. */
  const clusterDirectly = (flannelOptions: object, nodeOptions: object) => {
    const app = Testing.app();
    const chart = new Chart(new Construct(app, 'platform'), 'cluster');
    const network = new ClusterNetwork(chart, 'Network', { nodes: NODES });
    const flannel = new FlannelCni(chart, 'Flannel', { network, ...flannelOptions });
    new LocalPathProvisioner(chart, 'Storage', {});
    new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.34.1', cniPorts: flannel.firewallPorts, ...nodeOptions });
    return clusterLayer(app);
  };

  const kubeadmValues: { [K in keyof Required<KubeadmClusterPrereqsOptions>]: any } = {
    kubernetesVersion: '1.33.5',
    controlPlaneEndpoint: 'k8s-api.example.com:6443',
    kubeVip: { address: '192.168.1.100' },
    packageRepository: PackageRepository.mirror({ debUrl: 'https://mirror.example.com/k8s/deb/', rpmUrl: 'https://mirror.example.com/k8s/rpm/' }),
    imageRepository: 'registry.example.com:5000/k8s',
    containerdSource: ContainerdSource.osPackages(),
    containerdVersion: ContainerdMajorVersion.CONTAINERD_2,
    firewall: FirewallMode.DISABLE,
    controlPlaneRequirements: { cpus: 4 },
    workerRequirements: { memory: Size.gibibytes(4) },
    registryMirrors: [QUAY],
    registryMirrorSets: [SET],
    registryMirrorSetOptions: { insecurePlainHttp: true },
    outputDirectory: 'machines',
  };
  // Options that only act together with another: given to all three builds.
  const kubeadmCompanions: { [option: string]: object } = { registryMirrorSetOptions: { registryMirrorSets: [SET] } };
  test.each(Object.entries(kubeadmValues))('node scripts: %s', (option, value) => {
    const companion = kubeadmCompanions[option] ?? {};
    expectForwarded(viaPlatform({ ...companion, [option]: value }), clusterDirectly({}, { ...companion, [option]: value }),
      baseline(kubeadmCompanions[option] ? `cluster with the companion of ${option}` : 'cluster', () => viaPlatform(companion)));
  });

  const flannelValues: { [K in keyof Required<FlannelCniOptions>]: any } = {
    backend: FlannelBackend.wireguard(),
    namespace: 'flannel',
    interfaceName: 'eth1',
    interfaceRegex: '^192\\.168\\.56\\.',
    image: 'ghcr.io/flannel-io/flannel:v0.28.8',
    cniPluginImage: 'ghcr.io/flannel-io/flannel-cni-plugin:v1.9.0-flannel1',
    resources: { memory: { request: Size.mebibytes(64), limit: Size.mebibytes(512) } },
    initContainerResources: { cpu: { request: Cpu.millis(20), limit: Cpu.millis(200) } },
    healthzPort: 8082,
    ipMasq: false,
    enableNftables: true,
  };
  test.each(Object.entries(flannelValues))('flannel: %s', (option, value) => {
    expectForwarded(viaPlatform({ flannel: { [option]: value } }), clusterDirectly({ [option]: value }, {}), baseline('cluster', () => viaPlatform({})));
  });

  // Deprecated forms: the same output as the forms that replace them, and not both at once.
  test.each([
    ['flannelBackend', { flannelBackend: FlannelBackend.hostGw() }, { flannel: { backend: FlannelBackend.hostGw() } }],
    ['registryMirrorNodeOptions', { registryMirrorSets: [SET], registryMirrorNodeOptions: { insecurePlainHttp: true } },
      { registryMirrorSets: [SET], registryMirrorSetOptions: { insecurePlainHttp: true } }],
  ])('deprecated %s: same output as its replacement', (_name, deprecated, replacement) => {
    const output = viaPlatform(deprecated);
    expect(output).toEqual(viaPlatform(replacement));
    expect(output).not.toEqual(baseline('cluster', () => viaPlatform({})));
  });

  test('registry mirror: the deprecated allowPlainHttp reaches the mirror, which checks it against tls', () => {
    expect(() => new SparkPlatform(Testing.app(), 'platform', {
      registries: { mirrors: [{ tls: RegistryTls.plainHttp(), allowPlainHttp: false, proxy: { upstream: RegistryUpstream.dockerHub() }, storageClass: StorageClassRef.existing('standard') }] },
    })).toThrow('platform/registries/Mirrors/Mirror0: invalid allowPlainHttp false');
  });

  test('the history server\'s store, namespace and image are the platform\'s', () => {
    const image = SparkImage.of({ repository: 'registry.example.com/spark', tag: '4.0.4', facts: SparkImageFacts.fromApacheImage() });
    const platform = new SparkPlatform(Testing.app(), 'platform', { eventLog: STORE, image, namespace: 'shared', existingOperator: { jobNamespaces: ['etl'] } });
    expect(platform.historyServer!.store).toBe(STORE);
    expect(platform.historyServer!.namespace).toBe('shared');
  });
});

describe('SparkPlatform: mirrors reach the nodes whenever they are added', () => {
  const STANDARD = StorageClassRef.existing('standard');
  const cache = (upstream: RegistryUpstream, clusterIp: string) => ({
    tls: RegistryTls.plainHttp(), storageClass: STANDARD, clusterIp, proxy: { upstream },
  });
  const QUAY = () => ContainerdMirror.of({ registry: 'quay.io', endpoint: '10.96.0.70:5000', insecurePlainHttp: true });
  const build = (late: boolean) => {
    const app = Testing.app();
    const hub = cache(RegistryUpstream.dockerHub(), '10.96.0.50');
    const ghcr = cache(RegistryUpstream.ghcr(), '10.96.0.52');
    const further: ContainerdMirror[] = late ? [] : [QUAY()];
    const platform = new SparkPlatform(app, 'platform', {
      cluster: { kubernetesVersion: '1.34.1', registryMirrorSetOptions: { insecurePlainHttp: true }, registryMirrors: further },
      registries: { mirrors: late ? [hub] : [hub, ghcr] },
      tenants: [{ namespace: 'etl', apiServer: API }],
    });
    if (late) {
      platform.registryMirrors!.addMirror('Mirror1', ghcr);
      further.push(QUAY());
    }
    return { platform, yaml: app.synthYaml(), files: GeneratedFile.allOf(app).map((f) => [f.path, f.content]) };
  };

  test('a set pushed into cluster.registryMirrorSets later reaches the nodes as one given at once', () => {
    const GHCR = { currentContainerdMirrors: (o?: ContainerdMirrorOptions) => [ContainerdMirror.of({ ...o, registry: 'ghcr.io', endpoint: '10.96.0.71:5000' })] };
    const files = (late: boolean) => {
      const app = Testing.app();
      const sets: IContainerdMirrorSource[] = late ? [] : [GHCR];
      new SparkPlatform(app, 'platform', {
        cluster: { kubernetesVersion: '1.34.1', registryMirrorSets: sets, registryMirrorSetOptions: { insecurePlainHttp: true } },
        existingOperator: { jobNamespaces: ['etl'] },
      });
      if (late) {
        sets.push(GHCR);
      }
      return GeneratedFile.allOf(app).map((f) => [f.path, f.content]);
    };
    expect(files(true)).toEqual(files(false));
    expect(files(true).find(([file]) => file === 'nodes/prepare-node.sh')![1]).toContain('10.96.0.71:5000');
  });

  test('a mirror added to the platform\'s set and a host pushed into cluster.registryMirrors later: same YAML and node files', () => {
    const early = build(false);
    const late = build(true);
    expect(late.platform.nodes!.registryMirrors.map((m) => m.registry)).toEqual(['docker.io', 'ghcr.io', 'quay.io']);
    expect(late.yaml).toEqual(early.yaml);
    expect(late.files).toEqual(early.files);
    const prepare = late.files.find(([file]) => file === 'nodes/prepare-node.sh')![1];
    expect(prepare).toContain('10.96.0.52:5000');
    expect(prepare).toContain('10.96.0.70:5000');
  });
});
