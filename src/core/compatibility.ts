import { OPERATOR_DEFAULT, OPERATOR_RELEASES, ZEPPELIN_MIN, zeppelinRows } from './compatibility-apps';
import { containerdMinimums, kubeadmApiVersion, KUBERNETES_MINORS, pkgsK8sIoBase } from './compatibility-kubernetes';
import { OFFICIAL_TAGS_SOURCE, officialSparkReleases, SPARK_FEATURES, SPARK_RELEASES, SparkFeatureFacts } from './compatibility-spark';
import { CDK8S_PLUS_LINES_TESTED, TOOLCHAIN_MINIMUMS } from './compatibility-toolchain';

/** One row of the compatibility table. */
export interface CompatibilityRow {
  /** What the row is about, e.g. `Spark`, `ZeppelinNotebook image 0.12.0`. */
  readonly component: string;
  /** The releases it covers, e.g. `≥ 3.0.0, < 5.0.0`. */
  readonly releases: string;
  /** What those releases work with, or what needs them. */
  readonly worksWith: string;
  /** Where the facts come from. */
  readonly source: string;
}

/**
 * The releases the constructs accept and what works with what: Spark and
 * its features, the official apache/spark images, the Spark operator,
 * Zeppelin and Kubernetes with kubeadm, containerd and the package
 * repositories. The constructs consult the same table, and refuse an
 * unsupported combination at synth with the supported range.
 *
 * The table, as {@link Compatibility.toMarkdown} renders it:
 *
 * <!-- compatibility:start -->
 * | Component | Releases | Works with | Source |
 * | --- | --- | --- | --- |
 * | Spark (SparkImage: every Spark construct) | ≥ 3.0.0, < 5.0.0 | pod templates, shuffle tracking and rolling event logs, which the constructs rely on, exist from 3.0.0; a new major release waits for this library | Spark ConfigBuilder `.version(...)` of the keys below |
 * | Spark feature: podTemplates | ≥ 3.0.0 | driver and executor pod templates (SparkSubmitJob, SparkThriftServer, a SparkApplication's pod templates); keys spark.kubernetes.driver.podTemplateFile, spark.kubernetes.executor.podTemplateFile, spark.kubernetes.driver.podTemplateContainerName, spark.kubernetes.executor.podTemplateContainerName | apache/spark resource-managers/kubernetes/core/src/main/scala/org/apache/spark/deploy/k8s/Config.scala |
 * | Spark feature: shuffleTracking | ≥ 3.0.0 | dynamic allocation without an external shuffle service (every job's dynamicAllocation); keys spark.dynamicAllocation.shuffleTracking.enabled, spark.dynamicAllocation.shuffleTracking.timeout | apache/spark core/src/main/scala/org/apache/spark/internal/config/package.scala |
 * | Spark feature: rollingEventLogs | ≥ 3.0.0 | rolling event logs and their compaction (EventLogStore, SparkHistoryServer); keys spark.eventLog.rolling.enabled, spark.eventLog.rolling.maxFileSize, spark.history.fs.eventLog.rolling.maxFilesToRetain | apache/spark core/src/main/scala/org/apache/spark/internal/config/package.scala |
 * | Spark feature: driverCoreRequest | ≥ 3.0.0 | a driver CPU request apart from its cores (driver.coreRequest); keys spark.kubernetes.driver.request.cores | apache/spark resource-managers/kubernetes/core/src/main/scala/org/apache/spark/deploy/k8s/Config.scala |
 * | Spark feature: prometheusEndpoints | ≥ 3.0.0 | the executors' metrics in Prometheus format on the driver's UI (a job's prometheusMetrics); keys spark.ui.prometheus.enabled | apache/spark core/src/main/scala/org/apache/spark/internal/config/UI.scala |
 * | Spark feature: archives | ≥ 3.1.0 | archives unpacked into the working directory (deps.archives); keys spark.archives | apache/spark core/src/main/scala/org/apache/spark/internal/config/package.scala |
 * | Spark feature: hybridHistoryStore | ≥ 3.1.0 | the history server's hybrid store (localStore hybrid); keys spark.history.store.hybridStore.enabled, spark.history.store.hybridStore.maxMemoryUsage | apache/spark core/src/main/scala/org/apache/spark/internal/config/History.scala |
 * | Spark feature: decommissioning | ≥ 3.1.0 | graceful executor decommissioning; keys spark.decommission.enabled, spark.storage.decommission.enabled, spark.storage.decommission.shuffleBlocks.enabled, spark.storage.decommission.rddBlocks.enabled | apache/spark core/src/main/scala/org/apache/spark/internal/config/package.scala |
 * | Spark feature: executorServiceAccount | ≥ 3.1.0 | a service account of the executors' own; keys spark.kubernetes.authenticate.executor.serviceAccountName | apache/spark resource-managers/kubernetes/core/src/main/scala/org/apache/spark/deploy/k8s/Config.scala |
 * | Spark feature: minPartitionSize | ≥ 3.2.0 | the smallest coalesced partition (SparkTuning minPartitionSize); keys spark.sql.adaptive.coalescePartitions.minPartitionSize | apache/spark sql/catalyst/src/main/scala/org/apache/spark/sql/internal/SQLConf.scala |
 * | Spark feature: perRoleMemoryOverheadFactor | ≥ 3.3.0 | memory overhead factors per role; older releases get spark.kubernetes.memoryOverheadFactor; keys spark.driver.memoryOverheadFactor, spark.executor.memoryOverheadFactor | apache/spark core/src/main/scala/org/apache/spark/internal/config/package.scala |
 * | Spark feature: sparkConnect | ≥ 3.4.0 | the Spark Connect server; keys spark.connect.grpc.binding.port | apache/spark sql/connect/server/src/main/scala/org/apache/spark/sql/connect/config/Connect.scala |
 * | apache/spark images (SparkImage.apache) | 3.3.0, 3.3.1, 3.3.3, 3.4.0, 3.4.1, 3.4.2, 3.4.3, 3.4.4, 3.5.0, 3.5.1, 3.5.2, 3.5.3, 3.5.4, 3.5.5, 3.5.6, 3.5.7, 3.5.8, 4.0.0, 4.0.1, 4.0.2, 4.0.3, 4.1.0, 4.1.1, 4.1.2, and later patch releases | user spark (uid 185) and wget; Python in the plain, -python3 and -javaNN tags, R in the -r tags, neither in -scala; no hadoop-aws | apache/spark-docker versions.json up to 7f2e1f0a96af |
 * | Spark operator (SparkOperatorInstall image, SparkOperator.fromExisting release) | ≥ 2.5.0, < 2.6.0 | CRDs, flags and webhooks of v2.5.2 (default image 2.5.2, which submits with Spark 4.0.4); applications on Spark ≥ 3.0.0, < 5.0.0 | kubeflow/spark-operator v2.5.2: Dockerfile, cmd/operator, charts/spark-operator-chart/crds |
 * | ZeppelinNotebook image | ≥ 0.9.0 | older releases lack ZEPPELIN_RUN_MODE, which the notebook sets | apache/zeppelin ZeppelinConfiguration.java |
 * | ZeppelinNotebook image | ≥ 0.9.0, < 0.10.0 | Spark ≥ 3.0.0, < 3.1.0 (SparkVersion: < 3.1.0) | apache/zeppelin spark/interpreter/.../SparkVersion.java, scripts/docker/zeppelin/bin/Dockerfile |
 * | ZeppelinNotebook image | ≥ 0.10.0, < 0.10.1 | Spark ≥ 3.0.0, < 3.2.0 (SparkVersion: < 3.2.0) | apache/zeppelin spark/interpreter/.../SparkVersion.java, scripts/docker/zeppelin/bin/Dockerfile |
 * | ZeppelinNotebook image | ≥ 0.10.1, < 0.11.0 | Spark ≥ 3.0.0, < 3.3.0 (SparkVersion: < 3.3.0) | apache/zeppelin spark/interpreter/.../SparkVersion.java, scripts/docker/zeppelin/bin/Dockerfile |
 * | ZeppelinNotebook image | ≥ 0.11.0, < 0.12.0 | Spark ≥ 3.2.0, < 4.0.0 (SparkVersion: 3.2.0 to < 4.0.0) | apache/zeppelin spark/interpreter/.../SparkVersion.java, scripts/docker/zeppelin/bin/Dockerfile |
 * | ZeppelinNotebook image | ≥ 0.12.0, < 0.12.1 | Spark ≥ 3.3.0, < 4.0.0 (SparkVersion: 3.3.0 to < 4.0.0) | apache/zeppelin spark/interpreter/.../SparkVersion.java, scripts/docker/zeppelin/bin/Dockerfile |
 * | ZeppelinNotebook image | ≥ 0.12.1, < 0.12.2 | Spark ≥ 3.3.0, < 4.0.0 (SparkVersion accepts < 4.1.0, but the image's Java 11 cannot run Spark 4 (Java 17)) | apache/zeppelin spark/interpreter/.../SparkVersion.java, scripts/docker/zeppelin/bin/Dockerfile |
 * | ZeppelinNotebook image | ≥ 0.12.2 | Spark ≥ 3.3.0, < 5.0.0 (newer than this table: as 0.12.1, with Spark 4) | apache/zeppelin spark/interpreter/.../SparkVersion.java, scripts/docker/zeppelin/bin/Dockerfile |
 * | Kubernetes (KubeadmClusterPrereqs) | 1.28.x | kubeadm config kubeadm.k8s.io/v1beta3; containerd 1.7.0+ or 1.6.15+; packages from https://pkgs.k8s.io/core:/stable:/v1.28/ (a mirror URL naming a version must name v1.28) | kubeadm v1beta4 API (Kubernetes 1.31); containerd RELEASES.md "Kubernetes Support"; pkgs.k8s.io |
 * | Kubernetes (KubeadmClusterPrereqs) | 1.29.x | kubeadm config kubeadm.k8s.io/v1beta3; containerd 1.7.11+ or 1.6.27+; packages from https://pkgs.k8s.io/core:/stable:/v1.29/ (a mirror URL naming a version must name v1.29) | kubeadm v1beta4 API (Kubernetes 1.31); containerd RELEASES.md "Kubernetes Support"; pkgs.k8s.io |
 * | Kubernetes (KubeadmClusterPrereqs) | 1.30.x | kubeadm config kubeadm.k8s.io/v1beta3; containerd 2.1.0+ or 2.0.0+ or 1.7.13+ or 1.6.28+; packages from https://pkgs.k8s.io/core:/stable:/v1.30/ (a mirror URL naming a version must name v1.30) | kubeadm v1beta4 API (Kubernetes 1.31); containerd RELEASES.md "Kubernetes Support"; pkgs.k8s.io |
 * | Kubernetes (KubeadmClusterPrereqs) | 1.31.x | kubeadm config kubeadm.k8s.io/v1beta4; containerd 2.1.0+ or 2.0.0+ or 1.7.20+ or 1.6.34+; packages from https://pkgs.k8s.io/core:/stable:/v1.31/ (a mirror URL naming a version must name v1.31) | kubeadm v1beta4 API (Kubernetes 1.31); containerd RELEASES.md "Kubernetes Support"; pkgs.k8s.io |
 * | Kubernetes (KubeadmClusterPrereqs) | 1.32.x | kubeadm config kubeadm.k8s.io/v1beta4; containerd 2.1.0+ or 2.0.1+ or 1.7.24+ or 1.6.36+; packages from https://pkgs.k8s.io/core:/stable:/v1.32/ (a mirror URL naming a version must name v1.32) | kubeadm v1beta4 API (Kubernetes 1.31); containerd RELEASES.md "Kubernetes Support"; pkgs.k8s.io |
 * | Kubernetes (KubeadmClusterPrereqs) | 1.33.x | kubeadm config kubeadm.k8s.io/v1beta4; containerd 2.1.0+ or 2.0.4+ or 1.7.24+ or 1.6.36+; packages from https://pkgs.k8s.io/core:/stable:/v1.33/ (a mirror URL naming a version must name v1.33) | kubeadm v1beta4 API (Kubernetes 1.31); containerd RELEASES.md "Kubernetes Support"; pkgs.k8s.io |
 * | Kubernetes (KubeadmClusterPrereqs) | 1.34.x | kubeadm config kubeadm.k8s.io/v1beta4; containerd 2.1.3+ or 2.0.6+ or 1.7.28+ or 1.6.39+; packages from https://pkgs.k8s.io/core:/stable:/v1.34/ (a mirror URL naming a version must name v1.34) | kubeadm v1beta4 API (Kubernetes 1.31); containerd RELEASES.md "Kubernetes Support"; pkgs.k8s.io |
 * | Kubernetes (KubeadmClusterPrereqs) | 1.35.x | kubeadm config kubeadm.k8s.io/v1beta4; containerd 2.2.0+ or 2.1.5+ or 1.7.28+; packages from https://pkgs.k8s.io/core:/stable:/v1.35/ (a mirror URL naming a version must name v1.35) | kubeadm v1beta4 API (Kubernetes 1.31); containerd RELEASES.md "Kubernetes Support"; pkgs.k8s.io |
 * | Kubernetes (KubeadmClusterPrereqs) | 1.36.x | kubeadm config kubeadm.k8s.io/v1beta4; containerd 2.3.0+ or 2.2.0+; packages from https://pkgs.k8s.io/core:/stable:/v1.36/ (a mirror URL naming a version must name v1.36) | kubeadm v1beta4 API (Kubernetes 1.31); containerd RELEASES.md "Kubernetes Support"; pkgs.k8s.io |
 * | Kubernetes (KubeadmClusterPrereqs) | 1.37.x | kubeadm config kubeadm.k8s.io/v1beta4; containerd 2.3.0+ or 2.2.0+; packages from https://pkgs.k8s.io/core:/stable:/v1.37/ (a mirror URL naming a version must name v1.37) | kubeadm v1beta4 API (Kubernetes 1.31); containerd RELEASES.md "Kubernetes Support"; pkgs.k8s.io |
 * | cdk8s (peer dependency) | ≥ 2.70.106, < 3.0.0 | the app's App, Chart, Size and Duration | package.json peerDependencies |
 * | constructs (peer dependency) | ≥ 10.4.2, < 11.0.0 | cdk8s 2 | package.json peerDependencies |
 * | cdk8s-plus-28 (peer dependency) | ≥ 2.5.6, < 3.0.0 | the library renders with it (Kubernetes 1.28 schema); its k8s types (Toleration, Affinity) are in the API | package.json peerDependencies |
 * | cdk8s-plus objects passed in (Secret, ConfigMap, PersistentVolumeClaim, Volume, Namespace, ServiceAccount, EnvValue, Cpu, enums) | any cdk8s-plus 2.x line, checked by shape | tested with cdk8s-plus-28 2.5.6 and cdk8s-plus-33 2.5.57; a volume field the Kubernetes 1.28 schema lacks is refused rather than dropped | test/interop |
 * | Node.js | ≥ 20.0.0 | synthesis and the tests | package.json engines |
 * <!-- compatibility:end -->
 */
