import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterNetwork, ClusterNetworkProps } from '../cluster/cluster-network';
import { ContainerdMirror, ContainerdMirrorOptions, IContainerdMirrorSource } from '../cluster/containerd';
import { FlannelBackend, FlannelCni, FlannelCniOptions } from '../cluster/flannel-cni';
import { KubeadmClusterPrereqs, KubeadmClusterPrereqsOptions } from '../cluster/kubeadm-cluster-prereqs';
import { LocalPathProvisioner, LocalPathProvisionerProps } from '../cluster/local-path-provisioner';
import { StorageClassRef } from '../cluster/storage';
import { check } from '../core/errors';
import { EventLogStore } from '../core/event-log-store';
import { StandardLabels } from '../core/labels';
import { guardLateChange } from '../core/late-change';
import { PrometheusMonitoringOptions } from '../core/monitoring';
import { DnsNames } from '../core/names';
import { SparkImage } from '../core/spark-image';
import { WorkloadPodOptions } from '../core/workload-pod-options';
import { ArgoCdSyncWaves, ArgoCdSyncWavesProps } from '../gitops/argo-cd-sync-waves';
import { SparkGrafanaDashboard, SparkGrafanaDashboardOptions } from '../jobs/spark-grafana-dashboard';
import { ExistingSparkOperatorProps, ISparkOperator, SparkOperator } from '../operator/spark-operator';
import { SparkOperatorInstall, SparkOperatorInstallProps } from '../operator/spark-operator-install';
import { RegistryMirrorOptions } from '../registry/registry-mirror';
import { RegistryMirrorSet } from '../registry/registry-mirror-set';
import { SparkHistoryServer, SparkHistoryServerOptions } from '../services/spark-history-server';
import { SparkThriftServer, SparkThriftServerProps } from '../services/spark-thrift-server';
import { SparkTenant, SparkTenantMonitoringOptions, SparkTenantProps } from '../tenancy/spark-tenant';
import { TenantApiServerAccess } from '../tenancy/spark-tenant-network';

/**
 * The machines and the cluster layer of a {@link SparkPlatform}: every
 * option of the node scripts ({@link KubeadmClusterPrereqs}), every option
 * of the flannel add-on, and the network they share; the platform supplies
 * the network object and flannel's ports to the node scripts.
 *
 * The nodes' containerd uses the platform's `registries` first, then
 * `registryMirrors`, then the mirrors of `registryMirrorSets`, all read when
 * the app synthesizes: a mirror added later to the platform's set, pushed
 * into `registryMirrors` or added to a set given here reaches every node's
 * `hosts.toml`. `registryMirrorSetOptions` applies to the platform's
 * registries and to `registryMirrorSets`.
 */
export interface SparkPlatformClusterOptions extends KubeadmClusterPrereqsOptions {
  /**
   * Pod and Service CIDRs and the machines.
   * @default - ClusterNetwork's defaults (10.244.0.0/16 pods, 10.96.0.0/12 Services, no machines listed)
   */
  readonly network?: ClusterNetworkProps;
  /**
   * The flannel add-on: every option of {@link FlannelCni} (the platform supplies the network).
   * @default - FlannelCni's defaults (VXLAN backend)
   */
  readonly flannel?: FlannelCniOptions;
  /**
   * The flannel backend.
   * @default FlannelBackend.vxlan()
   * @deprecated use `flannel: { backend }`
   */
  readonly flannelBackend?: FlannelBackend;
  /**
   * How the nodes reach and trust the platform's registries.
   * @default - the nodes' system trust store
   * @deprecated use `registryMirrorSetOptions`
   */
  readonly registryMirrorNodeOptions?: ContainerdMirrorOptions;
}

/** The platform's registries: pull-through caches and private registries. */
export interface SparkPlatformRegistryOptions {
  /**
   * The namespace of the registries.
   * @default 'registry-mirrors'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;
  /**
   * One entry per registry: a cache (with `proxy`) or a private registry. The
   * platform supplies the namespace, the cluster network and, unless given,
   * the storage class. Add more with `SparkPlatform.registryMirrors.addMirror()`.
   */
  readonly mirrors: RegistryMirrorOptions[];
}

