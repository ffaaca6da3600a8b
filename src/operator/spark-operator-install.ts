import { ApiObject, Duration, Lazy, Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { ISparkOperator } from './spark-operator';
import { SparkOperatorCrds } from './spark-operator-crds';
import { WebhookCertificate, WebhookCertificateSource } from './webhook-certificate';
import { brand, isBranded } from '../core/brand';
import { renderIssuerRef } from '../core/cert-manager';
import { checkOperatorImage, OPERATOR_DEFAULT } from '../core/compatibility-apps';
import { check, invalidInput, pathOf } from '../core/errors';
import { parseImageName } from '../core/image-name';
import { ImageRegistryOverride } from '../core/image-registry-override';
import { StandardLabels } from '../core/labels';
import { guardLateChange } from '../core/late-change';
import { MonitorKind, PrometheusMonitoringOptions } from '../core/monitoring';
import { DnsNames } from '../core/names';
import { PodBuilder } from '../core/pod-builder';
import { ResolvedPodOptions, resolvePodOptions } from '../core/pod-options';
import { checkMonitoring, emitMonitoring, monitorKind, PrometheusAlert, targetSelector, targetsDown } from '../core/prometheus';
import { renderResources } from '../core/resources';
import { enumValue, httpPath, labels as checkLabels, unprivilegedPort, wholeSeconds } from '../core/validate';
import { releaseAtLeast } from '../core/versions';
import { WorkloadIdentity } from '../core/workload-identity';
import { WorkloadPodOptions } from '../core/workload-pod-options';
import { declaredJobNamespaces, jobUiNeeds, onJobNamespaceDeclared, onJobRegistered } from '../jobs/job-events';
import { SparkJobs } from '../jobs/spark-job';
import { appOperatorFindings, operatorsOf, registerOperator, selectorString, selectsNamespace } from './private/operators';
import {
  controllerClusterRules, controllerJobRules, leaderElectionRules, webhookConfigurationRules, webhookJobRules,
  webhookSecretRules,
} from './private/rbac';
import { checkUiIngress, CheckedUiIngress, uiIngressArguments, uiIngressFindings } from './private/ui-ingress';
import { SparkOperatorUiIngressOptions } from './spark-ui-ingress';

/** The Kubeflow Spark operator release this construct installs. */
const OPERATOR_VERSION = OPERATOR_DEFAULT.release;
const DEFAULT_IMAGE = `ghcr.io/kubeflow/spark-operator/controller:${OPERATOR_VERSION}`;
// The operator image runs as the `spark` user of the Apache Spark base image.
const SPARK_UID = 185;
// controller-runtime's health probe address in both components.
const HEALTH_PORT = 8081;
// Where the webhook writes the serving certificate it takes from its Secret.
const WEBHOOK_CERT_DIR = '/etc/k8s-webhook-server/serving-certs';
// The label the operator puts on every driver and executor pod it launches.
const LAUNCHED_BY_OPERATOR = 'sparkoperator.k8s.io/launched-by-spark-operator';
// The longest suffix appended to the install name ('-controller-metrics' and the like).
const NAME_MAX = 40;
// Upstream chart defaults of the work queue rate limiter.
const WORKQUEUE_QPS = 50;
const WORKQUEUE_BURST = 500;
const WORKQUEUE_MAX_DELAY = '6h';

/** The operator's log format (`--zap-encoder`). */
export enum SparkOperatorLogFormat {
  /** One JSON object per line, for log collectors. */
  JSON = 'json',
  /** Human-readable lines. */
  CONSOLE = 'console',
}

/** Alpha features of the operator (`--feature-gates`, kubeflow/spark-operator pkg/features/features.go, v2.5). */
export enum SparkOperatorFeatureGate {
  /** Restart only the parts of an application whose spec changed, not the whole application. */
  PARTIAL_RESTART = 'PartialRestart',
  /** Load `spark-defaults.conf` from the Spark configuration directory into submissions. */
  LOAD_SPARK_DEFAULTS = 'LoadSparkDefaults',
}

/** Leader election timings of the controller and the webhook. */
export interface SparkOperatorLeaderElectionTimings {
  /**
   * How long a lease holds without renewal.
   * @default Duration.seconds(15)
   */
  readonly leaseDuration?: Duration;
  /**
   * How long the leader keeps trying to renew before it steps down.
   * @default Duration.seconds(10)
   */
  readonly renewDeadline?: Duration;
  /**
   * How often candidates try to acquire or renew.
   * @default Duration.seconds(2)
   */
  readonly retryPeriod?: Duration;
}

/** Log verbosity of the operator (`--zap-log-level`). */
export enum SparkOperatorLogLevel {
  /** Debug messages and above. */
  DEBUG = 'debug',
  /** Informational messages and above. */
  INFO = 'info',
  /** Errors only. */
  ERROR = 'error',
}

/** What the API server does when the webhook cannot be reached or fails. */
export enum WebhookFailurePolicy {
  /** Reject the request: no Spark pod or application escapes defaulting and validation. */
  FAIL = 'Fail',
  /** Admit the request unchanged. */
  IGNORE = 'Ignore',
}

/** Batch schedulers built into the operator. */
export enum SparkBatchScheduler {
  /** Volcano. */
  VOLCANO = 'volcano',
  /** Apache YuniKorn. */
  YUNIKORN = 'yunikorn',
}

/** Settings of the operator's controller (the component that runs Spark applications). */
export interface SparkOperatorControllerOptions {
  /**
   * Number of controller pods. One is active at a time (leader election);
   * more only shorten failover.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Reconcile concurrency (`--controller-threads`). Each concurrent
   * submission runs a spark-submit JVM inside the controller pod, so memory
   * needs grow with it.
   * @default 10
   */
  readonly workers?: number;

  /**
   * Log verbosity.
   * @default SparkOperatorLogLevel.INFO
   */
  readonly logLevel?: SparkOperatorLogLevel;

  /**
   * How many executors of one application the controller tracks
   * (`--max-tracked-executor-per-app`); executors beyond it are not reported
   * in the application's status.
   * @default 1000
   */
  readonly maxTrackedExecutorsPerApp?: number;

  /**
   * Requests and limits of the controller container. Fields not given keep
   * their default.
   * @default - cpu 200m request, 2 limit; memory 512Mi request, 2Gi limit
   */
  readonly resources?: ContainerResources;

  /**
   * Create a Service for each application's Spark web UI (`--enable-ui-service`).
   * @default true
   */
  readonly uiService?: boolean;

  /**
   * An Ingress in front of each application's UI Service
   * (`--ingress-url-format`, `--ingress-class-name`, `--ingress-tls`,
   * `--ingress-annotations`); needs `uiService`. Applications may replace
   * its annotations and TLS with their own `uiIngress`.
   * @default - no Ingress
   */
  readonly uiIngress?: SparkOperatorUiIngressOptions;

  /**
   * A cloud identity for the controller (IRSA, GKE or Azure Workload
   * Identity), for what spark-submit, which runs in the controller's pod,
   * reads or writes in the cloud: its annotations go on the controller's
   * ServiceAccount and, for Azure, its label on the controller's pods.
   * @default - none
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Annotations of the controller's ServiceAccount. For a cloud identity use
   * `identity`, which refuses its keys here.
   * @default - none
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };

  /**
   * Mount the root filesystem read-only. spark-submit then writes only to
   * `/tmp` and the home directory, both `emptyDir` volumes.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;

  /**
   * Where and how its pods run (node selector, tolerations, affinity,
   * priority class, labels, annotations, image pull secrets).
   * @default - none beyond the construct's own
   */
  readonly pod?: WorkloadPodOptions;
}

/** Settings of the operator's admission webhook. */
export interface SparkOperatorWebhookOptions {
  /**
   * Run the webhook. Without it, pod customizations of a SparkApplication
   * (volumes, affinity, tolerations, security contexts...) beyond what Spark
   * itself supports are not applied, and applications are not validated.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Number of webhook pods. All of them serve admission requests.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Port the webhook server listens on inside the pod (the Service exposes it on 443).
   * @default 9443
   */
  readonly port?: number;

  /**
   * What the API server does when the webhook fails.
   * @default WebhookFailurePolicy.FAIL
   */
  readonly failurePolicy?: WebhookFailurePolicy;

  /**
   * How long the API server waits for the webhook (whole seconds, 1 to 30).
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;

  /**
   * The serving certificate.
   * @default WebhookCertificate.selfGenerated()
   */
  readonly certificate?: WebhookCertificate;

  /**
   * Reject SparkApplications whose pods would exceed the namespace's ResourceQuotas.
   * @default false
   */
  readonly resourceQuotaEnforcement?: boolean;

  /**
   * Log verbosity.
   * @default SparkOperatorLogLevel.INFO
   */
  readonly logLevel?: SparkOperatorLogLevel;

  /**
   * Requests and limits of the webhook container. Fields not given keep their default.
   * @default - cpu 50m request, 500m limit; memory 128Mi request, 256Mi limit
   */
  readonly resources?: ContainerResources;

  /**
   * Where and how its pods run (node selector, tolerations, affinity,
   * priority class, labels, annotations, image pull secrets).
   * @default - none beyond the construct's own
   */
  readonly pod?: WorkloadPodOptions;

  /**
   * A cloud identity for the webhook (IRSA, GKE or Azure Workload
   * Identity): its annotations go on the webhook's ServiceAccount and, for
   * Azure, its label on the webhook's pods. The webhook itself calls no
   * cloud API.
   * @default - none
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Annotations of the webhook's ServiceAccount. For a cloud identity use
   * `identity`, which refuses its keys here.
   * @default - none
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };
}

/** Prometheus metrics of the operator. */
export interface SparkOperatorMetricsOptions {
  /**
   * Serve metrics.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Port of the metrics endpoint.
   * @default 8080
   */
  readonly port?: number;

  /**
   * HTTP path of the metrics endpoint.
   * @default '/metrics'
   */
  readonly endpoint?: string;

  /**
   * Prefix of every metric name.
   * @default - no prefix
   */
  readonly prefix?: string;

  /**
   * Application labels copied onto the application metrics. Read when the
   * install is created (a later change fails synthesis).
   * @default ['app_type']
   */
  readonly labels?: string[];

  /**
   * Upper bounds of the buckets of the controller's histogram of the time
   * from an application's creation to its submission, in increasing order
   * (--metrics-job-submit-latency-buckets; operator 2.5.1 or later).
   * @default - the operator's: 0.5s, 1s, 2s, 4s, ... 256s
   */
  readonly jobSubmitLatencyBuckets?: Duration[];

  /**
   * Upper bounds of the buckets of the controller's histogram of the time
   * from an application's creation to its driver running, in increasing order
   * (--metrics-job-start-latency-buckets).
   * @default - the operator's: 30s, 60s, ... 300s
   */
  readonly jobStartLatencyBuckets?: Duration[];
}

/** Batch scheduling of Spark pods. */
export interface SparkOperatorBatchSchedulerOptions {
  /**
   * The batch scheduler of applications that do not name one.
   * @default - applications use a batch scheduler only when they name one
   */
  readonly defaultScheduler?: SparkBatchScheduler;

  /**
   * Names of kube-scheduler instances (scheduler-plugins coscheduling) that
   * applications may name as their batch scheduler. Read when the install
   * is created (a later change fails synthesis).
   * @default - none
   */
  readonly kubeSchedulerNames?: string[];
}

/**
 * Options of {@link SparkOperatorInstall}: everything a composite (such as SparkPlatform) may forward to it.
 */
export interface SparkOperatorInstallOptions {
  /**
   * Prefix of every object name. Cluster-scoped objects (ClusterRoles,
   * webhook configurations) carry it too, so two installs in one cluster need
   * different names.
   * @default 'spark-operator'
   */
  readonly name?: string;

  /**
   * Emit the operator's CustomResourceDefinitions.
   * @default true
   */
  readonly installCrds?: boolean;

  /**
   * The operator image, tagged with its release: 2.5.x, the release whose
   * CRDs, flags and webhooks this construct emits (see Compatibility).
   * Rewritten by any {@link ImageRegistryOverride} in force.
   * @default 'ghcr.io/kubeflow/spark-operator/controller:2.5.2'
   */
  readonly image?: string;

  /**
   * Controller settings.
   * @default - see SparkOperatorControllerOptions
   */
  readonly controller?: SparkOperatorControllerOptions;

  /**
   * Webhook settings.
   * @default - see SparkOperatorWebhookOptions
   */
  readonly webhook?: SparkOperatorWebhookOptions;

  /**
   * The namespaces whose Spark jobs the operator runs: it gets a Role in
   * each and its webhooks only see those namespaces. More can be added with
   * {@link SparkOperatorInstall.watchNamespace} (a namespace pushed into
   * this array after the install is created fails synthesis). Operator-managed jobs in
   * other namespaces, and namespaces declared for jobs in other namespaces
   * ({@link SparkJobs.declareNamespace}, e.g. by a tenant), fail synthesis.
   * @default - derived: the namespaces of the operator-managed jobs in the app
   *            and the namespaces declared for them (tenants), whether
   *            declared before or after the install
   */
  readonly jobNamespaces?: string[];

  /**
   * Run jobs in every namespace. The job permissions are then granted by a
   * ClusterRole instead of per-namespace Roles: use only when the operator is
   * trusted cluster-wide. Excludes `jobNamespaces`.
   * @default false
   */
  readonly watchAllNamespaces?: boolean;

  /**
   * Run jobs in the namespaces that carry all of these labels, whenever
   * they are created (the controller's `--namespace-selector`; its webhooks
   * select the same namespaces). As the namespaces are not known in
   * advance, the job permissions are granted by ClusterRoles, as with
   * `watchAllNamespaces`, and the controller may read every Namespace.
   * Excludes `jobNamespaces` and `watchAllNamespaces` (an admission webhook
   * selects namespaces with one label selector, which cannot also list
   * names: label those namespaces instead). The app's operator-managed jobs
   * and tenants in a namespace the app creates without these labels fail
   * synthesis; the labels of other namespaces are not known here.
   * @default - namespaces are named (see jobNamespaces)
   */
  readonly jobNamespaceSelector?: { [key: string]: string };

  /**
   * Metrics settings.
   * @default - see SparkOperatorMetricsOptions
   */
  readonly metrics?: SparkOperatorMetricsOptions;

  /**
   * Monitoring by the Prometheus operator: a ServiceMonitor on the metrics
   * Service (controller and webhook; `kind: MonitorKind.POD_MONITOR` scrapes
   * the pods' `metrics` port instead) and a PrometheusRule alerting when an
   * operator pod's metrics endpoint is down, when the webhook answers with
   * server errors, and when applications fail or cannot be submitted.
   * Needs metrics enabled.
   * @default - none
   */
  readonly monitoring?: PrometheusMonitoringOptions;

  /**
   * Enable batch schedulers (Volcano, YuniKorn, kube-scheduler coscheduling).
   * @default - batch schedulers disabled
   */
  readonly batchScheduler?: SparkOperatorBatchSchedulerOptions;

  /**
   * Leader election of the controller and of the webhook's certificate
   * reconcilers. Keep it on: even with one replica, a rolling update briefly
   * runs two controllers, which would submit applications twice.
   * @default true
   */
  readonly leaderElection?: boolean;

  /**
   * Leader election timings (`--leader-election-lease-duration`,
   * `-renew-deadline`, `-retry-period`); only with leader election. A timing
   * not given keeps each component's upstream default.
   * @default - the controller: 15s lease, 10s renew deadline, 2s retry period; the webhook: 15s, 14s, 4s
   */
  readonly leaderElectionTimings?: SparkOperatorLeaderElectionTimings;

  /**
   * Log format of the controller and the webhook.
   * @default SparkOperatorLogFormat.JSON - the operator's own default (controller-runtime's production logger)
   */
  readonly logFormat?: SparkOperatorLogFormat;

  /**
   * Requests per second the controller and the webhook may send to the API
   * server (`--kube-api-qps`); needs an operator image of 2.5.1 or later.
   * @default 20
   */
  readonly apiQps?: number;

  /**
   * Burst of requests above `apiQps` (`--kube-api-burst`); needs an operator
   * image of 2.5.1 or later.
   * @default 30
   */
  readonly apiBurst?: number;

  /**
   * Alpha features of the controller to turn on (`--feature-gates`; the
   * webhook has none).
   * @default - none
   */
  readonly featureGates?: SparkOperatorFeatureGate[];
}

/**
 * Properties of {@link SparkOperatorInstall}: its options plus what a composite supplies itself (the namespace and whether to emit it).
 */
export interface SparkOperatorInstallProps extends SparkOperatorInstallOptions {
  /**
   * Namespace of the operator's own objects.
   * @default 'spark-operator'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * Emit the operator's Namespace (labelled for the restricted Pod Security Standard).
   * @default true
   */
  readonly createNamespace?: boolean;
}

const FAILURE_POLICIES = Object.values(WebhookFailurePolicy) as string[];
const BATCH_SCHEDULERS = Object.values(SparkBatchScheduler) as string[];
const CERT_SOURCES = Object.values(WebhookCertificateSource) as string[];
const METRIC_PREFIX = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const METRIC_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The Kubeflow Spark operator (v2.5.2), installed from typed code: its
 * Namespace and CRDs, the controller and webhook Deployments, the webhook's
 * Service and admission configurations, least-privilege RBAC, a metrics
 * Service and disruption budgets, with resources and restricted security
 * contexts on every container.
 *
 * The operator only sees the job namespaces: a Role per namespace grants it
 * what it needs there, and its webhooks select only those namespaces.
 *
 * @example
 * // The operator in a chart of its own, applied before the jobs: its CRDs first.
 * const operator = new Chart(app, 'spark-operator');
 * new SparkOperatorInstall(operator, 'Operator', { jobNamespaces: ['spark-jobs'] });
 * jobs.addDependency(operator);
 */
export class SparkOperatorInstall extends Construct implements ISparkOperator {
  /** The Spark operator version installed. */
  public static readonly VERSION = OPERATOR_VERSION;

  /** True when `x` is a {@link SparkOperatorInstall} (also from another copy of the library, where `instanceof` fails). */
  public static isSparkOperatorInstall(x: any): x is SparkOperatorInstall {
    return isBranded(x, 'SparkOperatorInstall');
  }

  /**
   * The install in the app that contains `scope`, if there is one. Throws
   * when the app has several installs (the choice would be arbitrary).
   */
  public static find(scope: IConstruct): SparkOperatorInstall | undefined {
    const found = operatorsOf(scope).filter((o) => SparkOperatorInstall.isSparkOperatorInstall(o)) as SparkOperatorInstall[];
    if (found.length > 1) {
      throw invalidInput(scope, 'Spark operator install', found.map((i) => pathOf(i)),
        'the app has several SparkOperatorInstalls; pass the one to use explicitly');
    }
    return found[0];
  }

  /** Prefix of the object names. */
  public readonly name: string;
  /**
   * Namespace of the operator's own objects.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** True when the operator runs jobs in every namespace. */
  public readonly watchesAllNamespaces: boolean;
  /** The labels of the namespaces the operator runs jobs in, when it selects them by label (`jobNamespaceSelector`). */
  public readonly jobNamespaceSelector?: { [key: string]: string };
  /** The operator's CRDs, unless `installCrds` is false. */
  public readonly crds?: SparkOperatorCrds;
  /** The operator's Namespace, unless `createNamespace` is false. */
  public readonly namespaceObject?: ApiObject;
  /** The controller Deployment: the install's `node.defaultChild`, what escape hatches reach first. */
  public readonly controllerDeployment: ApiObject;
  /** The webhook Deployment, when the webhook is enabled. */
  public readonly webhookDeployment?: ApiObject;
  /** The MutatingWebhookConfiguration, when the webhook is enabled. */
  public readonly mutatingWebhookConfiguration?: ApiObject;
  /** The ValidatingWebhookConfiguration, when the webhook is enabled. */
  public readonly validatingWebhookConfiguration?: ApiObject;
  /** The webhook's certificate source, when the webhook is enabled. */
  public readonly webhookCertificate?: WebhookCertificate;

  private readonly derivesNamespaces: boolean;
  private readonly watched = new Map<string, Construct>();
  /** Namespaces asked for with watchNamespace when the operator selects its namespaces by label. */
  private readonly required = new Set<string>();
  private readonly uiServiceEnabled: boolean;
  private readonly uiIngress?: CheckedUiIngress;
  /** True when the admission webhook runs. */
  public readonly webhookEnabled: boolean;
  /** True: the app emits this operator's objects. */
  public readonly installedByApp = true;
  private readonly batchSchedulerEnabled: boolean;
  private readonly kubeSchedulers: boolean;
  private readonly labels: StandardLabels;
  private readonly jobRoles: Construct;

  constructor(scope: Construct, id: string, props: SparkOperatorInstallProps = {}) {
    super(scope, id);
    brand(this, 'SparkOperatorInstall');

    this.name = DnsNames.validateDns1035Label(this, 'name', props.name ?? 'spark-operator', NAME_MAX);
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? 'spark-operator');
    this.watchesAllNamespaces = props.watchAllNamespaces ?? false;
    this.jobNamespaceSelector = this.checkNamespaces(props);
    this.derivesNamespaces = !this.watchesAllNamespaces && props.jobNamespaces === undefined && this.jobNamespaceSelector === undefined;

    const leaderElection = props.leaderElection ?? true;
    const controller = props.controller ?? {};
    const controllerReplicas = replicas(this, 'controller.replicas', controller.replicas);
    check(leaderElection || controllerReplicas === 1, this, 'controller.replicas', controllerReplicas,
      '1 when leaderElection is false (several active controllers would submit every application several times)');
    const workers = controller.workers ?? 10;
    check(Number.isInteger(workers) && workers >= 1 && workers <= 1000, this, 'controller.workers', workers,
      'an integer from 1 to 1000');
    const controllerLogLevel = logLevel(this, 'controller.logLevel', controller.logLevel);
    this.uiServiceEnabled = controller.uiService ?? true;
    this.uiIngress = checkUiIngress(this, controller.uiIngress, this.uiServiceEnabled);

    const webhook = props.webhook ?? {};
    this.webhookEnabled = webhook.enabled ?? true;
    const webhookSettings = this.checkWebhook(webhook);
    const webhookPort = webhookSettings.webhookPort;

    const { metrics, metricsEnabled, metricsPort, metricsEndpoint, metricsLabels } = this.checkMetrics(props.metrics ?? {});
    const ports = [webhookPort, metricsPort, HEALTH_PORT];
    check(new Set(ports).size === ports.length, this, 'ports', { webhook: webhookPort, metrics: metricsPort, health: HEALTH_PORT },
      `distinct ports (${HEALTH_PORT} serves the health probes)`);

    const batch = props.batchScheduler;
    this.batchSchedulerEnabled = batch !== undefined;
    this.checkBatchScheduler(batch);
    this.kubeSchedulers = (batch?.kubeSchedulerNames ?? []).length > 0;

    const givenImage = props.image ?? DEFAULT_IMAGE;
    const release = checkOperatorImage(this, 'image', givenImage, parseImageName(this, 'image', givenImage).tag);
    const image = ImageRegistryOverride.resolve(this, givenImage);
    this.labels = StandardLabels.of(this, { name: 'spark-operator', instance: this.name, version: OPERATOR_VERSION });
    const ns = this.namespace;
    const names = this.resourceNames();

    if (props.createNamespace ?? true) {
      this.namespaceObject = this.restrictedNamespace();
    }
    if (props.installCrds ?? true) {
      this.crds = new SparkOperatorCrds(this, 'Crds');
    }

    const namespaceArgs = this.namespaceArguments();

    const metricsArgs = metricsEnabled ? metricsArguments(metricsPort, metricsEndpoint, metrics.prefix, metricsLabels) : [];
    const leaderArgs = (lock: string) => leaderElection
      ? ['--leader-election=true', `--leader-election-lock-name=${lock}`, `--leader-election-lock-namespace=${ns}`]
      : ['--leader-election=false'];

    const plan: InstallPlan = {
      names,
      ns,
      namespaceArgs,
      metricsArgs,
      leaderArgs,
      metricsEnabled,
      metricsPort,
      metricsEndpoint,
      image,
      componentArgs: this.componentArgs(props, leaderElection, release),
    };
    this.controllerDeployment = this.createController(plan, controller, controllerReplicas, controllerLogLevel, workers, batch);
    this.node.defaultChild = this.controllerDeployment;
    if (this.webhookEnabled) {
      const created = this.createWebhook(plan, webhook, webhookSettings);
      this.webhookCertificate = webhookSettings.certificate;
      this.webhookDeployment = created.deployment;
      this.mutatingWebhookConfiguration = created.mutating;
      this.validatingWebhookConfiguration = created.validating;
    }

    if (metricsEnabled) {
      this.createMetricsService(names.metricsService, metricsPort);
    }
    this.monitor(props.monitoring, metricsEnabled, metricsEndpoint, names.metricsService, metrics.prefix ?? '');

    this.jobRoles = new Construct(this, 'JobNamespaces');
    this.watchJobNamespaces(props);

    registerOperator(this);
    this.node.addValidation({ validate: () => this.validateJobs() });
    this.guardInputs(props);
  }

  /**
   * The props are read when the install is built (they shape its objects and
   * its RBAC): a later change fails synthesis instead of being ignored. Job
   * namespaces are a collection with a mutator, {@link watchNamespace}.
   */
  private guardInputs(props: SparkOperatorInstallProps): void {
    const given = props.jobNamespaces;
    guardLateChange(this, 'props.jobNamespaces', () => given ?? null, 'call watchNamespace() on the install instead');
    const labels = props.metrics?.labels;
    guardLateChange(this, 'props.metrics.labels', () => labels ?? null, 'give every metrics label before creating the install');
    const schedulers = props.batchScheduler?.kubeSchedulerNames;
    guardLateChange(this, 'props.batchScheduler.kubeSchedulerNames', () => schedulers ?? null,
      'give every kube-scheduler name before creating the install');
    // Every other option (nested objects included), as a JSON view; the collections above are reported on their own,
    // the pod options by resolvePodOptions.
    const rest = () => ({
      ...props,
      controller: props.controller && { ...props.controller, pod: undefined },
      webhook: props.webhook && { ...props.webhook, pod: undefined },
      jobNamespaces: undefined,
      metrics: props.metrics && { ...props.metrics, labels: undefined },
      batchScheduler: props.batchScheduler && { ...props.batchScheduler, kubeSchedulerNames: undefined },
    });
    guardLateChange(this, 'props', rest, 'give the install its options before creating it');
  }

  /**
   * Checks how the job namespaces are given (a list, all of them, or a
   * label selector: one at most) and returns the selector, when given.
   */
  private checkNamespaces(props: SparkOperatorInstallProps): { [key: string]: string } | undefined {
    check(!(this.watchesAllNamespaces && props.jobNamespaces !== undefined), this, 'jobNamespaces', props.jobNamespaces,
      'leave jobNamespaces unset when watchAllNamespaces is true (the operator then runs jobs in every namespace)');
    for (const ns of props.jobNamespaces ?? []) {
      DnsNames.validateLabel(this, 'jobNamespaces', ns);
    }
    const selector = props.jobNamespaceSelector;
    if (selector === undefined) {
      return undefined;
    }
    check(typeof selector === 'object' && selector !== null && Object.keys(selector).length > 0, this, 'jobNamespaceSelector', selector,
      'at least one label (key and value) the job namespaces carry; leave it unset to name the namespaces instead');
    checkLabels(this, 'jobNamespaceSelector', selector);
    check(props.jobNamespaces === undefined, this, 'jobNamespaces', props.jobNamespaces,
      'leave jobNamespaces unset when jobNamespaceSelector is given (the webhooks select namespaces by one label selector, '
      + 'which cannot also list names): label those namespaces instead');
    check(!this.watchesAllNamespaces, this, 'watchAllNamespaces', true, 'false (or unset) when jobNamespaceSelector is given');
    return { ...selector };
  }

  /** `--namespaces` of both components: the watched namespaces, or nothing for all of them (or a selector, the controller's own flag). */
  private namespaceArguments(): string[] {
    if (this.watchesAllNamespaces || this.jobNamespaceSelector !== undefined) {
      return [];
    }
    return [Lazy.any({ produce: () => `--namespaces=${this.jobNamespaces.join(',')}` }) as unknown as string];
  }

  /** True when the job permissions are cluster-wide: all namespaces, or namespaces selected by label (not known in advance). */
  private get jobsClusterWide(): boolean {
    return this.watchesAllNamespaces || this.jobNamespaceSelector !== undefined;
  }

  /** What the controller needs where it runs jobs. */
  private controllerJobRules(): k8s.PolicyRule[] {
    return controllerJobRules({
      batchScheduler: this.batchSchedulerEnabled,
      kubeSchedulers: this.kubeSchedulers,
      uiIngress: this.uiIngress !== undefined,
    });
  }

  /** The checked webhook settings. */
  private checkWebhook(webhook: SparkOperatorWebhookOptions) {
    const webhookReplicas = replicas(this, 'webhook.replicas', webhook.replicas);
    const webhookPort = unprivilegedPort(this, 'webhook.port', webhook.port ?? 9443);
    const failurePolicy = webhook.failurePolicy ?? WebhookFailurePolicy.FAIL;
    check(FAILURE_POLICIES.includes(failurePolicy), this, 'webhook.failurePolicy', failurePolicy,
      `one of ${FAILURE_POLICIES.join(', ')}`);
    const timeoutSeconds = wholeSeconds(this, 'webhook.timeout', webhook.timeout ?? Duration.seconds(10));
    check(timeoutSeconds >= 1 && timeoutSeconds <= 30, this, 'webhook.timeout', `${timeoutSeconds}s`,
      'from 1 to 30 seconds (the API server\'s limits)');
    const certificate = webhook.certificate ?? WebhookCertificate.selfGenerated();
    check(WebhookCertificate.isWebhookCertificate(certificate) && CERT_SOURCES.includes(certificate.source), this,
      'webhook.certificate', certificate, 'WebhookCertificate.selfGenerated() or WebhookCertificate.certManager()');
    const webhookLogLevel = logLevel(this, 'webhook.logLevel', webhook.logLevel);
    return { certificate, webhookLogLevel, webhookPort, webhookReplicas, failurePolicy, timeoutSeconds };
  }

  private checkBatchScheduler(batch: SparkOperatorBatchSchedulerOptions | undefined): void {
    if (batch?.defaultScheduler !== undefined) {
      check(BATCH_SCHEDULERS.includes(batch.defaultScheduler), this, 'batchScheduler.defaultScheduler',
        batch.defaultScheduler, `one of ${BATCH_SCHEDULERS.join(', ')}`);
    }
    for (const scheduler of batch?.kubeSchedulerNames ?? []) {
      DnsNames.validateSubdomain(this, 'batchScheduler.kubeSchedulerNames', scheduler);
    }
  }

  /** The ServiceMonitor on the metrics Service (or a PodMonitor on the pods), and the operator's alerts, when asked for. */
  private monitor(options: PrometheusMonitoringOptions | undefined, metricsEnabled: boolean, endpoint: string, service: string,
    prefix: string): void {
    const monitoring = checkMonitoring(this, 'monitoring', options);
    if (monitoring === undefined) {
      return;
    }
    check(metricsEnabled, this, 'monitoring', 'set', 'metrics enabled (metrics.enabled true): it scrapes the metrics endpoint');
    const kind = monitorKind(this, monitoring, MonitorKind.SERVICE_MONITOR);
    // The metrics Service carries every label; the pods, the selector's under their own component.
    const selector = kind === MonitorKind.SERVICE_MONITOR ? this.labels.all() : this.labels.selector();
    const target = targetSelector(this, monitoring, { kind, name: this.name, namespace: this.namespace, service, targetLabels: selector });
    emitMonitoring(new Construct(this, 'Monitoring'), monitoring, {
      kind,
      name: this.name,
      namespace: this.namespace,
      labels: this.labels.all(),
      selector,
      endpoints: [{ port: 'metrics', path: endpoint }],
      alerts: operatorAlerts(this.namespace, target, prefix),
    });
  }

  /** The names of the objects, derived from the install's name. */
  private resourceNames(): InstallPlan['names'] {
    return {
      controller: `${this.name}-controller`,
      controllerLock: `${this.name}-controller-lock`,
      webhook: `${this.name}-webhook`,
      webhookLock: `${this.name}-webhook-lock`,
      webhookService: `${this.name}-webhook-svc`,
      webhookSecret: `${this.name}-webhook-certs`,
      webhookCertificate: `${this.name}-webhook-cert`,
      webhookIssuer: `${this.name}-webhook-selfsigned`,
      metricsService: `${this.name}-metrics`,
    };
  }

  /**
   * The arguments each component takes from the props (flags of
   * kubeflow/spark-operator v2.5.2 cmd/operator/{controller,webhook}/start.go):
   * log format and API rate for both, feature gates for the controller only
   * (the webhook has no --feature-gates), leader election timings with each
   * component's own defaults for what is not given.
   */
  private componentArgs(props: SparkOperatorInstallProps, leaderElection: boolean, release: string): { controller: string[]; webhook: string[] } {
    const both: string[] = [];
    if (props.logFormat !== undefined) {
      both.push(`--zap-encoder=${enumValue(this, 'logFormat', props.logFormat, SparkOperatorLogFormat)}`);
    }
    for (const [prop, flag, value, max] of [['apiQps', 'kube-api-qps', props.apiQps, 10000], ['apiBurst', 'kube-api-burst', props.apiBurst, 100000]] as const) {
      if (value === undefined) continue;
      check(Number.isInteger(value) && value >= 1 && value <= max, this, prop, value, `a whole number from 1 to ${max}`);
      // The flags came with 2.5.1 (v2.5.0's start.go lacks them): an older binary would exit on an unknown flag.
      check(releaseAtLeast(release, '2.5.1'), this, prop, value, `an operator image of 2.5.1 or later (the image is ${release}), which has --${flag}`);
      both.push(`--${flag}=${value}`);
    }
    const gates = props.featureGates ?? [];
    gates.forEach((g, i) => enumValue(this, `featureGates[${i}]`, g, SparkOperatorFeatureGate));
    check(new Set(gates).size === gates.length, this, 'featureGates', gates, 'distinct feature gates');
    const gateArgs = gates.length > 0 ? [`--feature-gates=${gates.map((g) => `${g}=true`).join(',')}`] : [];
    const timings = props.leaderElectionTimings;
    check(timings === undefined || leaderElection, this, 'leaderElectionTimings', 'set', 'only with leaderElection');
    return {
      controller: [...both, ...gateArgs, ...this.leaderTimingArgs(timings, 'controller', [15, 10, 2]), ...this.latencyBucketArgs(props.metrics, release)],
      webhook: [...both, ...this.leaderTimingArgs(timings, 'webhook', [15, 14, 4])],
    };
  }

  /**
   * The controller's latency histogram buckets (kubeflow/spark-operator
   * v2.5.2 cmd/operator/controller/start.go: float seconds, comma-separated;
   * the submit flag came with 2.5.1). client_golang's histograms panic on
   * bounds that do not increase (prometheus/histogram.go), so the
   * controller would crash at start.
   */
  private latencyBucketArgs(metrics: SparkOperatorMetricsOptions | undefined, release: string): string[] {
    const out: string[] = [];
    for (const [prop, flag, since] of [['jobSubmitLatencyBuckets', 'job-submit', '2.5.1'], ['jobStartLatencyBuckets', 'job-start', '2.5.0']] as const) {
      const buckets = metrics?.[prop];
      if (buckets === undefined) continue;
      const at = `metrics.${prop}`;
      check(metrics?.enabled !== false, this, at, 'given', 'only with metrics enabled');
      check(Array.isArray(buckets) && buckets.length >= 1 && buckets.length <= 100, this, at, buckets, 'a list of 1 to 100 Durations');
      const seconds = buckets.map((d, i) => {
        check(d instanceof Duration, this, `${at}[${i}]`, d, 'a Duration, e.g. Duration.seconds(30)');
        const ms = d.toMilliseconds({ integral: false });
        check(Number.isInteger(ms) && ms >= 1, this, `${at}[${i}]`, `${ms}ms`, 'a whole number of milliseconds, at least 1');
        return ms / 1000;
      });
      seconds.forEach((v, i) => check(i === 0 || v > seconds[i - 1], this, `${at}[${i}]`, `${v}s`,
        `more than the bucket before it (${seconds[i - 1]}s): the bounds must increase`));
      check(releaseAtLeast(release, since), this, at, 'given', `an operator image of ${since} or later (the image is ${release}), which has the flag`);
      out.push(`--metrics-${flag}-latency-buckets=${seconds.join(',')}`);
    }
    return out;
  }

  /** The leader election timings of one component, its upstream defaults (start.go) where not given. */
  private leaderTimingArgs(timings: SparkOperatorLeaderElectionTimings | undefined, component: string, defaults: number[]): string[] {
    if (timings === undefined) {
      return [];
    }
    const seconds = (prop: string, d: Duration | undefined, dflt: number) => (d === undefined ? dflt
      : wholeSeconds(this, `leaderElectionTimings.${prop}`, d, { min: 1 }));
    const lease = seconds('leaseDuration', timings.leaseDuration, defaults[0]);
    const renew = seconds('renewDeadline', timings.renewDeadline, defaults[1]);
    const retry = seconds('retryPeriod', timings.retryPeriod, defaults[2]);
    // client-go leaderelection.NewLeaderElector: leaseDuration > renewDeadline > 1.2 × retryPeriod.
    check(lease > renew && renew > 1.2 * retry, this, 'leaderElectionTimings', `${lease}s/${renew}s/${retry}s`,
      `leaseDuration > renewDeadline > 1.2 × retryPeriod for the ${component}, as client-go requires`);
    return [`--leader-election-lease-duration=${lease}s`, `--leader-election-renew-deadline=${renew}s`, `--leader-election-retry-period=${retry}s`];
  }

  private maxTrackedExecutorsArgs(value: number | undefined): string[] {
    if (value === undefined) {
      return [];
    }
    check(Number.isInteger(value) && value >= 1 && value <= 100000, this, 'controller.maxTrackedExecutorsPerApp', value, 'a whole number from 1 to 100000');
    return [`--max-tracked-executor-per-app=${value}`];
  }

  /** One Service for the metrics of both components (same port, one selector). */
  private createMetricsService(name: string, metricsPort: number): void {
    new k8s.KubeService(this, 'MetricsService', {
      metadata: { name, namespace: this.namespace, labels: this.labels.all() },
      spec: {
        type: 'ClusterIP',
        selector: this.labels.selector(),
        ports: [{ name: 'metrics', port: metricsPort, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }],
      },
    });
  }

  /** The checked metrics settings. */
  private checkMetrics(metrics: SparkOperatorMetricsOptions) {
    const metricsEnabled = metrics.enabled ?? true;
    const metricsPort = unprivilegedPort(this, 'metrics.port', metrics.port ?? 8080);
    const metricsEndpoint = metrics.endpoint ?? '/metrics';
    httpPath(this, 'metrics.endpoint', metricsEndpoint);
    if (metrics.prefix !== undefined) {
      check(METRIC_PREFIX.test(metrics.prefix), this, 'metrics.prefix', metrics.prefix,
        'a Prometheus metric name prefix: letters, digits, \'_\' and \':\', not starting with a digit');
    }
    const metricsLabels = metrics.labels ?? ['app_type'];
    for (const label of metricsLabels) {
      check(METRIC_LABEL.test(label), this, 'metrics.labels', label,
        'Prometheus label names: letters, digits and \'_\', not starting with a digit');
    }
    return { metrics, metricsEnabled, metricsPort, metricsEndpoint, metricsLabels };
  }

  /** The operator's Namespace, enforcing the restricted standard everything here satisfies. */
  private restrictedNamespace(): ApiObject {
    return new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: this.namespace,
        labels: {
          ...this.labels.all(),
          // Everything here satisfies the restricted standard; enforce it.
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    });
  }

  private createController(plan: InstallPlan, controller: SparkOperatorControllerOptions, controllerReplicas: number,
    controllerLogLevel: string, workers: number, batch: SparkOperatorBatchSchedulerOptions | undefined): ApiObject {
    const { names, ns, namespaceArgs, metricsArgs, leaderArgs, metricsEnabled, metricsPort, metricsEndpoint, image } = plan;
    const controllerLabels = this.labels.forComponent(this, 'controller');
    const controllerScope = new Construct(this, 'Controller');
    const identity = WorkloadIdentity._checked(this, 'controller.identity', controller.identity);
    const controllerAccount = this.serviceAccount(controllerScope, names.controller, controllerLabels,
      WorkloadIdentity._serviceAccountAnnotations(this, 'controller.serviceAccountAnnotations', controller.serviceAccountAnnotations, identity));
    this.clusterRoleWithBinding(controllerScope, 'Cluster', names.controller, controllerLabels,
      controllerClusterRules(this.jobNamespaceSelector !== undefined), names.controller);
    this.roleWithBinding(controllerScope, 'LeaderElection', ns, names.controller, controllerLabels,
      leaderElectionRules(names.controllerLock), names.controller);
    if (this.jobsClusterWide) {
      this.clusterRoleWithBinding(controllerScope, 'Jobs', `${names.controller}-jobs`, controllerLabels, this.controllerJobRules(),
        names.controller);
    }
    const controllerArgs = [
      'controller', 'start',
      `--zap-log-level=${controllerLogLevel}`,
      ...namespaceArgs,
      ...(this.jobNamespaceSelector ? [`--namespace-selector=${selectorString(this.jobNamespaceSelector)}`] : []),
      `--controller-threads=${workers}`,
      `--enable-ui-service=${this.uiServiceEnabled}`,
      ...uiIngressArguments(this.uiIngress),
      ...(batch ? ['--enable-batch-scheduler=true'] : []),
      ...(this.kubeSchedulers ? [`--kube-scheduler-names=${batch!.kubeSchedulerNames!.join(',')}`] : []),
      ...(batch?.defaultScheduler ? [`--default-batch-scheduler=${batch.defaultScheduler}`] : []),
      ...metricsArgs,
      ...leaderArgs(names.controllerLock),
      ...plan.componentArgs.controller,
      ...this.maxTrackedExecutorsArgs(controller.maxTrackedExecutorsPerApp),
      `--workqueue-ratelimiter-bucket-qps=${WORKQUEUE_QPS}`,
      `--workqueue-ratelimiter-bucket-size=${WORKQUEUE_BURST}`,
      `--workqueue-ratelimiter-max-delay=${WORKQUEUE_MAX_DELAY}`,
    ];
    const controllerReadOnly = controller.readOnlyRootFilesystem ?? true;
    const deployment = this.deployment(controllerScope, {
      name: names.controller,
      labels: controllerLabels,
      replicas: controllerReplicas,
      serviceAccount: controllerAccount,
      identity,
      podOptions: resolvePodOptions(this, 'controller.pod', controller.pod),
      podAnnotations: metricsEnabled ? {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(metricsPort),
        'prometheus.io/path': metricsEndpoint,
      } : {},
      container: {
        name: 'spark-operator-controller',
        image,
        args: controllerArgs,
        ports: metricsEnabled ? [{ name: 'metrics', containerPort: metricsPort, protocol: 'TCP' }] : [],
        resources: renderResources(this, 'controller.resources', controller.resources, {
          cpuRequest: Cpu.millis(200),
          cpuLimit: Cpu.units(2),
          memoryRequest: Size.mebibytes(512),
          memoryLimit: Size.gibibytes(2),
        }),
        readOnlyRootFilesystem: controllerReadOnly,
        // spark-submit's scratch files (and Ivy's cache, spark.jars.ivy: core/ivy-cache.ts),
        // and the home directory the operator image creates.
        scratch: controllerReadOnly ? [
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'home', mountPath: '/home/spark' },
        ] : [],
      },
    });
    new k8s.KubePodDisruptionBudget(controllerScope, 'DisruptionBudget', {
      metadata: { name: names.controller, namespace: ns, labels: controllerLabels.all() },
      // maxUnavailable (not minAvailable) so that a single replica never blocks node drains.
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: controllerLabels.selector() } },
    });
    return deployment;
  }

  private createWebhook(plan: InstallPlan, webhook: SparkOperatorWebhookOptions, settings: {
    certificate: WebhookCertificate;
    webhookLogLevel: string;
    webhookPort: number;
    webhookReplicas: number;
    failurePolicy: WebhookFailurePolicy;
    timeoutSeconds: number;
  }): { deployment: ApiObject; mutating: ApiObject; validating: ApiObject } {
    const { names, ns, namespaceArgs, metricsArgs, leaderArgs, metricsEnabled, metricsPort, image } = plan;
    const { certificate, webhookLogLevel, webhookPort, webhookReplicas, failurePolicy, timeoutSeconds } = settings;
    const webhookLabels = this.labels.forComponent(this, 'webhook');
    const webhookScope = new Construct(this, 'Webhook');
    const selfGenerated = certificate.source === WebhookCertificateSource.SELF_GENERATED;
    const identity = WorkloadIdentity._checked(this, 'webhook.identity', webhook.identity);
    const webhookAccount = this.serviceAccount(webhookScope, names.webhook, webhookLabels,
      WorkloadIdentity._serviceAccountAnnotations(this, 'webhook.serviceAccountAnnotations', webhook.serviceAccountAnnotations, identity));
    if (selfGenerated) {
      this.clusterRoleWithBinding(webhookScope, 'Cluster', names.webhook, webhookLabels,
        webhookConfigurationRules(names.webhook), names.webhook);
    }
    this.roleWithBinding(webhookScope, 'Own', ns, names.webhook, webhookLabels, [
      ...webhookSecretRules(names.webhookSecret, selfGenerated),
      ...leaderElectionRules(names.webhookLock),
    ], names.webhook);
    if (this.jobsClusterWide) {
      this.clusterRoleWithBinding(webhookScope, 'Jobs', `${names.webhook}-jobs`, webhookLabels, webhookJobRules(),
        names.webhook);
    }

    const webhookArgs = [
      'webhook', 'start',
      `--zap-log-level=${webhookLogLevel}`,
      ...namespaceArgs,
      `--webhook-secret-name=${names.webhookSecret}`,
      `--webhook-secret-namespace=${ns}`,
      `--webhook-svc-name=${names.webhookService}`,
      `--webhook-svc-namespace=${ns}`,
      `--webhook-port=${webhookPort}`,
      `--mutating-webhook-name=${names.webhook}`,
      `--validating-webhook-name=${names.webhook}`,
      ...(webhook.resourceQuotaEnforcement ? ['--enable-resource-quota-enforcement=true'] : []),
      ...(selfGenerated ? [] : ['--enable-cert-manager=true']),
      ...metricsArgs,
      ...leaderArgs(names.webhookLock),
      ...plan.componentArgs.webhook,
    ];
    const deployment = this.deployment(webhookScope, {
      name: names.webhook,
      labels: webhookLabels,
      replicas: webhookReplicas,
      serviceAccount: webhookAccount,
      identity,
      podOptions: resolvePodOptions(this, 'webhook.pod', webhook.pod),
      podAnnotations: {},
      container: {
        name: 'spark-operator-webhook',
        image,
        args: webhookArgs,
        ports: [
          { name: 'webhook', containerPort: webhookPort, protocol: 'TCP' },
          ...(metricsEnabled ? [{ name: 'metrics', containerPort: metricsPort, protocol: 'TCP' }] : []),
        ],
        resources: renderResources(this, 'webhook.resources', webhook.resources, {
          cpuRequest: Cpu.millis(50),
          cpuLimit: Cpu.millis(500),
          memoryRequest: Size.mebibytes(128),
          memoryLimit: Size.mebibytes(256),
        }),
        readOnlyRootFilesystem: true,
        // The webhook copies its serving certificate here on start.
        scratch: [{ name: 'serving-certs', mountPath: WEBHOOK_CERT_DIR }],
      },
    });
    new k8s.KubePodDisruptionBudget(webhookScope, 'DisruptionBudget', {
      metadata: { name: names.webhook, namespace: ns, labels: webhookLabels.all() },
      // maxUnavailable (not minAvailable) so that a single replica never blocks node drains.
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: webhookLabels.selector() } },
    });
    new k8s.KubeService(webhookScope, 'Service', {
      metadata: { name: names.webhookService, namespace: ns, labels: webhookLabels.all() },
      spec: {
        type: 'ClusterIP',
        selector: webhookLabels.selector(),
        ports: [{ name: 'webhook', port: 443, targetPort: k8s.IntOrString.fromString('webhook'), protocol: 'TCP' }],
      },
    });

    let annotations: { [key: string]: string } | undefined;
    if (!selfGenerated) {
      this.certManagerObjects(webhookScope, certificate, names, webhookLabels);
      annotations = { 'cert-manager.io/inject-ca-from': `${ns}/${names.webhookCertificate}` };
    }
    // The webhook binary has no --namespace-selector (v2.5.2 cmd/operator/webhook/start.go): with a
    // selector it serves every namespace and its configurations pick the labelled ones.
    const namespaceSelector = this.watchesAllNamespaces ? undefined : this.jobNamespaceSelector ? {
      matchLabels: { ...this.jobNamespaceSelector },
    } : {
      matchExpressions: [{
        key: 'kubernetes.io/metadata.name',
        operator: 'In',
        values: Lazy.any({ produce: () => this.jobNamespaces }),
      }],
    };
    const hook = (kind: 'mutate' | 'validate', resource: string, group: string, version: string) => {
      const path = group === ''
        ? `/${kind}--${version}-${resource}`
        : `/${kind}-${group.replace(/\./g, '-')}-${version}-${resource}`;
      return {
        name: `${path.slice(1)}.sparkoperator.k8s.io`,
        admissionReviewVersions: ['v1'],
        clientConfig: { service: { name: names.webhookService, namespace: ns, port: 443, path } },
        sideEffects: 'None',
        failurePolicy,
        matchPolicy: 'Equivalent',
        timeoutSeconds,
        ...(namespaceSelector ? { namespaceSelector } : {}),
        rules: [{
          apiGroups: [group],
          apiVersions: [version],
          resources: [`${resource}s`],
          operations: group === '' ? ['CREATE'] : ['CREATE', 'UPDATE'],
          scope: 'Namespaced',
        }],
      };
    };
    const mutating = new k8s.KubeMutatingWebhookConfiguration(webhookScope, 'Mutating', {
      metadata: { name: names.webhook, labels: webhookLabels.all(), ...(annotations ? { annotations } : {}) },
      webhooks: [
        {
          ...hook('mutate', 'pod', '', 'v1'),
          // Only the driver and executor pods the operator launches.
          objectSelector: { matchLabels: { [LAUNCHED_BY_OPERATOR]: 'true' } },
          reinvocationPolicy: 'Never',
        },
        { ...hook('mutate', 'sparkapplication', 'sparkoperator.k8s.io', 'v1beta2'), reinvocationPolicy: 'Never' },
        { ...hook('mutate', 'scheduledsparkapplication', 'sparkoperator.k8s.io', 'v1beta2'), reinvocationPolicy: 'Never' },
        { ...hook('mutate', 'sparkconnect', 'sparkoperator.k8s.io', 'v1alpha1'), reinvocationPolicy: 'Never' },
      ],
    });
    const validating = new k8s.KubeValidatingWebhookConfiguration(webhookScope, 'Validating', {
      metadata: { name: names.webhook, labels: webhookLabels.all(), ...(annotations ? { annotations } : {}) },
      webhooks: [
        hook('validate', 'sparkapplication', 'sparkoperator.k8s.io', 'v1beta2'),
        hook('validate', 'scheduledsparkapplication', 'sparkoperator.k8s.io', 'v1beta2'),
        hook('validate', 'sparkconnect', 'sparkoperator.k8s.io', 'v1alpha1'),
      ],
    });
    return { deployment, mutating, validating };
  }

  /** Job namespaces: Roles per namespace, created as namespaces are watched (given, or derived from the app's jobs). */
  private watchJobNamespaces(props: SparkOperatorInstallProps): void {
    for (const jobNamespace of props.jobNamespaces ?? []) {
      this.watchNamespace(jobNamespace);
    }
    if (this.derivesNamespaces) {
      // Jobs declared before the install, then every job declared after it.
      for (const jobNamespace of SparkJobs.operatorNamespaces(this)) {
        this.watchNamespace(jobNamespace);
      }
      onJobRegistered(this, (job) => {
        if (job.managedByOperator) {
          this.watchNamespace(job.jobNamespace);
        }
      });
      // Namespaces declared for jobs ahead of them (tenants), likewise.
      for (const declared of declaredJobNamespaces(this)) {
        this.watchNamespace(declared.namespace);
      }
      onJobNamespaceDeclared(this, (declared) => this.watchNamespace(declared.namespace));
    }
  }

  /** The namespaces the operator runs jobs in (sorted); empty when it watches all namespaces or selects them by label. */
  public get jobNamespaces(): string[] {
    return [...this.watched.keys()].sort();
  }

  /** True when the webhook refuses applications over their namespace's ResourceQuota. */
  public get resourceQuotaEnforcement(): boolean {
    const args: string[] = this.webhookDeployment?.toJson().spec?.template?.spec?.containers?.[0]?.args ?? [];
    return args.includes('--enable-resource-quota-enforcement=true');
  }

  /**
   * True when the operator runs jobs in `namespace`. With a
   * `jobNamespaceSelector`: false only for a namespace the app creates
   * without the selected labels (the labels of others are not known).
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public watchesNamespace(namespace: string): boolean {
    if (this.jobNamespaceSelector !== undefined) {
      return selectsNamespace(this, this.jobNamespaceSelector, namespace) !== false;
    }
    return this.watchesAllNamespaces || this.watched.has(namespace);
  }

  /**
   * Makes the operator run jobs in `namespace`: adds it to the watched
   * namespaces and grants the controller and webhook their Roles there.
   * Idempotent; a no-op when the operator watches all namespaces. With a
   * `jobNamespaceSelector` the namespace must carry the labels: one the app
   * creates without them fails synthesis.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public watchNamespace(namespace: string): void {
    DnsNames.validateLabel(this, 'namespace', namespace);
    if (this.jobNamespaceSelector !== undefined) {
      this.required.add(namespace);
      return;
    }
    if (this.watchesAllNamespaces || this.watched.has(namespace)) {
      return;
    }
    // The Roles come out in namespace order, as `--namespaces` lists them, whatever the order the
    // namespaces are first watched in: the i-th slot renders the i-th namespace at synth.
    const slot = this.watched.size;
    const scope = new Construct(this.jobRoles, `Namespace${slot}`);
    this.watched.set(namespace, scope);
    const slotNamespace = Lazy.any({ produce: () => this.jobNamespaces[slot] }) as unknown as string;
    this.roleWithBinding(scope, 'Controller', slotNamespace, `${this.name}-controller-jobs`,
      this.labels.forComponent(this, 'controller'), this.controllerJobRules(), `${this.name}-controller`);
    if (this.webhookEnabled) {
      this.roleWithBinding(scope, 'Webhook', slotNamespace, `${this.name}-webhook-jobs`,
        this.labels.forComponent(this, 'webhook'), webhookJobRules(), `${this.name}-webhook`);
    }
  }

  private validateJobs(): string[] {
    const errors: string[] = [];
    const here = pathOf(this);
    if (!this.jobsClusterWide && this.watched.size === 0) {
      errors.push(`${here}: the Spark operator watches no namespace: declare its jobs, give jobNamespaces, `
        + 'call watchNamespace, or set watchAllNamespaces');
    }
    const operators = operatorsOf(this);
    const deriving = operators.filter((o) => SparkOperatorInstall.isSparkOperatorInstall(o) && o.derivesNamespaces);
    if (deriving.length > 1 && deriving[0] === this) {
      errors.push(`${here}: several SparkOperatorInstalls in one app derive their namespaces from the jobs; `
        + 'give each one jobNamespaces so that no namespace is watched twice');
    } else if (deriving.length === 1 && deriving[0] === this && operators.length > 1) {
      // It would also watch the namespaces of the other operators' jobs and tenants.
      errors.push(`${here}: derives its job namespaces from all the jobs of the app, which has other Spark operators `
        + `(${operators.filter((o) => o !== this).map((o) => pathOf(o)).join(', ')}); `
        + 'give it jobNamespaces so that no namespace is watched twice');
    }
    errors.push(...this.selectorFindings(), ...uiIngressFindings(this, this.uiIngress, this.uiServiceEnabled, jobUiNeeds(this)));
    // Jobs, tenants and overlaps are checked once per app, against all its operators.
    return [...errors, ...appOperatorFindings(this)];
  }

  /** Namespaces asked for with watchNamespace that the app creates without the selected labels. */
  private selectorFindings(): string[] {
    const selector = this.jobNamespaceSelector;
    if (selector === undefined) {
      return [];
    }
    return [...this.required].filter((ns) => !this.watchesNamespace(ns)).map((ns) => `${pathOf(this)}: namespace "${ns}" `
      + `is to be watched (watchNamespace), but the app creates it without the labels ${selectorString(selector)} `
      + 'the operator selects its namespaces by: label it');
  }

  private serviceAccount(scope: Construct, name: string, labels: StandardLabels, annotations: { [key: string]: string } | undefined): string {
    new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
      metadata: { name, namespace: this.namespace, labels: labels.all(), ...(annotations ? { annotations } : {}) },
      // The Deployments mount the token explicitly; other pods must not get it.
      automountServiceAccountToken: false,
    });
    return name;
  }

  private roleWithBinding(scope: Construct, id: string, namespace: string, name: string, labels: StandardLabels,
    rules: k8s.PolicyRule[], serviceAccount: string): void {
    new k8s.KubeRole(scope, `${id}Role`, { metadata: { name, namespace, labels: labels.all() }, rules });
    new k8s.KubeRoleBinding(scope, `${id}RoleBinding`, {
      metadata: { name, namespace, labels: labels.all() },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace: this.namespace }],
    });
  }

  private clusterRoleWithBinding(scope: Construct, id: string, name: string, labels: StandardLabels,
    rules: k8s.PolicyRule[], serviceAccount: string): void {
    new k8s.KubeClusterRole(scope, `${id}ClusterRole`, { metadata: { name, labels: labels.all() }, rules });
    new k8s.KubeClusterRoleBinding(scope, `${id}ClusterRoleBinding`, {
      metadata: { name, labels: labels.all() },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace: this.namespace }],
    });
  }

  private deployment(scope: Construct, spec: DeploymentSpec): ApiObject {
    const { container } = spec;
    const podLabels = spec.labels.selector();
    const pod = new PodBuilder(this, { runAsUser: SPARK_UID, serviceAccountName: spec.serviceAccount, automountServiceAccountToken: true });
    pod.addContainer({
      name: container.name,
      image: container.image,
      imagePullPolicy: 'IfNotPresent',
      args: container.args,
      ports: [...container.ports, { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' }],
      resources: container.resources,
      livenessProbe: probe('/healthz'),
      readinessProbe: probe('/readyz'),
      security: { readOnlyRootFilesystem: container.readOnlyRootFilesystem },
    });
    for (const scratch of container.scratch) {
      pod.addScratch(scratch.name, scratch.mountPath, [container.name]);
    }
    if (spec.replicas > 1) {
      pod.spreadAcrossNodes(podLabels);
    }
    for (const [key, value] of Object.entries(spec.podAnnotations)) {
      pod.addAnnotation(key, value);
    }
    pod.applyPodOptions(spec.podOptions);
    return new k8s.KubeDeployment(scope, 'Resource', {
      metadata: { name: spec.name, namespace: this.namespace, labels: spec.labels.all() },
      spec: {
        replicas: spec.replicas,
        revisionHistoryLimit: 10,
        selector: { matchLabels: podLabels },
        // A cloud identity may need a label on the pods (Azure).
        template: pod.renderTemplate(WorkloadIdentity._podLabels(this, 'labels', spec.labels.all(), spec.identity)!),
      },
    });
  }

  private certManagerObjects(scope: Construct, certificate: WebhookCertificate,
    names: { webhookService: string; webhookSecret: string; webhookCertificate: string; webhookIssuer: string },
    labels: StandardLabels): void {
    let issuerRef: { [key: string]: string };
    if (certificate.issuer) {
      issuerRef = renderIssuerRef(certificate.issuer);
    } else {
      new ApiObject(scope, 'Issuer', {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Issuer',
        metadata: { name: names.webhookIssuer, namespace: this.namespace, labels: labels.all() },
        spec: { selfSigned: {} },
      });
      issuerRef = { name: names.webhookIssuer, kind: 'Issuer', group: 'cert-manager.io' };
    }
    const host = `${names.webhookService}.${this.namespace}.svc`;
    new ApiObject(scope, 'Certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: names.webhookCertificate, namespace: this.namespace, labels: labels.all() },
      spec: {
        // The webhook reads this Secret (ca.crt, tls.crt, tls.key) by name.
        secretName: names.webhookSecret,
        commonName: host,
        dnsNames: [host, `${host}.cluster.local`],
        issuerRef,
        // The webhook parses the key as PKCS#1 RSA.
        privateKey: { algorithm: 'RSA', encoding: 'PKCS1', size: 2048, rotationPolicy: 'Always' },
        usages: ['server auth', 'digital signature', 'key encipherment'],
        ...certificate._certificateTimes(),
      },
    });
  }
}