export class Compatibility {
  /** Every row of the table. */
  public static rows(): CompatibilityRow[] {
    return [...sparkRows(), ...applicationRows(), ...kubernetesRows(), ...toolchainRows()];
  }

  /** The table in Markdown, as in the README. */
  public static toMarkdown(): string {
    const cell = (text: string) => text.replace(/\|/g, '\\|');
    return [
      '| Component | Releases | Works with | Source |',
      '| --- | --- | --- | --- |',
      ...Compatibility.rows().map((r) => `| ${cell(r.component)} | ${cell(r.releases)} | ${cell(r.worksWith)} | ${cell(r.source)} |`),
    ].join('\n');
  }

  private constructor() {}
}

function sparkRows(): CompatibilityRow[] {
  const features = Object.entries(SPARK_FEATURES).map(([name, f]: [string, SparkFeatureFacts]) => ({
    component: `Spark feature: ${name}`,
    releases: `≥ ${f.since}`,
    worksWith: `${f.what}; keys ${f.keys.join(', ')}`,
    source: f.source,
  }));
  return [
    {
      component: 'Spark (SparkImage: every Spark construct)',
      releases: SPARK_RELEASES.toCell(),
      worksWith: 'pod templates, shuffle tracking and rolling event logs, which the constructs rely on, exist from 3.0.0; '
        + 'a new major release waits for this library',
      source: 'Spark ConfigBuilder `.version(...)` of the keys below',
    },
    ...features,
    {
      component: 'apache/spark images (SparkImage.apache)',
      releases: `${officialSparkReleases().join(', ')}, and later patch releases`,
      worksWith: 'user spark (uid 185) and wget; Python in the plain, -python3 and -javaNN tags, R in the -r tags, '
        + 'neither in -scala; no hadoop-aws',
      source: OFFICIAL_TAGS_SOURCE,
    },
  ];
}

