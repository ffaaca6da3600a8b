import { Size } from 'cdk8s';
import { Cpu, k8s, Protocol } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NetworkPeer, TenantApiServerAccess, TenantEgress, TenantIngress } from './spark-tenant-network';
import { brand, isBranded } from '../core/brand';
import { attachClusterModel } from '../core/cluster-model';
import { check } from '../core/errors';
import { StandardLabels } from '../core/labels';
import { guardLateChange } from '../core/late-change';
import { PrometheusMonitoringOptions } from '../core/monitoring';
import { DnsNames } from '../core/names';
import { checkMonitoring } from '../core/prometheus';
import { cpuQuantity, memoryQuantity } from '../core/quantities';
import { PROMETHEUS_METRICS_LABEL, PROMETHEUS_METRICS_LABEL_VALUE, SPARK_UI_PORT_NAME } from '../core/spark-prometheus';
import { SPARK_ROLE_LABEL, validateLabels } from '../core/tenant-labels';
import { kibibytes, millicores } from '../core/validate';
import { SparkJobs } from '../jobs/spark-job';
import { SparkJobMonitoring } from '../jobs/spark-job-monitoring';
import { SparkServiceAccount } from '../jobs/spark-service-account';
import { ISparkOperator, SparkOperator } from '../operator/spark-operator';

/** A Pod Security Standard level. */
export enum PodSecurityLevel {
  /** No restriction. */
  PRIVILEGED = 'privileged',
  /** Blocks known privilege escalations (host namespaces, privileged containers...). */
  BASELINE = 'baseline',
  /** Hardened pods: non-root, no capabilities, RuntimeDefault seccomp, no privilege escalation. */
  RESTRICTED = 'restricted',
}

/** The Pod Security admission labels of a tenant's namespace. */
export interface TenantPodSecurity {
  /**
   * Pods that violate this level are rejected.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly enforce?: PodSecurityLevel;

  /**
   * Violations of this level are recorded in the audit log.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly audit?: PodSecurityLevel;

  /**
   * Violations of this level are returned to clients as warnings.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly warn?: PodSecurityLevel;

  /**
   * Version of the standards the three modes check against: 'latest' or a
   * Kubernetes minor version such as 'v1.30'.
   * @default 'latest'
   */
  readonly version?: string;
}

/**
 * A tenant's ResourceQuota: totals over all the pods and objects of the
 * namespace. Fields left out are not limited.
 */
export interface TenantQuota {
  /**
   * Sum of the CPU requests (`requests.cpu`).
   * @default - not limited
   */
  readonly cpuRequests?: Cpu;

  /**
   * Sum of the CPU limits (`limits.cpu`). Every pod then needs a CPU limit:
   * Spark sets none unless `spark.kubernetes.{driver,executor}.limit.cores`
   * is set, so the tenant's LimitRange supplies a default one.
   * @default - not limited
   */
  readonly cpuLimits?: Cpu;

  /**
   * Sum of the memory requests (`requests.memory`).
   * @default - not limited
   */
  readonly memoryRequests?: Size;

  /**
   * Sum of the memory limits (`limits.memory`).
   * @default - not limited
   */
  readonly memoryLimits?: Size;

  /**
   * Sum of the ephemeral-storage requests (`requests.ephemeral-storage`),
   * which bounds Spark's local shuffle and spill space on `emptyDir`s.
   * @default - not limited
   */
  readonly ephemeralStorageRequests?: Size;

  /**
   * Sum of the ephemeral-storage limits (`limits.ephemeral-storage`).
   * @default - not limited
   */
  readonly ephemeralStorageLimits?: Size;

  /**
   * Sum of the storage requested by PersistentVolumeClaims (`requests.storage`).
   * @default - not limited
   */
  readonly storage?: Size;

  /**
   * Number of PersistentVolumeClaims.
   * @default - not limited
   */
  readonly persistentVolumeClaims?: number;

  /**
   * Number of pods not in a terminal state (each Spark application counts
   * its driver and every executor).
   * @default - not limited
   */
  readonly pods?: number;

  /**
   * Number of Services (each running Spark application has a driver
   * Service, and with the operator another one for its web UI).
   * @default - not limited
   */
  readonly services?: number;

