// The apps `npm run bench` measures (scripts/bench.mjs compiles this file,
// the library and examples/platform to JavaScript in .bench/ and runs each
// case in a fresh `node` process through ./run-case.ts).
import { ApiObject, App, Chart, Duration } from 'cdk8s';
import { EnvValue } from 'cdk8s-plus-28';
import { ReplayFixture } from './replay';
import { buildApp } from '../../examples/platform/main';
import {
  GeneratedFile, RestartPolicy, SparkApplication, SparkApplicationType, SparkConf, SparkImage, SparkJobs, SparkMemory, SparkTenant,
  TenantApiServerAccess,
} from '../../src';

/** Size of the "platform plus jobs" case. */
export interface FleetOptions {
  /** Number of SparkApplications. */
  readonly apps: number;
  /** Number of tenant namespaces they are spread over (one chart each). */
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
    const namespace = `tenant-${String(t).padStart(2, '0')}`;
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

const image = SparkImage.apache('4.0.4');
// The tenants' API-server egress: a control plane of three.
const CONTROL_PLANE = TenantApiServerAccess.toCidrs(['10.0.0.11/32', '10.0.0.12/32', '10.0.0.13/32'], [6443]);
const shared = SparkConf.of({
  'spark.sql.adaptive.enabled': 'true',
  'spark.serializer': 'org.apache.spark.serializer.KryoSerializer',
}, 'platform');

function sparkApplication(chart: Chart, i: number): void {
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
  });
}

/** What the fleet case wrote, for the floor and the cdk8s-only replay. */
export interface BenchFixture {
  /** The jobs' JSON, in the fleet's order (for the floor). */
  readonly jobs: any[];
  /** Every chart's objects and dependencies, and the generated files (for the replay). */
  readonly replay: ReplayFixture;
}

/** The fixture of a synthesized fleet app. */
export function fixtureOf(app: App): BenchFixture {
  return {
    jobs: SparkJobs.all(app)
      .filter((job): job is SparkApplication => job instanceof SparkApplication && /^tenant-\d+$/.test(Chart.of(job).node.id))
      .map((job) => job.apiObject.toJson()),
    replay: {
      charts: app.charts.map((chart) => ({
        id: chart.node.id,
        dependsOn: chart.node.dependencies.filter((d) => d instanceof Chart).map((d) => d.node.id),
        objects: chart.toJson(),
      })),
      files: GeneratedFile.allOf(app).map((f) => ({ path: f.path, content: f.content, mode: f.mode })),
    },
  };
}
