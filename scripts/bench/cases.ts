// The apps `npm run bench` measures (scripts/bench.mjs compiles this file,
// the library and examples/platform to JavaScript in .bench/ and runs each
// case in a fresh `node` process through ./run-case.ts).
import { ApiObject, App, Chart, Duration } from 'cdk8s';
import { EnvValue } from 'cdk8s-plus-28';
import { ReplayFixture } from './replay';
import { buildApp } from '../../examples/platform/main';
import {
  EventLogStore, GeneratedFile, NetworkPeer, RestartPolicy, SparkApplication, SparkApplicationProps, SparkApplicationType, SparkConf,
  SparkImage, SparkJobs, SparkMemory, SparkPlatform, SparkTenant, TenantApiServerAccess, TenantEgress,
} from '../../src';

/** Size of the "platform plus jobs" case. */
export interface FleetOptions {
  /** Number of SparkApplications. */
  readonly apps: number;
  /** Number of tenant namespaces they are spread over (one chart each). */
  readonly tenants: number;
}

/** Size of the SparkPlatform cases. */
export interface PlatformJobsOptions {
  /** Number of SparkApplications (0: the platform alone). */
  readonly jobs: number;
  /** Number of tenants; each gets a jobs chart of its own, the jobs go round-robin over them. */
  readonly tenants: number;
}

/** (a) The full examples/platform app. */
export function platform(outdir: string): App {
  return buildApp(new App({ outdir }));
}

/**
 * (b) The platform plus `apps` SparkApplications spread round-robin over
 * `tenants` SparkTenants, one chart per tenant. The jobs vary the way real ones
 * do (language, sizes, conf, dependencies, restart policy, dynamic allocation).
 */
export function platformWithFleet(outdir: string, options: FleetOptions): App {
  return withTenants(outdir, options, sparkApplication);
}

/**
 * (c) The floor: the fleet case with each SparkApplication replaced by a plain
 * cdk8s ApiObject holding its exact JSON (`jobs`, in the fleet's order); the
 * platform and the tenants are built as in (b). The difference is what the
 * SparkApplication construct costs.
 */
export function platformWithPlainJobs(outdir: string, options: FleetOptions, jobs: any[]): App {
  if (jobs.length !== options.apps) {
    throw new Error(`the fixture has ${jobs.length} jobs, not ${options.apps}`);
  }
  return withTenants(outdir, options, (chart, i) => new ApiObject(chart, `Job${i}`, jobs[i]));
}

/** The platform and the tenants' charts, then `addJob` for every job (round-robin over the charts). */
function withTenants(outdir: string, options: FleetOptions, addJob: (chart: Chart, i: number) => void): App {
  const app = platform(outdir);
  const tenants: Chart[] = [];
  for (let t = 0; t < options.tenants; t++) {
    const namespace = tenantNamespace(t);
    const chart = new Chart(app, namespace, { namespace });
    // Namespace, LimitRange, NetworkPolicies, the drivers' ServiceAccount;
    // the operator picks the namespace up.
    new SparkTenant(chart, 'Tenant', { namespace, apiServer: CONTROL_PLANE });
    tenants.push(chart);
  }
  for (let i = 0; i < options.apps; i++) {
    addJob(tenants[i % tenants.length], i);
  }
  return app;
}

/**
 * (d) A SparkPlatform on an existing cluster: the operator, `tenants` tenants
 * (with egress to the event log's HDFS), a history server reading the
 * platform's event log, Argo CD sync waves on every object; then `jobs`
 * SparkApplications through `jobsChart()`, one jobs chart per tenant, varied
 * like the fleet's jobs and writing their event log where the history server
 * reads it. With 0 jobs: the platform alone.
 */