/** Where the platform's PersistentVolumeClaims (the registries') get their volumes. */
export interface SparkPlatformStorageOptions {
  /**
   * Run a {@link LocalPathProvisioner} (node-local volumes), in the cluster
   * layer's chart, or in a `storage` chart of its own on an existing cluster.
   * @default - true when the platform has a cluster layer (a kubeadm cluster has no StorageClass), false otherwise
   */
  readonly localPathProvisioner?: boolean;
  /**
   * Properties of the provisioner.
   * @default - LocalPathProvisioner's defaults: class `local-path`, the cluster's default class
   */
  readonly localPath?: LocalPathProvisionerProps;
  /**
   * The StorageClass of the registries that name none.
   * @default - the provisioner's class when there is one, else the cluster's
   *            default class (which must then be stated with StorageClassRef.clusterDefault())
   */
  readonly storageClass?: StorageClassRef;
}

/**
 * The history server of a {@link SparkPlatform}, which reads the platform's
 * event log: every option of {@link SparkHistoryServer}; the platform supplies
 * the store (its `eventLog`), the namespace and the image.
 */
export interface SparkPlatformHistoryServerOptions extends SparkHistoryServerOptions {
  /**
   * Run a history server. It needs the platform's `eventLog`.
   * @default - true when the platform has an event log
   */
  readonly enabled?: boolean;
}

/**
 * Monitoring of a {@link SparkPlatform} by the Prometheus operator: the
 * options every monitored part shares, where Prometheus runs (for the
 * tenants' NetworkPolicies), and an optional Grafana dashboard.
 */
export interface SparkPlatformMonitoringOptions extends SparkTenantMonitoringOptions {
  /**
   * A Grafana dashboard of the Spark applications
   * ({@link SparkGrafanaDashboard}) in the services' chart; the platform
   * supplies the operator's metric prefix.
   * @default - no dashboard
   */
  readonly grafanaDashboard?: SparkGrafanaDashboardOptions;
}

/** Properties of {@link SparkPlatform}. */
export interface SparkPlatformProps {
  /**
   * The cluster layer: node scripts for kubeadm, the flannel network and the
   * network description they share.
   * @default - an existing cluster: no node scripts, no network add-on
   */
  readonly cluster?: SparkPlatformClusterOptions;
  /**
   * Volumes for the platform's claims.
   * @default - a LocalPathProvisioner when `cluster` is set; otherwise claims use the class given to each construct
   */
  readonly storage?: SparkPlatformStorageOptions;
  /**
   * Registry caches and private registries, in the cluster layer's chart (or
   * their own chart on an existing cluster). With a cluster layer, every node's
   * containerd tries them first.
   * @default - none
   */
  readonly registries?: SparkPlatformRegistryOptions;
  /**
   * The Spark operator.
   * @default - SparkOperatorInstall's defaults, watching the namespaces of the tenants and jobs
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly operator?: SparkOperatorInstallProps;
  /**
   * Use a Spark operator installed by other means (Helm) instead of
   * installing one: the platform emits nothing for it, and its tenants and
   * jobs must be in namespaces it watches. Excludes `operator`.
   * @default - the platform installs the operator (see `operator`)
   */
  readonly existingOperator?: ExistingSparkOperatorProps;
  /**
   * The namespace of the platform's shared services (history and Thrift servers).
   * @default 'spark-platform'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;
  /**
   * The Spark image of the platform's services.
   * @default SparkImage.apache()
   */
  readonly image?: SparkImage;
  /**
   * Where every job of the platform writes its event log, and the history
   * server reads it.
   * @default - no event log, no history server
   */
  readonly eventLog?: EventLogStore;
  /**
   * The history server.
   * @default - one with defaults when `eventLog` is set
   */
  readonly historyServer?: SparkPlatformHistoryServerOptions;
  /**
   * A Thrift server. Its namespace, image and event log default to the platform's.
   * @default - none
   */
  readonly thriftServer?: SparkThriftServerProps;
  /**
   * The teams' namespaces. Their API-server egress defaults to the cluster's
   * control-plane nodes when the platform has a cluster layer with nodes.
   * @default - none; add them with addTenant
   */
  readonly tenants?: SparkTenantProps[];
  /**
   * Annotate every object for Argo CD: sync waves so that CRDs, the operator,
   * tenants, services and jobs apply in order, server-side apply for CRDs.
   * @default - no Argo CD annotations
   */
  readonly argoCdSyncWaves?: ArgoCdSyncWavesProps;