  /**
   * Number of NodePort Services.
   * @default - not limited
   */
  readonly nodePortServices?: number;

  /**
   * Number of LoadBalancer Services.
   * @default - not limited
   */
  readonly loadBalancerServices?: number;

  /**
   * Number of ConfigMaps (Spark writes one or two per application).
   * @default - not limited
   */
  readonly configMaps?: number;

  /**
   * Number of Secrets.
   * @default - not limited
   */
  readonly secrets?: number;

  /**
   * Number of SparkApplications (`count/sparkapplications.sparkoperator.k8s.io`),
   * including the runs a ScheduledSparkApplication keeps.
   * @default - not limited
   */
  readonly sparkApplications?: number;

  /**
   * Number of ScheduledSparkApplications.
   * @default - not limited
   */
  readonly scheduledSparkApplications?: number;
}

/**
 * Per-container defaults and bounds of a tenant (its LimitRange). Defaults
 * apply only to containers that set no request or limit of their own, so
 * that such pods still fit a quota that makes requests or limits mandatory.
 */
export interface TenantContainerDefaults {
  /**
   * CPU request of containers that set none.
   * @default Cpu.millis(100)
   */
  readonly cpuRequest?: Cpu;

  /**
   * Memory request of containers that set none.
   * @default Size.mebibytes(256)
   */
  readonly memoryRequest?: Size;

  /**
   * CPU limit of containers that set none. Careful: a container that
   * requests more CPU than this and sets no limit is rejected; Spark
   * executors with `spark.executor.cores` above it need
   * `spark.kubernetes.executor.limit.cores`.
   * @default - 1 core when the quota limits `cpuLimits`, none otherwise
   */
  readonly cpuLimit?: Cpu;

  /**
   * Memory limit of containers that set none (Spark's own containers
   * always set one).
   * @default - 1 GiB when the quota limits `memoryLimits`, none otherwise
   */
  readonly memoryLimit?: Size;

  /**
   * Largest CPU limit a container may have. Kubernetes then also gives
   * containers without a CPU limit this one, unless `cpuLimit` applies.
   * @default - no maximum
   */
  readonly maxCpu?: Cpu;

  /**
   * Largest memory limit a container may have. Kubernetes then also gives
   * containers without a memory limit this one, unless `memoryLimit` applies.
   * @default - no maximum
   */
  readonly maxMemory?: Size;
}

/** Which pods of a tenant may talk to each other. */
export enum TenantPodTraffic {
  /**
   * Only Spark pods (those labelled `spark-role`, which Spark puts on every
   * driver and executor): drivers and executors reach each other on any
   * port. A driver started some other way (client mode) needs the label.
   */
  SPARK_PODS = 'spark-pods',
  /** Every pod of the namespace may reach every other one. */
  ALL_PODS = 'all-pods',
}

/**
 * Monitoring of a tenant's Spark jobs by the Prometheus operator (see
 * {@link SparkJobMonitoring}), and where Prometheus runs, so that the
 * tenant's NetworkPolicies let it reach the drivers.
 */
export interface SparkTenantMonitoringOptions extends PrometheusMonitoringOptions {
  /**
   * The Prometheus pods that scrape the drivers: a NetworkPolicy
   * (`allow-ingress-spark-metrics`) lets them reach the web UI port (named
   * `spark-ui`) of the pods that serve metrics. Required while
   * `networkIsolation` is on: the default-deny policy would drop the scrapes.
   * @default - none; unused without network isolation
   */
  readonly prometheus?: NetworkPeer;
}

/** Properties of {@link SparkTenant}. */
export interface SparkTenantProps {
  /**
   * The tenant's namespace (created by the tenant).
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace: string;

  /**
   * Extra labels of the Namespace (e.g. a cost center).
   * @default - the standard labels and the Pod Security labels only
   */
  readonly labels?: { [key: string]: string };

  /**
   * Pod Security admission levels.
   * @default - restricted, enforced, audited and warned, against the latest standard
   */
  readonly podSecurity?: TenantPodSecurity;

  /**
   * The ResourceQuota: how much of the cluster the tenant may use.
   * @default - no ResourceQuota (the tenant is not throttled)
   */
  readonly quota?: TenantQuota;

