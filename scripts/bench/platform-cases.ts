// The SparkPlatform cases `npm run bench` measures. This module loads only
// cdk8s and the library, as a user's app with a SparkPlatform does: the jobs
// (which load cdk8s-plus-28 for their EnvValue) come from ./jobs when a case
// has any (see ./run-case.ts).
import { App, Chart, Duration } from 'cdk8s';
import { EventLogStore, NetworkPeer, SparkImage, SparkPlatform, TenantApiServerAccess, TenantEgress } from '../../src';

/** Size of the SparkPlatform cases. */
export interface PlatformJobsOptions {
  /** Number of SparkApplications (0: the platform alone). */
  readonly jobs: number;
  /** Number of tenants; each tenant with jobs gets a jobs chart of its own, the jobs go round-robin over them. */
  readonly tenants: number;
}

/** Adds job `i` to `chart`, logging to `eventLog` (./jobs). */
export type AddPlatformJob = (chart: Chart, i: number, eventLog: EventLogStore) => void;

/** The Spark image of the cases' services and jobs. */
export const IMAGE = SparkImage.apache('4.0.4');
/** The tenants' API-server egress: a control plane of three. */
export const CONTROL_PLANE = TenantApiServerAccess.toCidrs(['10.0.0.11/32', '10.0.0.12/32', '10.0.0.13/32'], [6443]);

/**
 * The Maven mirror inside the cluster that jobs with packages resolve them
 * from (DEFAULT_ARTIFACT_REPOSITORY): the tenants reach it, not the internet.
 */
export const MAVEN_MIRROR = { namespace: 'nexus', port: 8081, url: 'http://nexus.nexus.svc:8081/repository/maven-public/' };
/** The tenants' egress to {@link MAVEN_MIRROR}. */
export const TO_MAVEN_MIRROR = TenantEgress.toNamespace('maven-mirror', MAVEN_MIRROR.namespace, [MAVEN_MIRROR.port]);

export function tenantNamespace(t: number): string {
  return `tenant-${String(t).padStart(2, '0')}`;
}

const EVENT_LOG = EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs');
const HADOOP = NetworkPeer.namespace('hadoop');

/**
 * A SparkPlatform on an existing cluster: the operator, `tenants` tenants
 * (with egress to the event log's HDFS), a history server reading the
 * platform's event log, Argo CD sync waves on every object; then `jobs` jobs
 * made by `addJob` through `jobsChart()`, one jobs chart per tenant, writing
 * their event log where the history server reads it. With 0 jobs: the
 * platform alone.
 */
export function sparkPlatformWithJobs(outdir: string, options: PlatformJobsOptions, addJob?: AddPlatformJob): App {
  const app = new App({ outdir });
  const platform = new SparkPlatform(app, 'platform', {
    image: IMAGE,
    eventLog: EVENT_LOG,
    historyServer: { cleaner: { maxAge: Duration.days(14) } },
    tenants: Array.from({ length: options.tenants }, (_, t) => ({
      namespace: tenantNamespace(t),
      apiServer: CONTROL_PLANE,
      // The namenode's port and the datanodes' (Hadoop 3's dfs.datanode.address default).
      egress: [TenantEgress.toEventLogStore(EVENT_LOG, HADOOP, [9866]), TO_MAVEN_MIRROR],
    })),
    argoCdSyncWaves: {},
  });
  if (options.jobs > 0 && addJob === undefined) {
    throw new Error(`${options.jobs} jobs but no job maker`);
  }
  // One jobs chart per tenant that gets jobs: the platform alone has none.
  const charts = Array.from({ length: Math.min(options.tenants, options.jobs) },
    (_, t) => platform.jobsChart(`jobs-${tenantNamespace(t)}`, tenantNamespace(t)));
  for (let i = 0; i < options.jobs; i++) {
    addJob!(charts[i % charts.length], i, platform.eventLog!);
  }
  return app;
}
