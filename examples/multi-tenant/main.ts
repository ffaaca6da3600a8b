// A multi-tenant Spark platform synced by Argo CD: the operator, a history
// server and three departments, each in its own namespace with a quota,
// default limits and default-deny network policies, running its own jobs.
// The whole stack is one SparkPlatform; every object carries its Argo CD
// sync wave, so CRDs, tenants, the operator, services and jobs apply in order.
//
//   dist/*.k8s.yaml          the platform, synced by Argo CD from Git
//   dist/argocd/*.k8s.yaml   applied once to the Argo CD cluster: the Application
//                            pointing at dist/ and the Spark health checks, a partial
//                            argocd-cm to merge: kubectl apply --server-side --field-manager=cdk8s-spark
import * as path from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import { Cpu, Secret } from 'cdk8s-plus-28';
import {
  ArgoCdApplication, ArgoCdSparkHealthChecks, EventLogStore, NetworkPeer, ScheduledSparkApplication, SparkApplication,
  SparkApplicationType, SparkImage, SparkImageFacts, SparkPlatform, TenantApiServerAccess, TenantEgress, TenantQuota,
} from '../../src';

export const REPO_URL = 'https://git.example.com/data-platform/spark.git';
export const REPO_PATH = 'examples/multi-tenant/dist';

/** Each department gets the same shape of quota, scaled by its share of the cluster. */
function quota(cores: number, memoryGiB: number, applications: number): TenantQuota {
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

export function buildApp(app: App = new App()): SparkPlatform {
  // The Spark image with hadoop-aws and the AWS SDK bundle for s3a:// (the Apache images lack them),
  // built FROM apache/spark:4.0.4: its user (uid 185), wget and Python come from there. The facts are checked at synth.
  const image = SparkImage.of({
    repository: 'registry.example.com/data/spark-s3',
    tag: '4.0.4',
    facts: SparkImageFacts.fromApacheImage({ hadoopAws: true, python: true }),
  });
  // MinIO in namespace "storage"; the access keys stay in a Secret created outside Git in each namespace.
  const eventLogStore = (secretScope: App) => EventLogStore.s3({
    bucket: 'spark-events',
    endpoint: 'http://minio.storage.svc:9000',
    pathStyleAccess: true,
    credentials: { secret: Secret.fromSecretName(secretScope, 'EventLogKeys', 'event-log-s3') },
  });
  const eventLog = eventLogStore(app);
  const minio = NetworkPeer.namespace('storage', { 'app.kubernetes.io/name': 'minio' });
  // The existing cluster's control plane: the tenants' pods may reach the API server there, and no other HTTPS endpoint.
  const apiServer = TenantApiServerAccess.toCidrs(['10.0.0.11/32', '10.0.0.12/32', '10.0.0.13/32'], [6443]);

  const platform = new SparkPlatform(app, 'platform', {
    image,
    eventLog,
    historyServer: { cleaner: { maxAge: Duration.days(30) } },
    tenants: [
      { namespace: 'analytics', apiServer, quota: quota(32, 128, 20), egress: [TenantEgress.toEventLogStore(eventLog, minio)] },
      { namespace: 'data-science', apiServer, quota: quota(64, 256, 40), egress: [TenantEgress.toEventLogStore(eventLog, minio)] },
      { namespace: 'finance', apiServer, quota: quota(8, 32, 5), egress: [TenantEgress.toEventLogStore(eventLog, minio)] },
    ],
    argoCdSyncWaves: {},
  });

  const jobs = platform.jobsChart('jobs');
  new SparkApplication(jobs, 'DailyRevenue', {
    name: 'daily-revenue',
    namespace: 'analytics',
    type: SparkApplicationType.PYTHON,
    image,
    mainApplicationFile: 's3a://spark-jobs/analytics/daily_revenue.py',
    // The tenant's quota caps CPU limits, so its LimitRange gives containers without a
    // CPU limit 1 core: a 2-core executor states its own limit or is refused.
    executor: { instances: 4, cores: 2, coreLimit: '2' },
    eventLog,
    // No timeToLive: Argo CD would create the deleted application again from Git and run it
    // again. The finished application stays until it is removed from Git (then pruned).
  });
  new SparkApplication(jobs, 'FeatureBuild', {
    name: 'feature-build',
    namespace: 'data-science',
    type: SparkApplicationType.SCALA,
    image,
    mainClass: 'com.example.features.Build',
    mainApplicationFile: 's3a://spark-jobs/data-science/features.jar',
    dynamicAllocation: { maxExecutors: 16 },
    eventLog,
  });
  new ScheduledSparkApplication(jobs, 'MonthEnd', {
    name: 'month-end-close',
    namespace: 'finance',
    schedule: '0 2 1 * *',
    type: SparkApplicationType.SCALA,
    image,
    mainClass: 'com.example.finance.MonthEnd',
    mainApplicationFile: 's3a://spark-jobs/finance/month-end.jar',
    eventLog,
  });
  return platform;
}

/** The Argo CD side, synthesized apart from the directory it syncs. */
export function buildArgoCd(app: App, platform: SparkPlatform): App {
  const chart = new Chart(app, 'argocd');
  new ArgoCdApplication(chart, 'SparkPlatform', {
    name: 'spark-platform',
    repoUrl: REPO_URL,
    path: REPO_PATH,
    targetRevision: 'main',
    // Ignores the webhook caBundle the operator's certificate job writes.
    sparkOperator: platform.operator,
  });
  new ArgoCdSparkHealthChecks(chart, 'HealthChecks');
  return app;
}

if (require.main === module) {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  const app = new App({ outdir });
  const platform = buildApp(app);
  app.synth();
  buildArgoCd(new App({ outdir: path.join(outdir, 'argocd') }), platform).synth();
}