function applicationRows(): CompatibilityRow[] {
  const zeppelinSource = 'apache/zeppelin spark/interpreter/.../SparkVersion.java, scripts/docker/zeppelin/bin/Dockerfile';
  return [
    {
      component: 'Spark operator (SparkOperatorInstall image, SparkOperator.fromExisting release)',
      releases: OPERATOR_RELEASES.toCell(),
      worksWith: `CRDs, flags and webhooks of v${OPERATOR_DEFAULT.release} (default image ${OPERATOR_DEFAULT.release}, which submits `
        + `with Spark ${OPERATOR_DEFAULT.sparkSubmit}); applications on Spark ${SPARK_RELEASES.toCell()}`,
      source: `kubeflow/spark-operator v${OPERATOR_DEFAULT.release}: Dockerfile, cmd/operator, charts/spark-operator-chart/crds`,
    },
    {
      component: 'ZeppelinNotebook image',
      releases: `≥ ${ZEPPELIN_MIN}`,
      worksWith: 'older releases lack ZEPPELIN_RUN_MODE, which the notebook sets',
      source: 'apache/zeppelin ZeppelinConfiguration.java',
    },
    ...zeppelinRows().map((row) => ({
      component: 'ZeppelinNotebook image',
      releases: row.zeppelin.toCell(),
      worksWith: `Spark ${row.spark.toCell()} (${row.note})`,
      source: zeppelinSource,
    })),
  ];
}