  /**
   * Pod options (node selector, tolerations, affinity, priority class,
   * labels, annotations, image pull secrets, extra containers) for every
   * workload the platform runs whose own `pod` options are not given: the
   * storage provisioner, the registry mirrors, the operator's controller and
   * webhook, the history server and the Thrift servers added with
   * addThriftServer. A workload's own `pod` replaces these whole (its
   * sidecars are not added to the platform's). Spark jobs set theirs per job
   * (driver, executor, submitterPod).
   * @default - none
   */
  readonly pod?: WorkloadPodOptions;

  /**
   * Monitoring by the Prometheus operator for the operator, the history
   * server, every registry mirror and every tenant whose own `monitoring` is
   * not given: a tenant gets the PodMonitor of its jobs' drivers (the jobs
   * with `prometheusMetrics`), their alerts and, under network isolation,
   * the NetworkPolicy that lets `prometheus` scrape them (required then).
   * With `grafanaDashboard`, a Grafana dashboard of the applications.
   * Labels, interval, scrape timeout, alerts and `monitorNamespace` reach
   * every part; what belongs to one part (`kind`, `jobLabel`,
   * `extraEndpoints`, `extraAlerts`) is refused here: give it in that part's
   * own `monitoring`.
   * @default - none
   */
  readonly monitoring?: SparkPlatformMonitoringOptions;
}

/**
 * The whole Spark stack in a few lines, in a few charts with many objects each:
 *
 * - `cluster` (when `cluster` is set): ClusterNetwork, FlannelCni, the kubeadm node scripts and a
 *   LocalPathProvisioner (the default StorageClass: a kubeadm cluster has none, and claims would stay Pending);
 * - `storage` (on an existing cluster, with `storage.localPathProvisioner`): the provisioner;
 * - `registries` (when `registries` is set): the registry caches and private registries;
 * - `tenants`: the teams' namespaces, quotas, network policies and driver identities;
 * - `spark-operator`: CRDs, controller, webhook and the per-namespace RBAC (empty with `existingOperator`);
 * - `spark-services` (when there is one): the history and Thrift servers, the Grafana dashboard;
 * - one chart per {@link jobsChart} call for the jobs.
 *
 * Each part takes its construct's own options (`historyServer` every
 * SparkHistoryServer option, `registries.mirrors` every RegistryMirror
 * option, `operator`, `thriftServer`, `storage.localPath` their constructs'
 * props, `cluster` every KubeadmClusterPrereqs option and `cluster.flannel`
 * every FlannelCni option); the platform supplies what it owns:
 * the event log store, the services' namespace and image, the cluster network,
 * the registries' namespace and storage class. The node scripts read the
 * registry set when the app synthesizes, so `registryMirrors.addMirror()`
 * after the platform reaches every node's hosts.toml.
 *
 * cdk8s writes the charts in that order, in numbered files, so
 * `kubectl apply -f` applies them in order; with `argoCdSyncWaves` Argo CD
 * syncs in the same order. Every part is a public member for further
 * customization.
 *
 * @example
 * const platform = new SparkPlatform(app, 'platform', {
 *   image: SparkImage.apache('4.0.4'),
 *   eventLog: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs'),
 *   tenants: [{ namespace: 'analytics', apiServer }],
 * });
 * new SparkApplication(platform.jobsChart('jobs'), 'Pi', {
 *   namespace: 'analytics',
 *   type: SparkApplicationType.SCALA,
 *   mainClass: 'org.apache.spark.examples.SparkPi',
 *   mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
 * });
 */