export function sparkPlatformWithJobs(outdir: string, options: PlatformJobsOptions): App {
  const app = new App({ outdir });
  const sparkPlatform = new SparkPlatform(app, 'platform', {
    image,
    eventLog: EVENT_LOG,
    historyServer: { cleaner: { maxAge: Duration.days(14) } },
    tenants: Array.from({ length: options.tenants }, (_, t) => ({
      namespace: tenantNamespace(t),
      apiServer: CONTROL_PLANE,
      // The namenode's port and the datanodes' (Hadoop 3's dfs.datanode.address default).
      egress: [TenantEgress.toEventLogStore(EVENT_LOG, HADOOP, [9866])],
    })),
    argoCdSyncWaves: {},
  });
  // One jobs chart per tenant that gets jobs: the platform alone has none.
  const charts = Array.from({ length: Math.min(options.tenants, options.jobs) },
    (_, t) => sparkPlatform.jobsChart(`jobs-${tenantNamespace(t)}`, tenantNamespace(t)));
  for (let i = 0; i < options.jobs; i++) {
    // Argo CD would create a deleted application again: no timeToLive under sync waves.
    sparkApplication(charts[i % charts.length], i, { eventLog: sparkPlatform.eventLog, timeToLive: undefined });
  }
  return app;
}

function tenantNamespace(t: number): string {
  return `tenant-${String(t).padStart(2, '0')}`;
}

const image = SparkImage.apache('4.0.4');
const EVENT_LOG = EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs');
const HADOOP = NetworkPeer.namespace('hadoop');
// The tenants' API-server egress: a control plane of three.
const CONTROL_PLANE = TenantApiServerAccess.toCidrs(['10.0.0.11/32', '10.0.0.12/32', '10.0.0.13/32'], [6443]);
const shared = SparkConf.of({
  'spark.sql.adaptive.enabled': 'true',
  'spark.serializer': 'org.apache.spark.serializer.KryoSerializer',
}, 'platform');

function sparkApplication(chart: Chart, i: number, overrides: Partial<SparkApplicationProps> = {}): void {
  const python = i % 3 === 0;
  const conf = shared.merge(SparkConf.of({ 'spark.sql.shuffle.partitions': String(50 + (i % 7) * 50) }, `job ${i}`));
  new SparkApplication(chart, `Job${i}`, {
    name: `job-${i}`,
    type: python ? SparkApplicationType.PYTHON : SparkApplicationType.SCALA,
    image,
    mainClass: python ? undefined : 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: python
      ? 'local:///opt/spark/examples/src/main/python/pi.py'
      : 'local:///opt/spark/examples/jars/spark-examples.jar',
    arguments: [String(100 + i)],
    sparkConf: conf,
    hadoopConf: i % 4 === 0 ? { 'fs.s3a.path.style.access': 'true' } : undefined,
    deps: i % 5 === 0 ? { packages: ['org.apache.hadoop:hadoop-aws:3.4.1'] } : undefined,
    driver: {
      cores: 1,
      memory: SparkMemory.mebibytes(512 + (i % 4) * 256),
      env: { JOB_INDEX: EnvValue.fromValue(String(i)) },
      labels: { team: `team-${i % 10}` },
    },
    executor: {
      instances: 1 + (i % 4),
      cores: 1 + (i % 2),
      memory: SparkMemory.gibibytes(1 + (i % 3)),
      memoryLimit: i % 6 === 0 ? SparkMemory.gibibytes(4) : undefined,
    },
    dynamicAllocation: i % 8 === 0 ? { minExecutors: 1, maxExecutors: 10, shuffleTrackingTimeout: Duration.minutes(10) } : undefined,
    restartPolicy: i % 2 === 0 ? RestartPolicy.onFailure({ retries: 2 }) : RestartPolicy.never(),
    timeToLive: Duration.hours(24),
    ...overrides,
  });
}

/** What a case wrote, for the floor and the cdk8s-only replay. */
export interface BenchFixture {
  /** The fleet's jobs' JSON, in the fleet's order (for the floor). */
  readonly jobs: any[];
  /** Every chart's objects and dependencies, and the generated files (for the replay). */
  readonly replay: ReplayFixture;
}

/** The fixture of a synthesized app (charts by their path under the app: a SparkPlatform's are nested). */
export function fixtureOf(app: App): BenchFixture {
  return {
    jobs: SparkJobs.all(app)
      .filter((job): job is SparkApplication => job instanceof SparkApplication && /^tenant-\d+$/.test(Chart.of(job).node.id))
      .map((job) => job.apiObject.toJson()),
    replay: {
      charts: app.charts.map((chart) => ({
        path: chart.node.path,
        dependsOn: chart.node.dependencies.filter((d) => d instanceof Chart).map((d) => d.node.path),
        objects: chart.toJson(),
      })),
      files: GeneratedFile.allOf(app).map((f) => ({ path: f.path, content: f.content, mode: f.mode })),
    },
  };
}