function kubernetesRows(): CompatibilityRow[] {
  const rows: CompatibilityRow[] = [];
  for (let minor = KUBERNETES_MINORS.min; minor <= KUBERNETES_MINORS.max; minor++) {
    rows.push({
      component: 'Kubernetes (KubeadmClusterPrereqs)',
      releases: `1.${minor}.x`,
      worksWith: `kubeadm config ${kubeadmApiVersion(minor)}; containerd ${containerdMinimums(minor).map((v) => `${v}+`).join(' or ')}; `
        + `packages from ${pkgsK8sIoBase(`1.${minor}`)}/ (a mirror URL naming a version must name v1.${minor})`,
      source: 'kubeadm v1beta4 API (Kubernetes 1.31); containerd RELEASES.md "Kubernetes Support"; pkgs.k8s.io',
    });
  }
  return rows;
}

function toolchainRows(): CompatibilityRow[] {
  const major = (release: string) => `≥ ${release}, < ${Number(release.split('.')[0]) + 1}.0.0`;
  const source = 'package.json peerDependencies';
  return [
    { component: 'cdk8s (peer dependency)', releases: major(TOOLCHAIN_MINIMUMS.cdk8s), worksWith: 'the app\'s App, Chart, Size and Duration', source },
    { component: 'constructs (peer dependency)', releases: major(TOOLCHAIN_MINIMUMS.constructs), worksWith: 'cdk8s 2', source },
    {
      component: 'cdk8s-plus-28 (peer dependency)',
      releases: major(TOOLCHAIN_MINIMUMS.cdk8sPlus28),
      worksWith: 'the library renders with it (Kubernetes 1.28 schema); its k8s types (Toleration, Affinity) are in the API',
      source,
    },
    {
      component: 'cdk8s-plus objects passed in (Secret, ConfigMap, PersistentVolumeClaim, Volume, Namespace, ServiceAccount, EnvValue, Cpu, enums)',
      releases: 'any cdk8s-plus 2.x line, checked by shape',
      worksWith: `tested with ${CDK8S_PLUS_LINES_TESTED.map((l) => `${l.line} ${l.release}`).join(' and ')}; `
        + 'a volume field the Kubernetes 1.28 schema lacks is refused rather than dropped',
      source: 'test/interop',
    },
    { component: 'Node.js', releases: `≥ ${TOOLCHAIN_MINIMUMS.node}`, worksWith: 'synthesis and the tests', source: 'package.json engines' },
  ];
}