  /**
   * Per-container defaults and bounds (the LimitRange).
   * @default - requests of 100m CPU and 256Mi memory for containers without
   *            any; default limits only for resources whose limits the quota caps
   */
  readonly containerDefaults?: TenantContainerDefaults;

  /**
   * Isolate the namespace with NetworkPolicies: deny all traffic, then allow
   * DNS, the API server, Spark pods among themselves and the declared
   * `egress`/`ingress`. The policies only take effect with a network plugin
   * that enforces them (Calico, Cilium, kube-router...); flannel alone does not.
   * @default true
   */
  readonly networkIsolation?: boolean;

  /**
   * Which pods of the namespace may talk to each other.
   * @default TenantPodTraffic.SPARK_PODS
   */
  readonly podTraffic?: TenantPodTraffic;

  /**
   * Where the pods reach the Kubernetes API server. Required while
   * `networkIsolation` is on: only the API server's addresses keep the egress
   * policy from opening HTTPS to the internet.
   * @default - none; SparkPlatform supplies the control plane of its ClusterNetwork
   */
  readonly apiServer?: TenantApiServerAccess;

  /**
   * The cluster DNS pods.
   * @default NetworkPeer.namespace('kube-system', { 'k8s-app': 'kube-dns' })
   */
  readonly dns?: NetworkPeer;

  /**
   * Further traffic the pods may send: the event-log store
   * ({@link TenantEgress.toEventLogStore}), a metastore
   * ({@link TenantEgress.toMetastore}), data sources. More can be added with
   * {@link SparkTenant.addEgress}.
   * @default - none
   */
  readonly egress?: TenantEgress[];

  /**
   * Traffic the pods may receive from outside the namespace (Spark UI,
   * metrics). More can be added with {@link SparkTenant.addIngress}.
   * @default - none
   */
  readonly ingress?: TenantIngress[];

  /**
   * Monitoring of the tenant's jobs: a {@link SparkJobMonitoring} in its
   * namespace (a PodMonitor on the drivers of the jobs with
   * `prometheusMetrics`, and their alerts), and the NetworkPolicy that lets
   * `monitoring.prometheus` scrape them.
   * @default - none
   */
  readonly monitoring?: SparkTenantMonitoringOptions;

  /**
   * The identity of the tenant's Spark drivers; must be in `namespace`.
   * @default SparkServiceAccount.forNamespace(this, namespace)
   */
  readonly serviceAccount?: SparkServiceAccount;

  /**
   * The Spark operator runs jobs in this namespace: the namespace is
   * declared with {@link SparkJobs.declareNamespace}, so an operator install
   * of the app that derives its namespaces watches it (and creates its Roles
   * there) before any job exists, and one with an explicit `jobNamespaces`
   * list must include it.
   * @default true
   */
  readonly operatorJobs?: boolean;

  /**
   * An operator that must watch this namespace: an install adds it to its
   * namespaces even when it has an explicit `jobNamespaces` list; an
   * operator installed by other means ({@link SparkOperator.fromExisting})
   * must already watch it, or synthesis fails.
   * @default - any install of the app that derives its namespaces picks the tenant up
   */
  readonly sparkOperator?: ISparkOperator;
}

/** A rendered quota and what the LimitRange needs to know about it. */
interface RenderedQuota {
  readonly hard: { [key: string]: k8s.Quantity };
  /** The quota caps limits.cpu: every container needs a CPU limit. */
  readonly cpuLimits: boolean;
  /** The quota caps limits.memory: every container needs a memory limit. */
  readonly memoryLimits: boolean;
  /** requests.cpu in millicores, when capped. */
  readonly cpuRequests?: number;
  /** requests.memory in KiB, when capped. */
  readonly memoryRequests?: number;
}

const LEVELS = Object.values(PodSecurityLevel) as string[];
const TRAFFIC = Object.values(TenantPodTraffic) as string[];
const PSA_VERSION = /^(latest|v1\.(0|[1-9]\d*))$/;
const DNS_PORT = 53;