interface ScratchVolume {
  readonly name: string;
  readonly mountPath: string;
}

interface DeploymentSpec {
  readonly name: string;
  readonly labels: StandardLabels;
  readonly replicas: number;
  readonly serviceAccount: string;
  /** The ServiceAccount's cloud identity, whose pod labels the pods carry. */
  readonly identity?: WorkloadIdentity;
  readonly podAnnotations: { [key: string]: string };
  /** The user's pod options (`controller.pod`, `webhook.pod`). */
  readonly podOptions?: ResolvedPodOptions;
  readonly container: {
    readonly name: string;
    readonly image: string;
    readonly args: string[];
    readonly ports: k8s.ContainerPort[];
    readonly resources: k8s.ResourceRequirements;
    readonly readOnlyRootFilesystem: boolean;
    readonly scratch: ScratchVolume[];
  };
}

/**
 * The operator's alerts. Metric names: kubeflow/spark-operator v2.5.2
 * pkg/common/metrics.go, after --metrics-prefix (pkg/util/metrics.go
 * CreateValidMetricNameLabel; metrics.prefix admits no '-' it would replace); the webhook's requests:
 * controller-runtime's controller_runtime_webhook_requests_total (labels
 * webhook, code). `target` selects the series of the monitor (targetSelector).
 */