export class SparkPlatform extends Construct {
  /** The cluster layer's chart. */
  public readonly clusterChart?: Chart;
  /** The network shared by kubeadm, flannel and the tenants' policies. */
  public readonly network?: ClusterNetwork;
  /** The flannel add-on. */
  public readonly flannel?: FlannelCni;
  /** The kubeadm node scripts. */
  public readonly nodes?: KubeadmClusterPrereqs;
  /** The node-local volume provisioner. */
  public readonly localPathProvisioner?: LocalPathProvisioner;
  /** The chart of the provisioner on an existing cluster (with a cluster layer it is in clusterChart). */
  public readonly storageChart?: Chart;
  /** The registries' chart. */
  public readonly registriesChart?: Chart;
  /** The registry caches and private registries. */
  public readonly registryMirrors?: RegistryMirrorSet;
  /** The tenants' chart. */
  public readonly tenantsChart: Chart;
  /** The operator's chart. */
  public readonly operatorChart: Chart;
  /** The Spark operator: installed by the platform, or the one given as `existingOperator`. */
  public readonly sparkOperator: ISparkOperator;
  /** The shared services' chart. */
  public readonly servicesChart: Chart;
  /**
   * The namespace of the shared services.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The Spark image of the shared services. */
  public readonly image: SparkImage;
  /** The platform-wide pod options, for the workloads added later. */
  private readonly podOptions?: WorkloadPodOptions;
  /** The event log store. */
  public readonly eventLog?: EventLogStore;
  /** The history server. */
  public readonly historyServer?: SparkHistoryServer;
  /** The Thrift server. */
  public readonly thriftServer?: SparkThriftServer;

  /** The Grafana dashboard, when `monitoring.grafanaDashboard` is given. */
  public readonly grafanaDashboard?: SparkGrafanaDashboard;

