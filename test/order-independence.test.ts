// Issue #17: wiring must not depend on construction order. Each scenario is an app described as
// steps with dependencies (test/harness/order.ts); the suite builds it in several seeded
// shuffles that respect them and compares every chart's YAML, and every generated file, byte
// for byte with the canonical order. The canonical orders reproduce the examples exactly.
import { App, Chart, Duration, Size, Testing, Yaml } from 'cdk8s';
import { Cpu, ISecret, k8s, Secret } from 'cdk8s-plus-28';
import * as multiTenant from '../examples/multi-tenant/main';
import * as platformExample from '../examples/platform/main';
import {
  ArgoCdApplication, ArgoCdSparkHealthChecks, ArgoCdSyncWaves, ClusterNetwork, EventLogStore, FlannelBackend, FlannelCni, ImageRegistryOverride,
  ISparkOperator, KubeadmClusterPrereqs, LocalPathProvisioner, NetworkPeer, NodeRole, RegistryMirror, RegistryMirrorSet, RegistryTls,
  RegistryUpstream, ScheduledSparkApplication, SparkApplication, SparkApplicationType, SparkConf, SparkHistoryServer, SparkImage,
  SparkImageBuildScript, SparkImageFacts, SparkOperator, SparkOperatorInstall, SparkPlatform, SparkSubmitJob, SparkTenant,
  HiveMetastore, SparkStandaloneCluster, SparkThriftServer, StandaloneAuthentication,
  StandardLabels, TenantApiServerAccess, TenantEgress, TenantIngress, TenantQuota,
} from '../src';
import { describeOrder, OrderScenario, render, shuffle, Step } from './harness/order';

/** Shuffles per scenario; each seed is a test of its own, so a failure names the seed to replay. */
const SEEDS = [1, 2, 3, 5, 8, 13];

// --- examples/platform, step by step -----------------------------------------------------------

interface PlatformState {
  app: App;
  cluster: Chart;
  registries: Chart;
  operator: Chart;
  jobs: Chart;
  network?: ClusterNetwork;
  flannel?: FlannelCni;
  storage?: LocalPathProvisioner;
  mirrors?: RegistryMirrorSet;
  tls?: RegistryTls;
  registry?: RegistryMirror;
  pull?: ISecret;
  images?: SparkImageBuildScript;
  history?: SparkHistoryServer;
  submitJob?: SparkSubmitJob;
  operatorJob?: SparkApplication;
}

const mirrorStep = (name: string, id: string, clusterIp: string, upstream: () => RegistryUpstream): Step<PlatformState> => ({
  name,
  after: ['mirror set', 'storage'],
  siblings: 'mirrors',
  run: (s) => {
    s.mirrors!.addMirror(id, { tls: s.tls!, storageClass: s.storage!.storageClass, clusterIp, proxy: { upstream: upstream() } });
  },
});