function operatorAlerts(namespace: string, target: string, prefix: string): PrometheusAlert[] {
  const metric = (name: string) => `${prefix}${name}`;
  return [
    {
      alert: 'SparkOperatorDown',
      expr: targetsDown(target),
      for: '5m',
      severity: 'critical',
      summary: `A Spark operator pod in ${namespace} is not serving metrics: applications are not submitted or tracked`,
    },
    {
      alert: 'SparkOperatorWebhookErrors',
      expr: `sum(rate(controller_runtime_webhook_requests_total{${target}, code=~"5.."}[5m])) > 0`,
      for: '10m',
      severity: 'warning',
      summary: `The Spark operator's webhook in ${namespace} answers with server errors: applications are refused or lose their pod settings`,
    },
    {
      alert: 'SparkApplicationsFailing',
      expr: `sum(increase(${metric('spark_application_failure_count')}{${target}}[30m])) > 0`,
      for: '0m',
      severity: 'warning',
      summary: 'Spark applications failed in the last 30 minutes',
    },
    {
      alert: 'SparkApplicationSubmissionsFailing',
      expr: `sum(increase(${metric('spark_application_failed_submission_count')}{${target}}[15m])) > 0`,
      for: '0m',
      severity: 'warning',
      summary: 'spark-submit failed for Spark applications in the last 15 minutes',
    },
  ];
}