  private readonly tenantList: SparkTenant[] = [];
  /** What tenants added later get as their monitoring, unless given their own. */
  private readonly tenantMonitoring?: SparkTenantMonitoringOptions;
  private firstChart?: Chart;
  private servicesNamespace?: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: SparkPlatformProps = {}) {
    super(scope, id);
    // Charts cannot nest: the platform lives directly in an app (or a plain construct).
    check(!this.node.scopes.some((s) => s !== this && Chart.isChart(s)), this, 'scope', scope.node.path || '<root>',
      'an App (or a construct outside any Chart): the platform creates its own charts');
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? 'spark-platform');
    this.image = props.image ?? SparkImage.apache();
    this.podOptions = props.pod;
    this.eventLog = props.eventLog;
    // Extra endpoints, the kind, the job label and extra alerts belong to one workload: every part of the platform would get them.
    for (const prop of ['extraEndpoints', 'kind', 'jobLabel', 'extraAlerts'] as const) {
      check(props.monitoring?.[prop] === undefined, this, `monitoring.${prop}`, 'given',
        'left out here: give it in the monitoring options of the component it is for');
    }
    const monitoring = props.monitoring === undefined ? undefined : prometheusOptions(props.monitoring);
    this.tenantMonitoring = props.monitoring === undefined ? undefined : { ...monitoring, prometheus: props.monitoring.prometheus };

    if (props.cluster) {
      this.clusterChart = this.layerChart('cluster');
      this.network = new ClusterNetwork(this.clusterChart, 'Network', props.cluster.network ?? {});
      this.flannel = this.createFlannel(props.cluster);
    }
    const storage = props.storage ?? {};
    if (storage.localPathProvisioner ?? props.cluster !== undefined) {
      if (!this.clusterChart) {
        this.storageChart = this.layerChart('storage');
      }
      const localPath = storage.localPath ?? {};
      this.localPathProvisioner = new LocalPathProvisioner(this.clusterChart ?? this.storageChart!, 'Storage',
        { ...localPath, pod: localPath.pod ?? props.pod });
    } else {
      check(storage.localPath === undefined, this, 'storage.localPath', 'given',
        'only with a provisioner (storage.localPathProvisioner true, or a cluster layer)');
    }
    const storageClass = storage.storageClass ?? this.localPathProvisioner?.storageClass;
    if (props.registries) {
      this.registriesChart = this.layerChart('registries');
      this.registryMirrors = new RegistryMirrorSet(this.registriesChart, 'Mirrors', {
        namespace: props.registries.namespace,
        network: this.network,
      });
      for (const [i, mirror] of props.registries.mirrors.entries()) {
        this.registryMirrors.addMirror(`Mirror${i}`, {
          ...mirror,
          storageClass: mirror.storageClass ?? storageClass,
          pod: mirror.pod ?? props.pod,
          monitoring: mirror.monitoring ?? monitoring,
        });
      }
    }
    if (props.cluster) {
      this.nodes = this.createNodes(props.cluster);
    }

    // Tenants before the operator: its Roles live in the tenants' namespaces.
    this.tenantsChart = this.layerChart('tenants');
    this.operatorChart = this.layerChart('spark-operator');
    this.sparkOperator = this.createOperator(props);
    this.servicesChart = this.layerChart('spark-services');

    for (const [i, tenant] of (props.tenants ?? []).entries()) {
      this.addTenant(`Tenant${i}`, tenant);
    }
    this.historyServer = this.createHistoryServer(props.historyServer ?? {}, monitoring);
    this.grafanaDashboard = this.createDashboard(props);
    if (props.thriftServer) {
      this.thriftServer = this.addThriftServer('ThriftServer', props.thriftServer);
    }

    if (props.argoCdSyncWaves) {
      ArgoCdSyncWaves.apply(this, props.argoCdSyncWaves);
    }
    this.guardInputs(props);
  }

  /**
   * The Spark operator the platform installs.
   * @throws when the platform uses an `existingOperator` (see `sparkOperator`)
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public get operator(): SparkOperatorInstall {
    check(this.sparkOperator.installedByApp, this, 'operator', this.sparkOperator.node.path,
      'read only on a platform that installs its operator; with existingOperator use sparkOperator');
    return this.sparkOperator as SparkOperatorInstall;
  }

  /** The tenants, in the order they were added. */
  public get tenants(): SparkTenant[] {
    return [...this.tenantList];
  }

  /**
   * Adds a tenant to the tenants' chart. Its API-server egress defaults to the
   * cluster's control-plane nodes when the platform knows them.
   */
  public addTenant(id: string, props: SparkTenantProps): SparkTenant {
    const taken = this.tenantList.find((t) => t.namespace === props.namespace);
    check(taken === undefined, this, `tenant ${id} namespace`, props.namespace,
      `a namespace no other tenant has (${taken?.node.path} has it)`);
    const knowsControlPlane = (this.network?.nodes ?? []).length > 0;
    const tenant = new SparkTenant(this.tenantsChart, id, {
      ...props,
      apiServer: props.apiServer ?? (knowsControlPlane ? TenantApiServerAccess.fromClusterNetwork(this.network!) : undefined),
      monitoring: props.monitoring ?? this.tenantMonitoring,
    });
    this.tenantList.push(tenant);
    return tenant;
  }

  /**
   * Adds a Thrift server to the services' chart; its namespace, image and
   * event log default to the platform's.
   */
  public addThriftServer(id: string, props: SparkThriftServerProps): SparkThriftServer {
    return new SparkThriftServer(this.servicesChart, id, {
      ...props,
      pod: props.pod ?? this.podOptions,
      // A namespaceRef names the namespace itself: the platform's is then not made for it.
      namespace: props.namespace ?? (props.namespaceRef === undefined ? this.ensureServicesNamespace() : undefined),
      image: props.image ?? this.image,
      eventLog: props.eventLog ?? this.eventLog,
    });
  }

  /**
   * A chart for jobs, applied after the tenants, the operator and the
   * services. Put SparkApplications and SparkSubmitJobs in it; give them the
   * platform's `eventLog` to see them in the history server.
   * @param id the chart's id, also its file name
   * @param namespace the chart's default namespace
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public jobsChart(id: string, namespace?: string): Chart {
    // Created after every layer chart, so written after them (see layerChart).
    return new Chart(this, id, namespace !== undefined ? { namespace } : {});
  }

  /**
   * Options the platform read when it was built: changing them afterwards
   * fails synthesis instead of being ignored (collections have mutators).
   */
  private guardInputs(props: SparkPlatformProps): void {
    // A JSON view in which constructs (Secrets, service accounts, operators) stand for their path.
    const view = (value: unknown) => JSON.parse(JSON.stringify(value ?? {},
      (_key, v) => (Construct.isConstruct(v) ? `construct ${v.node.path}` : v)));
    guardLateChange(this, 'props.tenants', () => (props.tenants ?? []).map((t) => t?.namespace), 'call addTenant() on the platform instead');
    guardLateChange(this, 'props.historyServer', () => view(props.historyServer), 'give the history server options before creating the platform');
    guardLateChange(this, 'props.registries.mirrors', () => view(props.registries?.mirrors),
      'call registryMirrors.addMirror() on the platform instead (give each mirror\'s options before adding it)');
    // Read at construction; the lazily read mirrors and the network's nodes (ClusterNetwork guards them) aside.
    guardLateChange(this, 'props.cluster', () => view(props.cluster && {
      ...props.cluster,
      network: props.cluster.network && { ...props.cluster.network, nodes: undefined },
      registryMirrors: undefined,
      registryMirrorSets: undefined,
    }), 'give the cluster options before creating the platform');
    // props.operator is the install's own props object: the install guards it (SparkOperatorInstall.guardInputs).
    // Everything else the platform read, less what is guarded above or by the children given the same objects.
    const rest = () => ({
      ...props,
      tenants: undefined,
      historyServer: undefined,
      registries: props.registries && { ...props.registries, mirrors: undefined },
      cluster: undefined,
      operator: undefined,
      existingOperator: props.existingOperator && { ...props.existingOperator, jobNamespaces: undefined },
    });
    guardLateChange(this, 'props', () => view(rest()), 'give the platform its options before creating it');
  }

  private createFlannel(c: SparkPlatformClusterOptions): FlannelCni {
    check(c.flannelBackend === undefined || c.flannel?.backend === undefined, this, 'cluster.flannelBackend', 'given',
      'left out when cluster.flannel.backend is given (flannelBackend is its deprecated form)');
    return new FlannelCni(this.clusterChart!, 'Flannel', { ...c.flannel, network: this.network!, backend: c.flannel?.backend ?? c.flannelBackend });
  }

  private createNodes(c: SparkPlatformClusterOptions): KubeadmClusterPrereqs {
    check(c.registryMirrorNodeOptions === undefined || c.registryMirrorSetOptions === undefined, this, 'cluster.registryMirrorNodeOptions',
      'given', 'left out when cluster.registryMirrorSetOptions is given (registryMirrorNodeOptions is its deprecated form)');
    // The node scripts read the mirrors when the app synthesizes: the platform's set first (a
    // mirror added to it later reaches every node's hosts.toml), then the further hosts and sets.
    const extra = (): ContainerdMirror[] => (c.registryMirrors ?? []).map((m, i) => {
      check(ContainerdMirror.isContainerdMirror(m), this, `cluster.registryMirrors[${i}]`, typeof m,
        'a ContainerdMirror from ContainerdMirror.of(), RegistryMirror.containerdMirror() or RegistryMirrorSet.containerdMirrors()');
      return m;
    });
    const sets = (): IContainerdMirrorSource[] => (c.registryMirrorSets ?? []).map((set, i) => {
      check(typeof set?.currentContainerdMirrors === 'function', this, `cluster.registryMirrorSets[${i}]`, typeof set,
        'a set of registry mirrors, e.g. a RegistryMirrorSet');
      return set;
    });
    extra();
    sets();
    const further: IContainerdMirrorSource = { currentContainerdMirrors: extra };
    const furtherSets: IContainerdMirrorSource = {
      currentContainerdMirrors: (options) => sets().flatMap((set) => set.currentContainerdMirrors(options)),
    };
    // Every option of the node scripts is forwarded; the platform supplies the network, flannel's ports and the mirrors.
    const {
      network: _network, flannel: _flannel, flannelBackend: _backend, registryMirrorNodeOptions: _nodeOptions,
      registryMirrors: _mirrors, registryMirrorSets: _sets, ...options
    } = c;
    return new KubeadmClusterPrereqs(this.clusterChart!, 'Nodes', {
      ...options,
      network: this.network!,
      cniPorts: this.flannel!.firewallPorts,
      registryMirrorSets: [...(this.registryMirrors ? [this.registryMirrors] : []), further, furtherSets],
      registryMirrorSetOptions: c.registryMirrorSetOptions ?? c.registryMirrorNodeOptions,
    });
  }

  private createOperator(props: SparkPlatformProps): ISparkOperator {
    if (props.existingOperator === undefined) {
      const operator = props.operator ?? {};
      return new SparkOperatorInstall(this.operatorChart, 'Operator', {
        ...operator,
        ...(props.pod === undefined ? {} : {
          controller: { ...operator.controller, pod: operator.controller?.pod ?? props.pod },
          webhook: { ...operator.webhook, pod: operator.webhook?.pod ?? props.pod },
        }),
        ...(props.monitoring === undefined || operator.monitoring !== undefined ? {} : { monitoring: prometheusOptions(props.monitoring) }),
      });
    }
    check(props.operator === undefined, this, 'operator', 'given',
      'left out when existingOperator is given (the platform installs no operator then)');
    return SparkOperator.fromExisting(this.operatorChart, 'Operator', props.existingOperator);
  }

  /** The dashboard in the services' chart, reading the installed operator's metric prefix. */
  private createDashboard(props: SparkPlatformProps): SparkGrafanaDashboard | undefined {
    const options = props.monitoring?.grafanaDashboard;
    if (options === undefined) {
      return undefined;
    }
    return new SparkGrafanaDashboard(this.servicesChart, 'GrafanaDashboard', {
      ...options,
      namespace: options.namespace ?? this.ensureServicesNamespace(),
      operatorMetricsPrefix: props.existingOperator === undefined ? props.operator?.metrics?.prefix : undefined,
    });
  }

  private createHistoryServer(history: SparkPlatformHistoryServerOptions,
    monitoring: PrometheusMonitoringOptions | undefined): SparkHistoryServer | undefined {
    check(history.enabled !== true || this.eventLog !== undefined, this, 'historyServer.enabled', true,
      'false, or an eventLog for the history server to read');
    if (!this.eventLog || history.enabled === false) {
      return undefined;
    }
    const { enabled: _enabled, ...options } = history;
    // Every option of the server; the store, namespace and image are the platform's.
    return new SparkHistoryServer(this.servicesChart, 'HistoryServer', {
      ...options,
      pod: options.pod ?? this.podOptions,
      monitoring: options.monitoring ?? monitoring,
      store: this.eventLog,
      namespace: this.ensureServicesNamespace(),
      image: this.image,
    });
  }

  private ensureServicesNamespace(): string {
    if (!this.servicesNamespace) {
      this.servicesNamespace = new k8s.KubeNamespace(this.servicesChart, 'Namespace', {
        metadata: {
          name: this.namespace,
          labels: {
            ...StandardLabels.of(this, { name: 'spark-platform', instance: this.namespace, component: 'namespace' }).all(),
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/audit': 'restricted',
            'pod-security.kubernetes.io/warn': 'restricted',
          },
        },
      });
    }
    return this.namespace;
  }

  /**
   * A layer's chart. cdk8s writes charts in the order they were created
   * unless dependencies say otherwise, and numbers the files (0000-…) only
   * when some chart depends on another. A chain of chart dependencies would
   * cost far more: cdk8s makes every object of a chart depend on every object
   * of the chart it depends on, then walks every path of that graph, so the
   * cost grows with the product of the charts' sizes (16 s for 1000 jobs
   * after five layers). Each layer depends on the first one only: the files
   * are numbered and in creation order, at a cost linear in their sizes.
   */
  private layerChart(id: string): Chart {
    const chart = new Chart(this, id);
    if (this.firstChart) {
      chart.addDependency(this.firstChart);
    } else {
      this.firstChart = chart;
    }
    return chart;
  }
}

/** The options every monitored part takes, without what only the tenants (prometheus) and the platform (the dashboard) read. */
function prometheusOptions(options: SparkPlatformMonitoringOptions): PrometheusMonitoringOptions {
  return {
    labels: options.labels,
    interval: options.interval,
    scrapeTimeout: options.scrapeTimeout,
    alerts: options.alerts,
    monitorNamespace: options.monitorNamespace,
  };
}