/**
 * A namespace for one team's Spark jobs, isolated and throttled.
 *
 * Emits the Namespace (with Pod Security labels), an optional
 * ResourceQuota, a LimitRange, a default-deny NetworkPolicy plus the allows
 * Spark needs (DNS, the API server, drivers and executors among themselves,
 * and what the tenant declares), the tenant's `SparkServiceAccount` and,
 * with `monitoring`, the monitoring of its jobs (a {@link SparkJobMonitoring}
 * and the policy that lets Prometheus scrape the drivers).
 * The namespace is declared as a job namespace of the Spark operator.
 *
 * Two things stay outside the tenant's control: NetworkPolicies are only
 * enforced by a network plugin that implements them (flannel alone does
 * not), and under the default `restricted` Pod Security level every pod
 * must run as non-root with a RuntimeDefault seccomp profile, no privilege
 * escalation and all capabilities dropped (the library's jobs do).
 *
 * @example
 * new SparkTenant(chart, 'Analytics', {
 *   namespace: 'analytics',
 *   quota: { cpuRequests: Cpu.units(16), memoryRequests: Size.gibibytes(64), sparkApplications: 20 },
 *   apiServer: TenantApiServerAccess.fromClusterNetwork(network),
 *   egress: [TenantEgress.toEventLogStore(eventLog, minio)],
 * });
 */
export class SparkTenant extends Construct {
  /** True when `x` is a SparkTenant (from any copy of this library). */
  public static isSparkTenant(x: any): x is SparkTenant {
    return isBranded(x, 'SparkTenant');
  }

  /**
   * The namespace name.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The Namespace. */
  public readonly namespaceObject: k8s.KubeNamespace;
  /** The identity of the tenant's Spark drivers. */
  public readonly serviceAccount: SparkServiceAccount;
  /** The ResourceQuota, when a quota was given. */
  public readonly quota?: k8s.KubeResourceQuota;
  /** The LimitRange. */
  public readonly limitRange: k8s.KubeLimitRange;
  /** The monitoring of the tenant's jobs, when asked for. */
  public readonly monitoring?: SparkJobMonitoring;

  private readonly policies: k8s.KubeNetworkPolicy[] = [];
  private readonly labels: StandardLabels;
  private readonly isolated: boolean;
  private readonly ruleNames = new Set<string>();
  private readonly policyScope: Construct;

  constructor(scope: Construct, id: string, props: SparkTenantProps) {
    super(scope, id);
    brand(this, 'SparkTenant');
    attachClusterModel(this);
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace);
    validateLabels(this, 'labels', props.labels);
    this.labels = StandardLabels.of(this, { name: 'spark-tenant', instance: this.namespace });
    this.namespaceObject = this.renderNamespace(props);