/** The metrics flags of both components. */
function metricsArguments(port: number, endpoint: string, prefix: string | undefined, labels: string[]): string[] {
  return [
    '--enable-metrics=true',
    `--metrics-bind-address=:${port}`,
    `--metrics-endpoint=${endpoint}`,
    ...(prefix ? [`--metrics-prefix=${prefix}`] : []),
    ...(labels.length > 0 ? [`--metrics-labels=${labels.join(',')}`] : []),
  ];
}

function probe(path: string): k8s.Probe {
  return {
    httpGet: { path, port: k8s.IntOrString.fromString('health'), scheme: 'HTTP' },
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 3,
  };
}

function replicas(scope: IConstruct, property: string, value: number | undefined): number {
  const n = value ?? 1;
  check(Number.isInteger(n) && n >= 1 && n <= 10, scope, property, n, 'an integer from 1 to 10');
  return n;
}

function logLevel(scope: IConstruct, property: string, value: SparkOperatorLogLevel | undefined): string {
  return enumValue(scope, property, value ?? SparkOperatorLogLevel.INFO, SparkOperatorLogLevel);
}

/** What the controller and the webhook share: names, arguments, metrics, the image. */
interface InstallPlan {
  readonly names: {
    controller: string;
    controllerLock: string;
    webhook: string;
    webhookLock: string;
    webhookService: string;
    webhookSecret: string;
    webhookCertificate: string;
    webhookIssuer: string;
    metricsService: string;
  };
  readonly ns: string;
  readonly namespaceArgs: string[];
  readonly metricsArgs: string[];
  readonly leaderArgs: (lock: string) => string[];
  /** Arguments of each component from the props: log format, API rate, leader timings, feature gates. */
  readonly componentArgs: { readonly controller: string[]; readonly webhook: string[] };
  readonly metricsEnabled: boolean;
  readonly metricsPort: number;
  readonly metricsEndpoint: string;
  readonly image: string;
}