const PI_JAR = { mainClass: 'org.apache.spark.examples.SparkPi', mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar' };

const PLATFORM: OrderScenario<PlatformState> = {
  name: 'examples/platform (kubeadm, flannel, registries, operator, history server, jobs)',
  setup: () => {
    const app = Testing.app();
    // Chart creation order is file order; dependencies as in the example.
    const [cluster, registries, operator] = ['cluster', 'registries', 'spark-operator'].map((id) => new Chart(app, id));
    const jobs = new Chart(app, 'spark-jobs', { namespace: platformExample.JOB_NAMESPACE });
    for (const chart of [registries, operator, jobs]) chart.addDependency(cluster);
    return { app, cluster, registries, operator, jobs };
  },
  apps: (s) => [s.app],
  steps: [
    {
      name: 'network',
      siblings: 'cluster',
      run: (s) => {
        s.network = new ClusterNetwork(s.cluster, 'Network', {
          podCidr: '10.244.0.0/16',
          serviceCidr: '10.96.0.0/12',
          nodes: [
            { name: 'spark-master', ip: '192.168.1.10', role: NodeRole.CONTROL_PLANE },
            { name: 'spark-worker-1', ip: '192.168.1.11', role: NodeRole.WORKER },
          ],
        });
      },
    },
    // Read at synth by kubeadm, flannel and the registries: whenever the node is added.
    {
      name: 'add node spark-worker-2',
      after: ['network'],
      run: (s) => { s.network!.addNode({ name: 'spark-worker-2', ip: '192.168.1.12', role: NodeRole.WORKER }); },
    },
    {
      name: 'flannel',
      after: ['network'],
      siblings: 'cluster',
      run: (s) => { s.flannel = new FlannelCni(s.cluster, 'Flannel', { network: s.network!, backend: FlannelBackend.vxlan() }); },
    },
    { name: 'storage', siblings: 'cluster', run: (s) => { s.storage = new LocalPathProvisioner(s.cluster, 'Storage'); } },
    {
      name: 'mirror set',
      after: ['network'],
      siblings: 'registries',
      run: (s) => {
        s.tls = RegistryTls.fromSecret(Secret.fromSecretName(s.registries, 'RegistryTls', 'registry-tls'));
        s.mirrors = new RegistryMirrorSet(s.registries, 'Mirrors', { namespace: 'registry', network: s.network! });
      },
    },
    mirrorStep('mirror docker hub', 'DockerHub', '10.96.0.50', () => RegistryUpstream.dockerHub()),
    mirrorStep('mirror registry.k8s.io', 'K8s', '10.96.0.51', () => RegistryUpstream.registryK8s()),
    mirrorStep('mirror ghcr', 'Ghcr', '10.96.0.52', () => RegistryUpstream.ghcr()),
    {
      name: 'private registry',
      after: ['mirror set', 'storage'],
      siblings: 'mirrors',
      run: (s) => {
        s.registry = s.mirrors!.addMirror('Spark', {
          tls: s.tls!,
          storageClass: s.storage!.storageClass,
          clusterIp: '10.96.0.53',
          auth: { secret: Secret.fromSecretName(s.registries, 'RegistryUsers', 'registry-htpasswd') },
        });
      },
    },
    {
      name: 'node scripts',
      // The set is read at synth: its mirrors may be added before or after the node scripts.
      after: ['network', 'flannel', 'mirror set'],
      siblings: 'cluster',
      run: (s) => {
        new KubeadmClusterPrereqs(s.cluster, 'Nodes', {
          network: s.network!,
          kubernetesVersion: platformExample.KUBERNETES_VERSION,
          cniPorts: s.flannel!.firewallPorts,
          registryMirrorSets: [s.mirrors!],
          registryMirrorSetOptions: { caFile: '/etc/pki/registry-ca.pem' },
        });
      },
    },
    { name: 'operator install', siblings: 'operator', run: (s) => { new SparkOperatorInstall(s.operator, 'Operator'); } },
    {
      name: 'jobs namespace',
      siblings: 'jobs',
      run: (s) => {
        new k8s.KubeNamespace(s.jobs, 'Namespace', {
          metadata: {
            name: platformExample.JOB_NAMESPACE,
            labels: {
              ...StandardLabels.of(s.jobs, { name: platformExample.JOB_NAMESPACE, component: 'namespace' }).all(),
              'pod-security.kubernetes.io/enforce': 'restricted',
            },
          },
        });
      },
    },
    { name: 'pull secret', siblings: 'jobs', run: (s) => { s.pull = Secret.fromSecretName(s.jobs, 'RegistryPull', 'registry-pull'); } },
    {
      name: 'image build',
      after: ['private registry', 'pull secret'],
      siblings: 'registries',
      run: (s) => { s.images = new SparkImageBuildScript(s.registries, 'SparkImages', { registry: s.registry!, pullSecrets: [s.pull!] }); },
    },
    {
      name: 'history server',
      after: ['image build'],
      siblings: 'jobs',
      run: (s) => {
        s.history = new SparkHistoryServer(s.jobs, 'HistoryServer', {
          store: platformExample.EVENT_LOG,
          namespace: platformExample.JOB_NAMESPACE,
          image: s.images!.jvmImage,
          nodePort: 30080,
          cleaner: { maxAge: Duration.days(14) },
        });
      },
    },
    {
      name: 'submit job',
      after: ['image build', 'history server'],
      siblings: 'jobs',
      run: (s) => {
        s.submitJob = new SparkSubmitJob(s.jobs, 'SparkPiSubmit', {
          ...PI_JAR,
          name: 'spark-pi-submit',
          type: SparkApplicationType.SCALA,
          namespace: platformExample.JOB_NAMESPACE,
          image: s.images!.jvmImage,
          executor: { instances: 2 },
          eventLog: s.history!.store,
          activeDeadline: Duration.hours(1),
          ttlAfterFinished: Duration.days(1),
        });
      },
    },
    // The example passes ['1000'] as a prop; the mutator renders the same, whenever it is called.
    { name: 'submit job argument', after: ['submit job'], run: (s) => { s.submitJob!.addArgument('1000'); } },
    {
      name: 'operator job',
      after: ['image build', 'history server'],
      siblings: 'jobs',
      run: (s) => {
        s.operatorJob = new SparkApplication(s.jobs, 'SparkPi', {
          ...PI_JAR,
          name: 'spark-pi',
          type: SparkApplicationType.SCALA,
          image: s.images!.jvmImage,
          executor: { instances: 2 },
          eventLog: s.history!.store,
          timeToLive: Duration.hours(1),
        });
      },
    },
    { name: 'operator job argument', after: ['operator job'], run: (s) => { s.operatorJob!.addArgument('1000'); } },
  ],
};

// --- examples/multi-tenant, step by step ----------------------------------------------------------

interface TenantsState {
  app: App;
  argo: App;
  platform: SparkPlatform;
  jobs: Chart;
  argoChart: Chart;
  eventLog: EventLogStore;
  tenants: { [namespace: string]: SparkTenant };
}

function departmentQuota(cores: number, memoryGiB: number, applications: number): TenantQuota {
  return {
    cpuRequests: Cpu.units(cores),
    cpuLimits: Cpu.units(cores * 2),
    memoryRequests: Size.gibibytes(memoryGiB),
    memoryLimits: Size.gibibytes(memoryGiB),
    pods: applications * 10,
    sparkApplications: applications,
    scheduledSparkApplications: applications,
  };
}

const S3_IMAGE = () => SparkImage.of({
  repository: 'registry.example.com/data/spark-s3',
  tag: '4.0.4',
  facts: SparkImageFacts.fromApacheImage({ hadoopAws: true, python: true }),
});
const CONTROL_PLANE = () => TenantApiServerAccess.toCidrs(['10.0.0.11/32', '10.0.0.12/32', '10.0.0.13/32'], [6443]);
const MINIO = () => NetworkPeer.namespace('storage', { 'app.kubernetes.io/name': 'minio' });

const department = (index: number, namespace: string, quota: TenantQuota): Array<Step<TenantsState>> => [
  {
    name: `tenant ${namespace}`,
    siblings: 'tenants',
    run: (s) => { s.tenants[namespace] = s.platform.addTenant(`Tenant${index}`, { namespace, apiServer: CONTROL_PLANE(), quota }); },
  },
  // The example gives the egress as a prop; the mutator renders the same, whenever it is called.
  {
    name: `egress ${namespace}`,
    after: [`tenant ${namespace}`],
    run: (s) => { s.tenants[namespace].addEgress(TenantEgress.toEventLogStore(s.eventLog, MINIO())); },
  },
];

const MULTI_TENANT: OrderScenario<TenantsState> = {
  name: 'examples/multi-tenant (SparkPlatform, three tenants, Argo CD waves, jobs, the Argo CD Application)',
  setup: () => {
    const app = Testing.app();
    const eventLog = EventLogStore.s3({
      bucket: 'spark-events',
      endpoint: 'http://minio.storage.svc:9000',
      pathStyleAccess: true,
      credentials: { secret: Secret.fromSecretName(app, 'EventLogKeys', 'event-log-s3') },
    });
    const platform = new SparkPlatform(app, 'platform', {
      image: S3_IMAGE(),
      eventLog,
      historyServer: { cleaner: { maxAge: Duration.days(30) } },
      argoCdSyncWaves: {},
    });
    const argo = Testing.app();
    return { app, argo, platform, eventLog, jobs: platform.jobsChart('jobs'), argoChart: new Chart(argo, 'argocd'), tenants: {} };
  },
  apps: (s) => [s.app, s.argo],
  steps: [
    ...department(0, 'analytics', departmentQuota(32, 128, 20)),
    ...department(1, 'data-science', departmentQuota(64, 256, 40)),
    ...department(2, 'finance', departmentQuota(8, 32, 5)),
    {
      // Jobs may come before their tenant: the namespace's default driver ServiceAccount stays in the tenants chart.
      name: 'job daily-revenue',
      siblings: 'jobs',
      run: (s) => {
        new SparkApplication(s.jobs, 'DailyRevenue', {
          name: 'daily-revenue',
          namespace: 'analytics',
          type: SparkApplicationType.PYTHON,
          image: S3_IMAGE(),
          mainApplicationFile: 's3a://spark-jobs/analytics/daily_revenue.py',
          executor: { instances: 4, cores: 2, coreLimit: '2' },
          eventLog: s.eventLog,
        });
      },
    },
    {
      name: 'job feature-build',
      siblings: 'jobs',
      run: (s) => {
        new SparkApplication(s.jobs, 'FeatureBuild', {
          name: 'feature-build',
          namespace: 'data-science',
          type: SparkApplicationType.SCALA,
          image: S3_IMAGE(),
          mainClass: 'com.example.features.Build',
          mainApplicationFile: 's3a://spark-jobs/data-science/features.jar',
          dynamicAllocation: { maxExecutors: 16 },
          eventLog: s.eventLog,
        });
      },
    },
    {
      name: 'job month-end-close',
      siblings: 'jobs',
      run: (s) => {
        new ScheduledSparkApplication(s.jobs, 'MonthEnd', {
          name: 'month-end-close',
          namespace: 'finance',
          schedule: '0 2 1 * *',
          type: SparkApplicationType.SCALA,
          image: S3_IMAGE(),
          mainClass: 'com.example.finance.MonthEnd',
          mainApplicationFile: 's3a://spark-jobs/finance/month-end.jar',
          eventLog: s.eventLog,
        });
      },
    },
    {
      name: 'Argo CD application',
      siblings: 'argocd',
      run: (s) => {
        new ArgoCdApplication(s.argoChart, 'SparkPlatform', {
          name: 'spark-platform',
          repoUrl: multiTenant.REPO_URL,
          path: multiTenant.REPO_PATH,
          targetRevision: 'main',
          sparkOperator: s.platform.operator,
        });
      },
    },
    { name: 'Argo CD health checks', siblings: 'argocd', run: (s) => { new ArgoCdSparkHealthChecks(s.argoChart, 'HealthChecks'); } },
  ],
};

// --- an operator installed by Helm, two tenants, their jobs, sync waves ---------------------------

interface ImportedState {
  app: App;
  operatorChart: Chart;
  tenantsChart: Chart;
  jobsChart: Chart;
  operator?: ISparkOperator;
  tenants: { [namespace: string]: SparkTenant };
}

const API = () => TenantApiServerAccess.toCidrs(['192.168.10.10/32']);
const helmJob = (namespace: string, id: string): Step<ImportedState> => ({
  name: `job ${namespace}`,
  after: [`tenant ${namespace}`],
  siblings: 'jobs',
  run: (s) => { new SparkApplication(s.jobsChart, id, { ...PI_JAR, name: `pi-${namespace}`, namespace, type: SparkApplicationType.SCALA }); },
});

const IMPORTED: OrderScenario<ImportedState> = {
  name: 'an operator installed by Helm (SparkOperator.fromExisting), tenants with ingress and egress, jobs, Argo CD waves',
  setup: () => {
    const app = Testing.app();
    const [operatorChart, tenantsChart, jobsChart] = ['operator', 'tenants', 'jobs'].map((id) => new Chart(app, id));
    return { app, operatorChart, tenantsChart, jobsChart, tenants: {} };
  },
  apps: (s) => [s.app],
  steps: [
    {
      name: 'imported operator',
      run: (s) => { s.operator = SparkOperator.fromExisting(s.operatorChart, 'Operator', { namespace: 'kubeflow', jobNamespaces: ['team-a', 'team-b'] }); },
    },
    {
      name: 'tenant team-a',
      siblings: 'tenants',
      run: (s) => { s.tenants['team-a'] = new SparkTenant(s.tenantsChart, 'TeamA', { namespace: 'team-a', apiServer: API() }); },
    },
    {
      name: 'tenant team-b',
      after: ['imported operator'],
      siblings: 'tenants',
      run: (s) => { s.tenants['team-b'] = new SparkTenant(s.tenantsChart, 'TeamB', { namespace: 'team-b', apiServer: API(), sparkOperator: s.operator }); },
    },
    {
      name: 'egress team-a',
      after: ['tenant team-a'],
      run: (s) => { s.tenants['team-a'].addEgress(TenantEgress.toCidr('warehouse-db', '10.50.0.0/24', [5432])); },
    },
    {
      name: 'ingress team-b',
      after: ['tenant team-b'],
      run: (s) => { s.tenants['team-b'].addIngress(TenantIngress.sparkUi(NetworkPeer.namespace('ingress-nginx'))); },
    },
    helmJob('team-a', 'PiA'),
    helmJob('team-b', 'PiB'),
    { name: 'Argo CD sync waves', run: (s) => { ArgoCdSyncWaves.apply(s.app); } },
  ],
};

// --- an operator installed by the app, its namespaces first seen in any order --------------------

interface InstallState {
  app: App;
  operatorChart: Chart;
  tenantsChart: Chart;
  jobsChart: Chart;
  operator?: SparkOperatorInstall;
  jobs: { [namespace: string]: SparkApplication };
}

const installJob = (namespace: string, id: string): Step<InstallState> => ({
  name: `job ${namespace}`,
  siblings: 'jobs',
  run: (s) => { s.jobs[namespace] = new SparkApplication(s.jobsChart, id, { ...PI_JAR, name: `pi-${namespace}`, namespace, type: SparkApplicationType.SCALA }); },
});

const INSTALL: OrderScenario<InstallState> = {
  name: 'an operator installed by the app: namespaces of tenants, jobs and watchNamespace, in any order; job conf added later',
  setup: () => {
    const app = Testing.app();
    const [operatorChart, tenantsChart, jobsChart] = ['operator', 'tenants', 'jobs'].map((id) => new Chart(app, id));
    return { app, operatorChart, tenantsChart, jobsChart, jobs: {} };
  },
  apps: (s) => [s.app],
  steps: [
    { name: 'operator install', run: (s) => { s.operator = new SparkOperatorInstall(s.operatorChart, 'Operator'); } },
    {
      name: 'tenant zeta',
      siblings: 'tenants',
      run: (s) => { new SparkTenant(s.tenantsChart, 'Zeta', { namespace: 'zeta', apiServer: API() }); },
    },
    {
      name: 'tenant alpha',
      siblings: 'tenants',
      run: (s) => { new SparkTenant(s.tenantsChart, 'Alpha', { namespace: 'alpha', apiServer: API() }); },
    },
    installJob('mu', 'PiMu'),
    installJob('beta', 'PiBeta'),
    installJob('alpha', 'PiAlpha'),
    { name: 'watch omega', after: ['operator install'], run: (s) => { s.operator!.watchNamespace('omega'); } },
    { name: 'watch delta', after: ['operator install'], run: (s) => { s.operator!.watchNamespace('delta'); } },
    { name: 'conf beta', after: ['job beta'], run: (s) => { s.jobs.beta.addSparkConf('spark.sql.shuffle.partitions', '64'); } },
    { name: 'argument mu', after: ['job mu'], run: (s) => { s.jobs.mu.addArgument('500'); } },
  ],
};

// --- the suite ------------------------------------------------------------------------------------

/** Each scenario's output in its canonical order: the same for every seed, so rendered once. */
const canonicalOutputs = new Map<OrderScenario<any>, Map<string, string>>();
function canonicalOutput<S>(scenario: OrderScenario<S>): Map<string, string> {
  let output = canonicalOutputs.get(scenario);
  if (!output) {
    output = render(scenario, scenario.steps);
    canonicalOutputs.set(scenario, output);
  }
  return output;
}

function expectSameOutput<S>(scenario: OrderScenario<S>, seed: number): void {
  const canonical = canonicalOutput(scenario);
  const order = shuffle(scenario.steps, seed);
  const shuffled = render(scenario, order);
  expect([...shuffled.keys()]).toEqual([...canonical.keys()]);
  for (const [key, yaml] of canonical) {
    // The message names the chart (or file) and the order, so a failure can be replayed.
    expect({ key, order: describeOrder(order), yaml: shuffled.get(key) }).toEqual({ key, order: describeOrder(order), yaml });
  }
}

describe('order independence', () => {
  describe.each([
    ['platform', PLATFORM as OrderScenario<any>],
    ['multi-tenant', MULTI_TENANT as OrderScenario<any>],
    ['imported operator', IMPORTED as OrderScenario<any>],
    ['operator install', INSTALL as OrderScenario<any>],
  ])('%s', (_name, scenario) => {
    test('the shuffles really reorder the steps', () => {
      const canonical = describeOrder(scenario.steps);
      const distinct = new Set(SEEDS.map((seed) => describeOrder(shuffle(scenario.steps, seed))));
      expect(distinct.size).toBeGreaterThanOrEqual(SEEDS.length - 1);
      expect([...distinct].some((o) => o !== canonical)).toBe(true);
    });

    test.each(SEEDS)('seed %d: every chart and file is byte for byte the canonical one', (seed) => {
      expectSameOutput(scenario, seed);
    });
  });

  const chartsOf = (apps: App[]) => {
    const out = new Map<string, string>();
    apps.forEach((app, i) => app.charts.forEach((chart) => out.set(`app ${i} chart ${chart.node.path}`, Yaml.stringify(...Testing.synth(chart)))));
    return out;
  };
  const chartsOnly = (rendered: Map<string, string>) => new Map([...rendered].filter(([key]) => key.includes(' chart ')));

  test('the canonical platform order reproduces examples/platform', () => {
    expect(chartsOnly(canonicalOutput(PLATFORM))).toEqual(chartsOf([platformExample.buildApp(Testing.app())]));
  });

  test('the canonical multi-tenant order reproduces examples/multi-tenant and its Argo CD app', () => {
    const app = Testing.app();
    const argo = multiTenant.buildArgoCd(Testing.app(), multiTenant.buildApp(app));
    expect(chartsOnly(canonicalOutput(MULTI_TENANT))).toEqual(chartsOf([app, argo]));
  });

  test('the comparison catches an order dependence (a value copied at construction, changed later)', () => {
    interface S { app: App; chart: Chart; list: string[] }
    const copying: OrderScenario<S> = {
      name: 'copies a list when built',
      setup: () => { const app = Testing.app(); return { app, chart: new Chart(app, 'c'), list: ['a'] }; },
      apps: (s) => [s.app],
      steps: [
        { name: 'push', run: (s) => { s.list.push('b'); } },
        { name: 'config map', run: (s) => { new k8s.KubeConfigMap(s.chart, 'Cm', { data: { list: s.list.join(',') } }); } },
      ],
    };
    const failures = SEEDS.filter((seed) => {
      try {
        expectSameOutput(copying, seed);
        return false;
      } catch {
        return true;
      }
    });
    expect(failures.length).toBeGreaterThan(0);
  });

  // Late changes the library refuses by design: the value shaped objects already emitted, so the
  // change fails synthesis with a message naming the construct, the property and the fix.
  const SHARED_CONF = () => SparkConf.of({ 'spark.sql.shuffle.partitions': '64' });
  const lateRefusals: Array<[string, (app: App) => () => void, string]> = [
    ['ImageRegistryOverride applied to the app after examples/platform is built', (app) => {
      platformExample.buildApp(app);
      return () => ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('mirror.example.com:5000'));
    }, 'spark-jobs/SparkPi: image registry override changed after spark-jobs/SparkPi emitted its images, so the change would be ignored '
      + '(when created: none; now: ImageRegistryOverride.mirror("mirror.example.com:5000") applied to <root>): call ImageRegistryOverride.apply() before creating'],
    ['SparkConf.set on a conf already passed to a SparkApplication', (app) => {
      const conf = SHARED_CONF();
      new SparkApplication(new Chart(app, 'jobs'), 'Pi', { ...PI_JAR, namespace: 'etl', type: SparkApplicationType.SCALA, sparkConf: conf });
      new SparkOperatorInstall(new Chart(app, 'operator'), 'Operator');
      return () => conf.set('spark.executor.cores', '2');
    }, 'jobs/Pi: props.sparkConf changed after jobs/Pi was created, so the change would be ignored: call addSparkConf() on the job'],
    ['SparkConf.set on a conf already passed to a SparkSubmitJob', (app) => {
      const conf = SHARED_CONF();
      new SparkSubmitJob(new Chart(app, 'jobs'), 'Pi', { ...PI_JAR, namespace: 'etl', type: SparkApplicationType.SCALA, sparkConf: conf });
      return () => conf.set('spark.executor.cores', '2');
    }, 'jobs/Pi: props.sparkConf changed after jobs/Pi was created, so the change would be ignored: call addSparkConf() on the job'],
    ['SparkConf.set on a conf already passed to the history server', (app) => {
      const conf = SparkConf.of({ 'spark.history.ui.maxApplications': '500' });
      new SparkHistoryServer(new Chart(app, 'services'), 'History', { store: platformExample.EVENT_LOG, sparkConf: conf });
      return () => conf.set('spark.history.fs.cleaner.enabled', 'false');
    }, 'services/History: sparkConf changed after services/History was created, so the change would be ignored: set every key before passing the SparkConf'],
  ];
  test.each(lateRefusals)('refused late change: %s fails synth', (_name, build, message) => {
    const app = Testing.app();
    const change = build(app);
    expect(() => app.synth()).not.toThrow();
    change();
    expect(() => app.synth()).toThrow(message);
  });

  // The confs constructs expose are what they rendered: a set() on them would not reach the output,
  // so it is refused at once, naming the construct and where the key belongs.
  const exposedConfs: Array<[string, (chart: Chart) => SparkConf, string]> = [
    ['SparkHistoryServer.sparkConf', (c) => new SparkHistoryServer(c, 'History', { store: platformExample.EVENT_LOG }).sparkConf,
      'SparkHistoryServer c/History'],
    ['SparkThriftServer.sparkConf', (c) => new SparkThriftServer(c, 'Sql', {
      metastore: HiveMetastore.thrift('thrift://hive-metastore.hive.svc:9083'), warehouseDir: 'hdfs://nn:8020/warehouse',
    }).sparkConf, 'SparkThriftServer c/Sql'],
    ['SparkStandaloneCluster.sparkConf', (c) => new SparkStandaloneCluster(c, 'Cluster', {
      authentication: StandaloneAuthentication.none(), reverseProxy: true,
    }).sparkConf, 'SparkStandaloneCluster c/Cluster'],
    ['SparkStandaloneCluster.clientConf', (c) => new SparkStandaloneCluster(c, 'Cluster', {
      authentication: StandaloneAuthentication.none(),
    }).clientConf, 'SparkStandaloneCluster c/Cluster'],
  ];
  test.each(exposedConfs)('%s is read-only', (_name, exposed, owner) => {
    const conf = exposed(new Chart(Testing.app(), 'c'));
    expect(conf.keys.length).toBeGreaterThan(0);
    expect(() => conf.set('spark.sql.shuffle.partitions', '8')).toThrow(
      `invalid conf key "spark.sql.shuffle.partitions": no change here: this conf is what ${owner} rendered, read-only`);
    expect(conf.has('spark.sql.shuffle.partitions')).toBe(false);
  });

  test('a job\'s default driver ServiceAccount is made in the tenant created after the job, and the job\'s reference names it', () => {
    const app = Testing.app();
    const [tenants, jobs] = ['tenants', 'jobs'].map((id) => new Chart(app, id));
    const job = new SparkApplication(jobs, 'Pi', { ...PI_JAR, namespace: 'etl', type: SparkApplicationType.SCALA });
    const tenant = new SparkTenant(tenants, 'Etl', { namespace: 'etl', apiServer: API() });
    new SparkOperatorInstall(new Chart(app, 'operator'), 'Operator');
    expect(Testing.synth(jobs).map((m) => m.kind)).toEqual(['SparkApplication']);
    expect(Testing.synth(tenants).filter((m) => m.metadata.name === 'spark-driver').map((m) => m.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding']);
    // The job holds a reference, not the account made for it first: its node is the tenant's account's,
    // and the account made first is gone from the tree (no stale construct left behind).
    expect(job.serviceAccount.node).toBe(tenant.serviceAccount.node);
    expect(job.serviceAccount.node.path).toBe('tenants/SparkServiceAccount-etl');
    expect(jobs.node.tryFindChild('SparkServiceAccount-etl')).toBeUndefined();
    expect(job.serviceAccount.name).toBe('spark-driver');
  });
});