    // --- Quota and container defaults ---------------------------------------
    const quota = props.quota ? this.renderQuota(props.quota) : undefined;
    if (quota) {
      this.quota = new k8s.KubeResourceQuota(this, 'Quota', {
        metadata: this.metadata('tenant-quota', 'quota'),
        spec: { hard: quota.hard },
      });
    }
    this.limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: this.metadata('tenant-limits', 'limits'),
      spec: { limits: [this.renderContainerDefaults(props.containerDefaults ?? {}, quota)] },
    });

    // --- Network isolation ---------------------------------------------------
    this.isolated = props.networkIsolation ?? true;
    this.policyScope = new Construct(this, 'NetworkPolicies');
    const podTraffic = props.podTraffic ?? TenantPodTraffic.SPARK_PODS;
    check(TRAFFIC.includes(podTraffic), this, 'podTraffic', podTraffic, `one of ${TRAFFIC.join(', ')}`);
    if (this.isolated) {
      this.defaultPolicies(props, podTraffic);
    } else {
      check(props.podTraffic === undefined && props.apiServer === undefined && props.dns === undefined
        && (props.egress ?? []).length === 0 && (props.ingress ?? []).length === 0,
      this, 'networkIsolation', false,
      'true when podTraffic, apiServer, dns, egress or ingress are given (they configure the isolation)');
    }
    for (const egress of props.egress ?? []) {
      this.addEgress(egress);
    }
    for (const ingress of props.ingress ?? []) {
      this.addIngress(ingress);
    }
    this.monitoring = this.monitor(props.monitoring);

    this.serviceAccount = this.identity(props);
    this.guardInputs(props);
  }

  /** The tenant's NetworkPolicies, including those added later (empty without network isolation). */
  public get networkPolicies(): k8s.KubeNetworkPolicy[] {
    return [...this.policies];
  }

  /** Lets every pod of the tenant send `egress` (NetworkPolicy `allow-egress-<name>`). */
  public addEgress(egress: TenantEgress): k8s.KubeNetworkPolicy {
    check(TenantEgress.isTenantEgress(egress), this, 'egress', egress, 'a TenantEgress');
    return this.policy(`allow-egress-${egress.name}`, 'egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [egress._toRule()],
    });
  }

  /** Lets the tenant's pods receive `ingress` (NetworkPolicy `allow-ingress-<name>`). */
  public addIngress(ingress: TenantIngress): k8s.KubeNetworkPolicy {
    check(TenantIngress.isTenantIngress(ingress), this, 'ingress', ingress, 'a TenantIngress');
    return this.policy(`allow-ingress-${ingress.name}`, 'ingress', {
      podSelector: ingress._podSelector(),
      policyTypes: ['Ingress'],
      ingress: [ingress._toRule()],
    });
  }

  /**
   * Lets every pod of the tenant send `egress`.
   * @deprecated use {@link SparkTenant.addEgress}
   */
  public allowEgress(egress: TenantEgress): k8s.KubeNetworkPolicy {
    return this.addEgress(egress);
  }

  /**
   * Lets the tenant's pods receive `ingress`.
   * @deprecated use {@link SparkTenant.addIngress}
   */
  public allowIngress(ingress: TenantIngress): k8s.KubeNetworkPolicy {
    return this.addIngress(ingress);
  }

  /**
   * The SparkJobMonitoring of the namespace and, under isolation, the policy
   * that admits Prometheus to the drivers' UI port. The port is named: Spark
   * names the driver's UI port `spark-ui` whatever number spark.ui.port gives.
   */
  private monitor(options: SparkTenantMonitoringOptions | undefined): SparkJobMonitoring | undefined {
    const monitoring = checkMonitoring(this, 'monitoring', options);
    if (monitoring === undefined) {
      return undefined;
    }
    const prometheus = options!.prometheus;
    check(prometheus === undefined || NetworkPeer.isNetworkPeer(prometheus), this, 'monitoring.prometheus', prometheus,
      'a NetworkPeer, e.g. NetworkPeer.namespace("monitoring", { "app.kubernetes.io/name": "prometheus" })');
    if (this.isolated) {
      check(prometheus !== undefined, this, 'monitoring.prometheus', prometheus,
        'where Prometheus runs, e.g. NetworkPeer.namespace("monitoring", { "app.kubernetes.io/name": "prometheus" }): '
        + 'the tenant\'s default-deny NetworkPolicy would drop its scrapes of the drivers');
      this.policy('allow-ingress-spark-metrics', 'ingress', {
        podSelector: { matchLabels: { [PROMETHEUS_METRICS_LABEL]: PROMETHEUS_METRICS_LABEL_VALUE } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [prometheus!._toPeer()], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromString(SPARK_UI_PORT_NAME) }] }],
      });
    }
    return new SparkJobMonitoring(this, 'Monitoring', {
      namespace: this.namespace,
      labels: monitoring.labels,
      interval: options!.interval,
      scrapeTimeout: options!.scrapeTimeout,
      extraEndpoints: options!.extraEndpoints,
      alerts: monitoring.alerts,
      kind: options!.kind,
      jobLabel: options!.jobLabel,
      monitorNamespace: options!.monitorNamespace,
      extraAlerts: options!.extraAlerts,
    });
  }

  private renderNamespace(props: SparkTenantProps): k8s.KubeNamespace {
    const security = props.podSecurity ?? {};
    const level = (mode: string, value: PodSecurityLevel | undefined) => {
      const chosen = value ?? PodSecurityLevel.RESTRICTED;
      check(LEVELS.includes(chosen), this, `podSecurity.${mode}`, chosen, `one of ${LEVELS.join(', ')}`);
      return chosen;
    };
    const version = security.version ?? 'latest';
    check(PSA_VERSION.test(version), this, 'podSecurity.version', version, '"latest" or a Kubernetes minor version such as "v1.30"');
    const psa: { [key: string]: string } = {};
    for (const mode of ['enforce', 'audit', 'warn'] as const) {
      psa[`pod-security.kubernetes.io/${mode}`] = level(mode, security[mode]);
      psa[`pod-security.kubernetes.io/${mode}-version`] = version;
    }
    for (const key of Object.keys(props.labels ?? {})) {
      check(!(key in psa) && !(key in this.labels.all()), this, 'labels key', key,
        'a label the tenant does not set itself (use podSecurity for the Pod Security labels)');
    }
    return new k8s.KubeNamespace(this, 'Resource', {
      metadata: { name: this.namespace, labels: { ...this.labels.all(), ...(props.labels ?? {}), ...psa } },
    });
  }

  /** The drivers' ServiceAccount, and the tenant's registration with the operator. */
  private identity(props: SparkTenantProps): SparkServiceAccount {
    let account: SparkServiceAccount;
    if (props.serviceAccount) {
      // SparkServiceAccount is the jobs domain's class; its own isX check replaces this once it has one.
      check(SparkServiceAccount.isSparkServiceAccount(props.serviceAccount) && props.serviceAccount.namespace === this.namespace,
        this, 'serviceAccount', props.serviceAccount.node?.path, `a SparkServiceAccount in namespace "${this.namespace}"`);
      account = props.serviceAccount;
    } else {
      account = SparkServiceAccount._forTenant(this, this.namespace);
    }
    const operatorJobs = props.operatorJobs ?? true;
    const operator = props.sparkOperator;
    check(operatorJobs || operator === undefined, this, 'sparkOperator', operator?.node?.path,
      'no sparkOperator when operatorJobs is false');
    check(operator === undefined || SparkOperator.isSparkOperator(operator), this, 'sparkOperator', typeof operator,
      'a Spark operator: a SparkOperatorInstall or SparkOperator.fromExisting(...)');
    if (operatorJobs) {
      SparkJobs.declareNamespace(this, this.namespace);
    }
    operator?.watchNamespace(this.namespace);
    return account;
  }

  /**
   * The inputs the tenant rendered at construction: changing them afterwards
   * (pushing into `egress`, editing `labels` or the quota) fails synthesis
   * instead of being ignored. Collections have mutators (addEgress, addIngress).
   */
  private guardInputs(props: SparkTenantProps): void {
    const rules = (list: Array<TenantEgress | TenantIngress> | undefined) => (list ?? []).map((r) => [r?.name, r?._toRule?.()]);
    guardLateChange(this, 'props.egress', () => rules(props.egress), 'call addEgress() on the tenant instead');
    guardLateChange(this, 'props.ingress', () => rules(props.ingress), 'call addIngress() on the tenant instead');
    guardLateChange(this, 'props.labels', () => props.labels ?? {},
      'give every label before creating the tenant (or call namespaceObject.metadata.addLabel())');
    guardLateChange(this, 'props.podSecurity', () => props.podSecurity ?? {}, 'give the levels before creating the tenant');
    guardLateChange(this, 'props.quota', () => props.quota ?? {}, 'give the whole quota before creating the tenant');
    guardLateChange(this, 'props.containerDefaults', () => props.containerDefaults ?? {},
      'give the container defaults before creating the tenant');
    guardLateChange(this, 'props.monitoring', () => props.monitoring && { ...props.monitoring, prometheus: props.monitoring.prometheus?._toPeer() },
      'give the monitoring options before creating the tenant');
  }

  private defaultPolicies(props: SparkTenantProps, podTraffic: TenantPodTraffic): void {
    // Nothing in or out unless another policy allows it.
    this.policy('default-deny', undefined, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

    const dns = props.dns ?? NetworkPeer.namespace('kube-system', { 'k8s-app': 'kube-dns' });
    check(NetworkPeer.isNetworkPeer(dns), this, 'dns', dns, 'a NetworkPeer');
    this.policy('allow-dns', undefined, {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [dns._toPeer()],
        ports: [Protocol.UDP, Protocol.TCP].map((protocol) => ({ protocol, port: k8s.IntOrString.fromNumber(DNS_PORT) })),
      }],
    });

    // Drivers create and watch executors through the API server; so do
    // spark-submit pods and client-mode drivers, hence every pod.
    // No default: a guessed rule either blocks the drivers or, as "any address
    // on 443", lets every pod reach the whole internet over HTTPS.
    const apiServer = props.apiServer;
    check(TenantApiServerAccess.isTenantApiServerAccess(apiServer), this, 'apiServer', apiServer,
      'where the API server is, so that the tenant\'s egress policy allows it and not the internet: '
      + 'TenantApiServerAccess.fromClusterNetwork(network) or TenantApiServerAccess.toCidrs([...control-plane addresses]) '
      + '(TenantApiServerAccess.anywhere() accepts any HTTPS endpoint, knowingly), or networkIsolation: false');
    this.policy('allow-apiserver', undefined, { podSelector: {}, policyTypes: ['Egress'], egress: apiServer!._toRules() });

    // Drivers and executors connect both ways on ports Spark picks (RPC,
    // block manager, shuffle), so the rule does not name ports.
    const pods: k8s.LabelSelector = podTraffic === TenantPodTraffic.ALL_PODS
      ? {}
      : { matchExpressions: [{ key: SPARK_ROLE_LABEL, operator: 'Exists' }] };
    const peers = [{ podSelector: pods }];
    this.policy(podTraffic === TenantPodTraffic.ALL_PODS ? 'allow-all-pods' : 'allow-spark-pods', undefined, {
      podSelector: pods,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: peers }],
      egress: [{ to: peers }],
    });
  }

  private policy(name: string, kind: 'egress' | 'ingress' | undefined, spec: k8s.NetworkPolicySpec): k8s.KubeNetworkPolicy {
    if (kind) {
      check(this.isolated, this, kind, name, 'a tenant with networkIsolation (without it, all traffic is allowed anyway)');
    }
    check(!this.ruleNames.has(name), this, kind ?? 'policy', name, 'a name not used by another NetworkPolicy of the tenant');
    this.ruleNames.add(name);
    const policy = new k8s.KubeNetworkPolicy(this.policyScope, name, { metadata: this.metadata(name, 'network-policy'), spec });
    this.policies.push(policy);
    return policy;
  }

  private metadata(name: string, component: string): k8s.ObjectMeta {
    return { name, namespace: this.namespace, labels: this.labels.forComponent(this, component).all() };
  }

  private renderQuota(q: TenantQuota): RenderedQuota {
    const hard: { [key: string]: k8s.Quantity } = {};
    const cpu = (key: string, property: string, value: Cpu | undefined) => {
      if (value === undefined) return undefined;
      const m = millicores(this, `quota.${property}`, value);
      hard[key] = k8s.Quantity.fromString(cpuQuantity(m));
      return m;
    };
    const mem = (key: string, property: string, value: Size | undefined) => {
      if (value === undefined) return undefined;
      const kib = kibibytes(this, `quota.${property}`, value);
      hard[key] = k8s.Quantity.fromString(memoryQuantity(kib));
      return kib;
    };
    const count = (key: string, property: string, value: number | undefined) => {
      if (value === undefined) return;
      check(Number.isInteger(value) && value >= 0, this, `quota.${property}`, value, 'a whole number, 0 or more');
      hard[key] = k8s.Quantity.fromNumber(value);
    };
    const cpuRequests = cpu('requests.cpu', 'cpuRequests', q.cpuRequests);
    const cpuLimits = cpu('limits.cpu', 'cpuLimits', q.cpuLimits);
    const memoryRequests = mem('requests.memory', 'memoryRequests', q.memoryRequests);
    const memoryLimits = mem('limits.memory', 'memoryLimits', q.memoryLimits);
    const ephemeralRequests = mem('requests.ephemeral-storage', 'ephemeralStorageRequests', q.ephemeralStorageRequests);
    const ephemeralLimits = mem('limits.ephemeral-storage', 'ephemeralStorageLimits', q.ephemeralStorageLimits);
    mem('requests.storage', 'storage', q.storage);
    count('persistentvolumeclaims', 'persistentVolumeClaims', q.persistentVolumeClaims);
    count('pods', 'pods', q.pods);
    count('services', 'services', q.services);
    count('services.nodeports', 'nodePortServices', q.nodePortServices);
    count('services.loadbalancers', 'loadBalancerServices', q.loadBalancerServices);
    count('configmaps', 'configMaps', q.configMaps);
    count('secrets', 'secrets', q.secrets);
    count('count/sparkapplications.sparkoperator.k8s.io', 'sparkApplications', q.sparkApplications);
    count('count/scheduledsparkapplications.sparkoperator.k8s.io', 'scheduledSparkApplications', q.scheduledSparkApplications);
    check(Object.keys(hard).length > 0, this, 'quota', q, 'at least one limit (leave quota out for an unthrottled tenant)');
    const pair = (property: string, request: number | undefined, limit: number | undefined, unit: string) => {
      check(request === undefined || limit === undefined || request <= limit, this, `quota.${property}`,
        `requests ${request}${unit}, limits ${limit}${unit}`, 'requests no greater than limits');
    };
    pair('cpu', cpuRequests, cpuLimits, 'm');
    pair('memory', memoryRequests, memoryLimits, 'Ki');
    pair('ephemeralStorage', ephemeralRequests, ephemeralLimits, 'Ki');
    return { hard, cpuLimits: cpuLimits !== undefined, memoryLimits: memoryLimits !== undefined, cpuRequests, memoryRequests };
  }

  private renderContainerDefaults(d: TenantContainerDefaults, quota: RenderedQuota | undefined): k8s.LimitRangeItem {
    const cpuRequest = millicores(this, 'containerDefaults.cpuRequest', d.cpuRequest ?? Cpu.millis(100));
    const memoryRequest = kibibytes(this, 'containerDefaults.memoryRequest', d.memoryRequest ?? Size.mebibytes(256));
    const cpuLimitDefault = quota?.cpuLimits ? Cpu.units(1) : undefined;
    const memoryLimitDefault = quota?.memoryLimits ? Size.gibibytes(1) : undefined;
    const cpuLimitGiven = d.cpuLimit ?? cpuLimitDefault;
    const memoryLimitGiven = d.memoryLimit ?? memoryLimitDefault;
    const cpuLimit = cpuLimitGiven ? millicores(this, 'containerDefaults.cpuLimit', cpuLimitGiven) : undefined;
    const memoryLimit = memoryLimitGiven ? kibibytes(this, 'containerDefaults.memoryLimit', memoryLimitGiven) : undefined;
    const maxCpu = d.maxCpu ? millicores(this, 'containerDefaults.maxCpu', d.maxCpu) : undefined;
    const maxMemory = d.maxMemory ? kibibytes(this, 'containerDefaults.maxMemory', d.maxMemory) : undefined;

    const notAbove = (property: string, value: number | undefined, bound: number | undefined, boundName: string, unit: string) => {
      check(value === undefined || bound === undefined || value <= bound, this, `containerDefaults.${property}`,
        `${value}${unit}`, `at most ${boundName} (${bound}${unit})`);
    };
    notAbove('cpuRequest', cpuRequest, cpuLimit, 'the default CPU limit', 'm');
    notAbove('memoryRequest', memoryRequest, memoryLimit, 'the default memory limit', 'Ki');
    notAbove('cpuLimit', cpuLimit, maxCpu, 'maxCpu', 'm');
    notAbove('memoryLimit', memoryLimit, maxMemory, 'maxMemory', 'Ki');
    notAbove('cpuRequest', cpuRequest, maxCpu, 'maxCpu', 'm');
    notAbove('memoryRequest', memoryRequest, maxMemory, 'maxMemory', 'Ki');
    notAbove('cpuRequest', cpuRequest, quota?.cpuRequests, 'the quota\'s cpuRequests', 'm');
    notAbove('memoryRequest', memoryRequest, quota?.memoryRequests, 'the quota\'s memoryRequests', 'Ki');

    const quantities = (cpu: number | undefined, memory: number | undefined) => {
      const out: { [key: string]: k8s.Quantity } = {};
      if (cpu !== undefined) out.cpu = k8s.Quantity.fromString(cpuQuantity(cpu));
      if (memory !== undefined) out.memory = k8s.Quantity.fromString(memoryQuantity(memory));
      return Object.keys(out).length > 0 ? out : undefined;
    };
    const defaults = quantities(cpuLimit, memoryLimit);
    const max = quantities(maxCpu, maxMemory);
    return {
      type: 'Container',
      defaultRequest: quantities(cpuRequest, memoryRequest),
      ...(defaults ? { default: defaults } : {}),
      ...(max ? { max } : {}),
    };
  }
}
