import { createHash } from 'crypto';
import { ApiObject, App, Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu, ISecret, k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { RegistryStorage, RegistrySecretKeyRef } from './registry-storage';
import { RegistryTls } from './registry-tls';
import { RegistryUpstream, RegistryUpstreamCredentials } from './registry-upstream';
import { ClusterNetwork } from '../cluster/cluster-network';
import { ContainerdMirror, ContainerdMirrorOptions } from '../cluster/containerd';
import { StorageClassRef } from '../cluster/storage';
import { AppSlot } from '../core/app-context';
import { brand, isBranded } from '../core/brand';
import { renderCertificateTimes, renderIssuerRef } from '../core/cert-manager';
import { contains, parseCidr, parseIpv4 } from '../core/cidr';
import { cronProblem } from '../core/cron';
import { check } from '../core/errors';
import { isHostName, isIpv4, parseHostPort, validateHostPort } from '../core/host-port';
import { parseImageName } from '../core/image-name';
import { ImageMirrorOptions, ImageRegistryOverride } from '../core/image-registry-override';
import { StandardLabels } from '../core/labels';
import { guardLateChange } from '../core/late-change';
import { MonitorKind, PrometheusMonitoringOptions } from '../core/monitoring';
import { DnsNames } from '../core/names';
import { PodBuilder, PodContainerOptions } from '../core/pod-builder';
import { ResolvedPodOptions, resolvePodOptions } from '../core/pod-options';
import { checkMonitoring, emitMonitoring, monitorKind, PrometheusAlert, targetSelector, targetsDown } from '../core/prometheus';
import { memoryQuantity } from '../core/quantities';
import { renderResources } from '../core/resources';
import { SparkImage } from '../core/spark-image';
import {
  annotations as checkAnnotations, enumValue, integer, labels as checkLabels, mebibytes, nodePort, port, secretKey, secretRef,
  unprivilegedPort, wholeSeconds,
} from '../core/validate';
import { WorkloadIdentity } from '../core/workload-identity';
import { WorkloadPodOptions } from '../core/workload-pod-options';
import {
  METRICS_PATH, METRICS_PORT, REGISTRY_PATHS, REGISTRY_PORT, registryConfigData,
} from './private/config';
import { CheckedAuth, CheckedCredentials, CheckedGarbageCollection, commonEnv, restrictedNamespace } from './private/parts';
import { GCS_KEY_DIR, ResolvedStorage, resolveStorage } from './private/storage';

/** The distribution registry release the defaults use. */
export const REGISTRY_VERSION = '3.0.0';
const DEFAULT_IMAGE = `docker.io/library/registry:${REGISTRY_VERSION}`;
/**
 * The image of the object-storage garbage collection, which switches the
 * Deployment with kubectl: the Kubernetes project's own kubectl image, which
 * is debian-base with bash, coreutils (`timeout`) and dash as /bin/sh
 * (kubernetes/kubernetes build/server-image/kubectl/Dockerfile).
 */
const KUBECTL_IMAGE = 'registry.k8s.io/kubectl:v1.34.1';
/** The registry image runs as root unless told otherwise; these ids own its files on the volume. */
const REGISTRY_UID = 1000;
const NAME_MAX = 40;
const TIME_ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** Log level of the registry. */
export enum RegistryLogLevel {
  ERROR = 'error',
  WARN = 'warn',
  INFO = 'info',
  DEBUG = 'debug',
}

/** Pull-through cache settings. */
export interface RegistryProxyOptions {
  /** The registry the cache fetches from (exactly one per cache). */
  readonly upstream: RegistryUpstream;

  /**
   * Credentials for the upstream, e.g. to lift Docker Hub's rate limit for
   * anonymous pulls. They reach the registry as environment variables from
   * the Secret, never through the ConfigMap.
   * @default - anonymous pulls
   */
  readonly credentials?: RegistryUpstreamCredentials;

  /**
   * How long cached content is kept after it was fetched; `Duration.seconds(0)`
   * keeps it forever. Whole seconds.
   * @default Duration.days(7)
   */
  readonly ttl?: Duration;
}

/** htpasswd authentication from a Secret the user owns. */
export interface RegistryHtpasswdAuth {
  /**
   * The Secret holding an htpasswd file with bcrypt hashes
   * (`htpasswd -Bbn USER PASSWORD`).
   */
  readonly secret: ISecret;

  /**
   * Key of the htpasswd file in the Secret.
   * @default 'htpasswd'
   */
  readonly key?: string;

  /**
   * The authentication realm.
   * @default - the registry's name
   */
  readonly realm?: string;

  /**
   * Acknowledges that with `tls: RegistryTls.plainHttp()` every client sends
   * its user name and password in clear (HTTP basic authentication) to the
   * registry. Required for htpasswd over plain HTTP; refused with TLS, where
   * it would mean nothing.
   * @default false
   */
  readonly acknowledgeCleartextPasswords?: boolean;
}

/** An Ingress in front of the registry. */
export interface RegistryIngressOptions {
  /** The host name clients use, e.g. `registry.example.com`. */
  readonly host: string;

  /**
   * The IngressClass.
   * @default - the cluster's default IngressClass
   */
  readonly ingressClassName?: string;

  /**
   * TLS certificate Secret for the host (terminated by the ingress controller).
   * @default - no TLS section
   */
  readonly tlsSecret?: ISecret;

  /**
   * Annotations for the ingress controller. Pushing large layers usually
   * needs an unlimited request body (ingress-nginx:
   * `nginx.ingress.kubernetes.io/proxy-body-size: "0"`), and a registry that
   * serves TLS itself needs an HTTPS backend
   * (`nginx.ingress.kubernetes.io/backend-protocol: HTTPS`).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** The garbage-collection CronJob. */
export interface RegistryGarbageCollectionOptions {
  /**
   * Emit the CronJob. On an object store it also gets a ServiceAccount
   * `<name>-gc` (with the cloud identity's annotations: the cloud must trust
   * that ServiceAccount too) and a Role that may only read and patch the
   * registry's Deployment and list its pods.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * When it runs (five cron fields or a descriptor such as `@weekly`).
   * @default '30 3 * * 0' (Sundays, 03:30)
   */
  readonly schedule?: string;

  /**
   * Time zone of the schedule (IANA name, e.g. `Europe/Berlin`).
   * @default - the kube-controller-manager's time zone
   */
  readonly timeZone?: string;

  /**
   * Also delete manifests that no tag references (`--delete-untagged`).
   * Images pushed only by digest are then removed too.
   * @default - true for a private registry, false for a pull-through cache
   */
  readonly deleteUntagged?: boolean;

  /**
   * Longest time one collection may keep the registry read-only (the
   * lease and the Job's deadline), whole seconds from 5 minutes to 24 hours.
   * @default Duration.hours(1)
   */
  readonly maxDuration?: Duration;

  /**
   * Resources of the collection container.
   * @default - requests 100m CPU and 256 MiB, limits 1 CPU and 1 GiB
   */
  readonly resources?: ContainerResources;

  /**
   * Labels added to the collection's pods (the registry's `pod.labels` stay
   * on the registry's). The construct's own labels cannot be replaced.
   * @default - none
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Annotations of the collection's pods (the registry's `pod.annotations`
   * stay on the registry's).
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
}

/**
 * The registry's debug server (distribution's `http.debug`), which serves
 * its Prometheus metrics at `/metrics` (and Go's profiling pages: the
 * registry's Service does not expose it).
 */
export interface RegistryMetricsOptions {
  /**
   * Run the debug server. Monitoring needs it.
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The container port of the debug server (named `metrics`).
   * @default 5001
   */
  readonly port?: number;
}

/**
 * Options of {@link RegistryMirror}: everything a composite (such as SparkPlatform) may forward to it (e.g. RegistryMirrorSet.addMirror).
 */
export interface RegistryMirrorOptions {
  /**
   * Base name of the objects (Deployment, Service, ...); a DNS-1035 label of
   * at most 40 characters.
   * @default - 'registry', or 'mirror-<upstream>' (e.g. 'mirror-docker-io') for a pull-through cache
   */
  readonly name?: string;

  /**
   * Run as a pull-through cache of one upstream registry. Clients cannot
   * push to a cache.
   * @default - a private registry that accepts pushes
   */
  readonly proxy?: RegistryProxyOptions;

  /**
   * The registry image (pinned). Rewritten by any ImageRegistryOverride in
   * force, which must not point at this registry itself.
   * @default 'docker.io/library/registry:3.0.0'
   */
  readonly image?: string;

  /**
   * Where the registry keeps the images: `RegistryStorage.persistentVolume(…)`,
   * `.existingClaim(…)`, or an object store (`.s3(…)`, `.gcs(…)`,
   * `.azure(…)`), which several replicas can share. Refused beside
   * `storageSize` or `storageClass`.
   * @default - RegistryStorage.persistentVolume() with `storageSize` and `storageClass`
   */
  readonly storage?: RegistryStorage;

  /**
   * Number of registry pods (1 to 50). More than one needs object storage (a volume
   * is ReadWriteOnce), a private registry (the pull-through cache keeps its
   * expiry schedule in one state file each replica overwrites) and
   * `httpSecret`; they then roll one at a time, spread over the nodes, behind
   * a PodDisruptionBudget.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * The secret the registry signs upload state with (`http.secret`), from a
   * Secret the user owns: all replicas must share it, or an upload that
   * moves between them fails. Required with more than one replica.
   * @default - each registry process makes up its own at start
   */
  readonly httpSecret?: RegistrySecretKeyRef;

  /**
   * Size of the PersistentVolumeClaim (ReadWriteOnce) that holds the images.
   * @default Size.gibibytes(20)
   */
  readonly storageSize?: Size;

  /**
   * StorageClass of the claim: a {@link LocalPathProvisioner}'s class on a
   * kubeadm cluster, or `StorageClassRef.existing(name)` for a class the
   * cluster has. The app's storage check fails synthesis when the class is
   * neither emitted by the app nor stated to exist.
   * @default - the claim names no class and gets the cluster's default one:
   *            the app must emit a default StorageClass (a LocalPathProvisioner)
   *            or state one with `StorageClassRef.clusterDefault()`
   */
  readonly storageClass?: StorageClassRef;

  /**
   * Resources of the registry container.
   * @default - requests 100m CPU and 128 MiB, limits 1 CPU and 512 MiB
   */
  readonly resources?: ContainerResources;

  /**
   * htpasswd authentication.
   * @default - no authentication
   */
  readonly auth?: RegistryHtpasswdAuth;

  /**
   * The registry's transport security, a required choice:
   * `RegistryTls.fromSecret(…)`, `RegistryTls.certManager(…)`, or the explicit
   * `RegistryTls.plainHttp()`.
   */
  readonly tls: RegistryTls;

  /**
   * Redundant with `tls: RegistryTls.plainHttp()`, kept for existing code:
   * when set, it must agree with `tls`.
   * @default - whatever `tls` says
   * @deprecated use `tls: RegistryTls.plainHttp()`
   */
  readonly allowPlainHttp?: boolean;

  /**
   * Port of the Service.
   * @default 5000
   */
  readonly port?: number;

  /**
   * A fixed ClusterIP for the Service, inside the Service network. Nodes
   * reach a ClusterIP through kube-proxy without cluster DNS, which makes it
   * the simplest address for containerd.
   * @default - assigned by Kubernetes
   */
  readonly clusterIp?: string;

  /**
   * Expose the Service as a NodePort on this port (30000-32767).
   * @default - ClusterIP only
   */
  readonly nodePort?: number;

  /**
   * The `host[:port]` nodes and clients use to reach the registry (image
   * names, hosts.toml, image pull secrets).
   * @default - `<clusterIp>:<port>` when clusterIp is set, else the in-cluster
   *            name `<name>.<namespace>.svc:<port>` (which nodes cannot resolve)
   */
  readonly endpoint?: string;

  /**
   * An Ingress (networking.k8s.io/v1) in front of the Service.
   * @default - none
   */
  readonly ingress?: RegistryIngressOptions;

  /**
   * Where and how the registry's pod runs (node selector, tolerations,
   * affinity, priority class, labels, annotations, image pull secrets, extra
   * containers). The garbage-collection job gets the same, except the
   * affinity (it runs next to the registry's pod, on the node that has its
   * volume), the labels and annotations, and the sidecars (a container that
   * keeps running would keep the job from completing).
   * @default - none beyond the construct's own
   */
  readonly pod?: WorkloadPodOptions;

  /**
   * The debug server that serves the registry's Prometheus metrics.
   * @default - on, port 5001
   */
  readonly metrics?: RegistryMetricsOptions;

  /**
   * Monitoring by the Prometheus operator: a PodMonitor on the registry's
   * metrics port (`kind: MonitorKind.SERVICE_MONITOR`: a ServiceMonitor on a
   * Service of its own, `<name>-metrics`, so that the registry's Service
   * still does not expose the debug server) and a PrometheusRule alerting
   * when the registry is down, answers with server errors, or its volume is
   * nearly full (kubelet volume statistics, which Prometheus must scrape
   * with their own `namespace` label, as kube-prometheus-stack does). Needs
   * `metrics` enabled.
   * @default - none
   */
  readonly monitoring?: PrometheusMonitoringOptions;

  /**
   * The garbage-collection CronJob.
   * @default - weekly, see RegistryGarbageCollectionOptions
   */
  readonly garbageCollection?: RegistryGarbageCollectionOptions;

  /**
   * Log level.
   * @default RegistryLogLevel.INFO
   */
  readonly logLevel?: RegistryLogLevel;

  /**
   * A cloud identity for the registry (IRSA, GKE or Azure Workload
   * Identity), for cloud services it reaches without keys, such as
   * `RegistryStorage.s3()` or `.gcs()` without keys: the registry and its garbage collection then run as a
   * ServiceAccount of their own, named like the registry, with the
   * identity's annotations (and, for Azure, its label on the pods), still
   * without an API token.
   * @default - no ServiceAccount of its own: the namespace's default, without an API token
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Annotations of the registry's ServiceAccount; given, the registry gets a
   * ServiceAccount of its own as with `identity`, which refuses its keys here.
   * @default - none
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };
}

/**
 * Properties of {@link RegistryMirror}: its options plus what a composite supplies itself (the namespace, whether to emit it, the cluster network).
 */
export interface RegistryMirrorProps extends RegistryMirrorOptions {
  /**
   * Namespace of the objects.
   * @default 'registry'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * Emit the Namespace (labelled for the restricted Pod Security Standard).
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * The cluster's addressing: checks that `clusterIp` is a free address of
   * the Service network and gives the DNS domain for certificate names.
   * @default - clusterIp is checked for IPv4 syntax only; DNS domain 'cluster.local'
   */
  readonly network?: ClusterNetwork;
}

/**
 * A container registry in the cluster (the CNCF distribution registry):
 * either a private registry that accepts pushes, or a pull-through cache of
 * one upstream registry.
 *
 * It runs as a Deployment (one replica, `Recreate`, because its
 * PersistentVolumeClaim is ReadWriteOnce; on an object store, see
 * {@link RegistryStorage}, several replicas sharing `httpSecret`, rolling,
 * behind a PodDisruptionBudget) with the restricted security
 * context, a read-only root filesystem and no service account token; its
 * configuration comes from a ConfigMap, credentials only from Secrets the
 * user owns. A Service (ClusterIP, optionally NodePort) and an optional
 * Ingress expose it; Prometheus metrics are served on port 5001.
 *
 * Deleting is enabled, and a CronJob collects garbage. Garbage collection is
 * only safe while nothing is pushed, so the CronJob first makes the registry
 * serve read-only. On a volume it writes a lease onto the shared volume, the
 * registry container's entrypoint restarts the registry read-only and
 * acknowledges, the collection runs, and the registry returns to read-write
 * (pulls keep working throughout, apart from two sub-second restarts). On an
 * object store (opt-in, any number of replicas) it rolls the Deployment out
 * with a read-only deadline in the pod template, waits until no pod of the
 * old template is left, collects, and rolls it back, also after a failure
 * (with one replica, a pull-through cache is briefly unavailable at each
 * switch). Either lease expires on its own, so a failed collection never
 * leaves the registry read-only for long.
 *
 * Nodes use it through {@link RegistryMirror.containerdMirror} and
 * `KubeadmClusterPrereqs.registryMirrors`; manifests through
 * {@link RegistryMirror.imageOverride}.
 *
 * @example
 * // A private registry for your images; the nodes reach it on a fixed Service IP.
 * new RegistryMirror(registries, 'Registry', {
 *   namespace: 'registry',
 *   tls,
 *   auth: { secret: htpasswd },
 *   clusterIp: '10.96.0.53',
 *   storageClass: StorageClassRef.existing('standard'), // a class of your cluster
 * });
 */
export class RegistryMirror extends Construct {
  /** True when `x` is a {@link RegistryMirror} (also from another copy of the library, where `instanceof` fails). */
  public static isRegistryMirror(x: any): x is RegistryMirror {
    return isBranded(x, 'RegistryMirror');
  }

  /** Base name of the objects. */
  public readonly name: string;
  /**
   * Namespace of the objects.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The Service's name. */
  public readonly serviceName: string;
  /** The Service's port. */
  public readonly port: number;
  /** `host[:port]` nodes and clients use to reach the registry. */
  public readonly endpoint: string;
  /** True when nodes can reach `endpoint` without cluster DNS. */
  public readonly endpointReachableFromNodes: boolean;
  /** The registry's URL (`https://<endpoint>`, or `http://` when serving plain HTTP). */
  public readonly url: string;
  /** True when the registry serves plain HTTP. */
  public readonly plainHttp: boolean;
  /** The upstream of a pull-through cache. */
  public readonly upstream?: RegistryUpstream;
  /** The registry image, as emitted. */
  public readonly image: string;
  /** Name of the Secret the registry's TLS certificate is read from, when serving TLS. */
  public readonly tlsSecretName?: string;
  /** The Namespace, when emitted. */
  public readonly namespaceObject?: k8s.KubeNamespace;
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service. */
  public readonly service: k8s.KubeService;
  /** The PersistentVolumeClaim, when the registry emits one (`RegistryStorage.persistentVolume()`). */
  public readonly claim?: k8s.KubePersistentVolumeClaim;
  /** The PodDisruptionBudget, with more than one replica. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** Number of registry pods. */
  public readonly replicas: number;
  /** The ConfigMap with configuration and entrypoint scripts. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The cert-manager Certificate, when cert-manager issues the TLS certificate. */
  public readonly certificate?: ApiObject;
  /** The Ingress, when requested. */
  public readonly ingress?: k8s.KubeIngress;
  /** The garbage-collection CronJob, when enabled. */
  public readonly garbageCollection?: k8s.KubeCronJob;
  /** The registry's ServiceAccount, when it has a cloud identity or ServiceAccount annotations. */
  public readonly serviceAccount?: k8s.KubeServiceAccount;
  /** The registry's cloud identity, when given. */
  public readonly identity?: WorkloadIdentity;
  /** Content of the read-write configuration (`config.yml`). */
  public readonly config: string;
  /** The Service of the debug server, when monitoring uses a ServiceMonitor. */
  public readonly metricsService?: k8s.KubeService;
  /** The port of the debug server; undefined when it is off. */
  private readonly metricsPort?: number;

  constructor(scope: Construct, id: string, props: RegistryMirrorProps) {
    super(scope, id);
    brand(this, 'RegistryMirror');

    // ---- mode and names ------------------------------------------------------
    const proxy = props.proxy;
    if (proxy !== undefined) {
      check(RegistryUpstream.isRegistryUpstream(proxy.upstream), this, 'proxy.upstream', proxy.upstream,
        'a RegistryUpstream, e.g. RegistryUpstream.dockerHub(): a pull-through cache needs exactly one upstream');
      this.upstream = proxy.upstream;
    }
    this.name = DnsNames.validateDns1035Label(this, 'name',
      props.name ?? (this.upstream ? DnsNames.join(['mirror', this.upstream.shortName], NAME_MAX) : 'registry'), NAME_MAX);
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? 'registry');
    this.serviceName = this.name;
    this.port = port(this, 'port', props.port ?? REGISTRY_PORT);
    const logLevel = enumValue(this, 'logLevel', props.logLevel ?? RegistryLogLevel.INFO, RegistryLogLevel);

    const tls = this.checkTls(props);
    this.plainHttp = tls.isPlainHttp;

    this.checkAddresses(props);
    const dnsDomain = props.network?.dnsDomain ?? 'cluster.local';
    const serviceHost = `${this.serviceName}.${this.namespace}.svc`;
    this.endpoint = props.endpoint ?? (props.clusterIp !== undefined ? `${props.clusterIp}:${this.port}` : `${serviceHost}:${this.port}`);
    this.endpointReachableFromNodes = props.endpoint !== undefined || props.clusterIp !== undefined;
    this.url = `${this.plainHttp ? 'http' : 'https'}://${this.endpoint}`;

    // ---- image ------------------------------------------------------------
    this.image = this.resolveImage(props.image ?? DEFAULT_IMAGE);

    this.identity = WorkloadIdentity._checked(this, 'identity', props.identity);
    const storage = this.checkStorage(props);
    this.replicas = storage.replicas;
    this.metricsPort = this.checkMetrics(props.metrics);
    const auth = this.checkAuth(props.auth);
    const { ttl, credentials } = this.checkProxy(proxy);
    const gc = this.checkGarbageCollection(props.garbageCollection ?? {}, storage.resolved);
    this.checkIngress(props.ingress);

    // ---- objects -------------------------------------------------------------------
    const labels = StandardLabels.of(this, { name: 'registry', instance: this.name, component: 'registry', version: REGISTRY_VERSION });
    const ns = this.namespace;
    const names = { config: `${this.name}-config`, data: `${this.name}-data`, tls: `${this.name}-tls`, gc: `${this.name}-gc` };
    if (props.createNamespace ?? true) {
      this.namespaceObject = restrictedNamespace(this, ns, labels);
    }

    const configData = registryConfigData({
      logLevel,
      metricsPort: this.metricsPort,
      tls: !this.plainHttp,
      htpasswdRealm: auth?.realm,
      proxy: this.upstream && ttl !== undefined ? { remoteUrl: this.upstream.url, ttl } : undefined,
      driver: storage.resolved.driver,
      disableRedirect: storage.resolved.disableRedirect,
    }, storage.resolved.objectStorage);
    this.config = configData['config.yml'];
    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: names.config, namespace: ns, labels: labels.all() },
      data: configData,
    });

    this.claim = this.createClaim(names.data, storage.resolved, labels);

    if (tls._certManager) {
      this.tlsSecretName = names.tls;
      this.certificate = this.createCertificate(tls._certManager, names.tls, serviceHost, dnsDomain, props, labels);
    } else if (tls._secret) {
      this.tlsSecretName = tls._secret.name;
    }

    this.serviceAccount = this.createServiceAccount(props, labels);
    const podOptions = resolvePodOptions(this, 'pod', props.pod);
    for (const extra of [...podOptions?.initContainers ?? [], ...podOptions?.sidecars ?? []]) {
      this.refuseSelfPull(`${extra.property}.image`, extra.image);
    }
    const pod = this.registryPod(props, { ...names, storage: storage.resolved, httpSecret: storage.httpSecret }, tls, auth, credentials);
    pod.applyPodOptions(podOptions);
    pod.addAnnotation('cdk8s-spark/config-hash', createHash('sha256').update(JSON.stringify(configData)).digest('hex').slice(0, 16));
    this.deployment = this.createDeployment(pod, labels, storage.resolved);
    this.podDisruptionBudget = this.createDisruptionBudget(labels);

    this.service = this.createService(props, labels);
    this.metricsService = this.monitor(props.monitoring, labels, storage.resolved);

    if (props.ingress !== undefined) {
      this.ingress = this.createIngress(props.ingress, labels);
    }
    if (gc.enabled) {
      this.garbageCollection = this.createGarbageCollection(props.garbageCollection ?? {}, gc, { ...names, storage: storage.resolved }, labels,
        podOptions);
    }

    const sameNamespace = MIRRORS_BY_NAMESPACE.of(this);
    sameNamespace.set(this.namespace, [...(sameNamespace.get(this.namespace) ?? []), this]);
    this.node.addValidation({ validate: () => this.validateApp() });
    guardLateChange(this, 'ingress.annotations', () => props.ingress?.annotations, 'give the final annotations when creating the RegistryMirror');
  }

  /** The registry's own image, which must come from another registry. */
  private resolveImage(image: string): string {
    const resolved = ImageRegistryOverride.resolve(this, image);
    this.refuseSelfPull('image', resolved);
    return resolved;
  }

  /** An image of the registry's pod (resolved) must come from another registry: the pod cannot pull from itself. */
  private refuseSelfPull(property: string, resolved: string): void {
    const imageRegistry = parseImageName(this, property, resolved).registry;
    check(imageRegistry !== this.endpoint && imageRegistry !== `${this.serviceName}.${this.namespace}.svc:${this.port}`,
      this, property, resolved,
      'an image from another registry: the registry cannot pull its own image from itself (apply the ImageRegistryOverride to a scope that does not contain it)');
  }

  private createClaim(name: string, storage: ResolvedStorage, labels: StandardLabels): k8s.KubePersistentVolumeClaim | undefined {
    if (storage.newClaim === undefined) {
      return undefined;
    }
    const { storageMib, storageClass } = storage.newClaim;
    return new k8s.KubePersistentVolumeClaim(this, 'Data', {
      metadata: { name, namespace: this.namespace, labels: labels.all() },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...storageClass?.claimFields(),
        resources: { requests: { storage: k8s.Quantity.fromString(memoryQuantity(storageMib * 1024)) } },
      },
    });
  }

  /** The registry's debug server port, or undefined when it is off. */
  private checkMetrics(metrics: RegistryMetricsOptions | undefined): number | undefined {
    if (metrics?.enabled === false) {
      check(metrics.port === undefined, this, 'metrics.port', metrics.port, 'left out while metrics.enabled is false');
      return undefined;
    }
    const metricsPort = unprivilegedPort(this, 'metrics.port', metrics?.port ?? METRICS_PORT);
    check(metricsPort !== REGISTRY_PORT, this, 'metrics.port', metricsPort, `another port than the registry's own (${REGISTRY_PORT})`);
    return metricsPort;
  }

  /** The registry Deployment, scraped by Prometheus on the debug port. */
  private createDeployment(pod: PodBuilder, labels: StandardLabels, storage: ResolvedStorage): k8s.KubeDeployment {
    if (this.metricsPort !== undefined) {
      pod.addAnnotation('prometheus.io/scrape', 'true');
      pod.addAnnotation('prometheus.io/port', String(this.metricsPort));
      pod.addAnnotation('prometheus.io/path', METRICS_PATH);
    }
    if (this.replicas > 1) {
      pod.spreadAcrossNodes(labels.selector());
    }
    return new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: labels.all() },
      spec: {
        replicas: this.replicas,
        // One pod at a time on a ReadWriteOnce volume, and for a pull-through cache (one expiry schedule);
        // a private registry on an object store rolls without a gap.
        strategy: storage.objectStorage && !this.upstream
          ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } }
          : { type: 'Recreate' },
        revisionHistoryLimit: 3,
        selector: { matchLabels: labels.selector() },
        template: pod.renderTemplate(this.podLabels(labels)),
      },
    });
  }

  /** With several replicas, a node drain takes down one at a time. */
  private createDisruptionBudget(labels: StandardLabels): k8s.KubePodDisruptionBudget | undefined {
    if (this.replicas < 2) {
      return undefined;
    }
    return new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name: this.name, namespace: this.namespace, labels: labels.all() },
      spec: { minAvailable: k8s.IntOrString.fromNumber(this.replicas - 1), selector: { matchLabels: labels.selector() } },
    });
  }

  /** The storage, the number of replicas it allows, and the shared http.secret they need. */
  private checkStorage(props: RegistryMirrorProps): { resolved: ResolvedStorage; replicas: number; httpSecret?: RegistrySecretKeyRef } {
    const resolved = resolveStorage(this, props.storage, { size: props.storageSize, storageClass: props.storageClass }, this.identity,
      (volume) => this.checkStorageSize(volume.size ?? Size.gibibytes(20)));
    const replicas = integer(this, 'replicas', props.replicas ?? 1, { min: 1, max: 50 });
    check(replicas === 1 || resolved.objectStorage, this, 'replicas', replicas,
      '1 with a volume (it is ReadWriteOnce): use RegistryStorage.s3(), .gcs() or .azure() for several replicas');
    check(replicas === 1 || !this.upstream, this, 'replicas', replicas,
      '1 for a pull-through cache: each replica keeps the cache\'s expiry schedule in memory and overwrites the one state file '
      + 'with its own (distribution registry/proxy/scheduler), so a restarted replica loses the others\' entries and their content never expires');
    check(replicas === 1 || props.httpSecret !== undefined, this, 'httpSecret', undefined,
      'a Secret key with several replicas: they must share the secret that signs upload state (http.secret)');
    if (props.httpSecret === undefined) {
      return { resolved, replicas };
    }
    const httpSecret = {
      secret: secretRef(this, 'httpSecret.secret', props.httpSecret.secret),
      key: secretKey(this, 'httpSecret.key', props.httpSecret.key),
    };
    return { resolved, replicas, httpSecret };
  }

  /**
   * The registry's own ServiceAccount, when it has a cloud identity or
   * ServiceAccount annotations. The registry never calls the Kubernetes
   * API: no token (the AWS and Azure webhooks project a token of their own
   * audience).
   */
  private createServiceAccount(props: RegistryMirrorProps, labels: StandardLabels): k8s.KubeServiceAccount | undefined {
    if (this.identity === undefined && props.serviceAccountAnnotations === undefined) {
      return undefined;
    }
    const given = props.serviceAccountAnnotations;
    guardLateChange(this, 'serviceAccountAnnotations', () => given, 'give the final annotations when creating the RegistryMirror');
    const annotations = WorkloadIdentity._serviceAccountAnnotations(this, 'serviceAccountAnnotations', given, this.identity);
    return new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, namespace: this.namespace, labels: labels.all(), ...(annotations ? { annotations } : {}) },
      automountServiceAccountToken: false,
    });
  }

  /** A pod's labels: `labels`, and those the registry's cloud identity needs (Azure). */
  /** The collection pods' labels (the user's beside the construct's, which cannot be replaced) and annotations. */
  private gcPodMetadata(options: RegistryGarbageCollectionOptions, gcLabels: StandardLabels) {
    const own = this.podLabels(gcLabels);
    checkLabels(this, 'garbageCollection.podLabels', options.podLabels);
    for (const key of Object.keys(options.podLabels ?? {})) {
      check(!(key in own), this, 'garbageCollection.podLabels', key, `a label other than the construct's own (${Object.keys(own).join(', ')})`);
    }
    const podAnnotations = checkAnnotations(this, 'garbageCollection.podAnnotations', options.podAnnotations);
    return {
      labels: { ...options.podLabels, ...own },
      ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}),
    };
  }

  private podLabels(labels: StandardLabels): { [key: string]: string } {
    return WorkloadIdentity._podLabels(this, 'labels', labels.all(), this.identity)!;
  }

  /** The transport security: a required choice, and the deprecated opt-in must agree with it. */
  private checkTls(props: RegistryMirrorProps): RegistryTls {
    const tls = props.tls;
    check(RegistryTls.isRegistryTls(tls), this, 'tls', tls,
      'RegistryTls.fromSecret(), RegistryTls.certManager(), or the explicit RegistryTls.plainHttp()');
    const allowPlainHttp = props.allowPlainHttp;
    if (allowPlainHttp !== undefined) {
      check(typeof allowPlainHttp === 'boolean', this, 'allowPlainHttp', allowPlainHttp, 'true or false');
      check(allowPlainHttp === tls.isPlainHttp, this, 'allowPlainHttp', allowPlainHttp,
        tls.isPlainHttp ? 'true (or unset) with RegistryTls.plainHttp()' : 'false (or unset) when tls is given');
    }
    return tls;
  }

  private checkAddresses(props: RegistryMirrorProps): void {
    if (props.clusterIp !== undefined) {
      checkClusterIp(this, props.clusterIp, props.network);
    }
    if (props.network !== undefined) {
      check(ClusterNetwork.isClusterNetwork(props.network), this, 'network', typeof props.network, 'a ClusterNetwork construct');
    }
    if (props.nodePort !== undefined) {
      nodePort(this, 'nodePort', props.nodePort);
    }
    if (props.endpoint !== undefined) {
      validateHostPort(this, 'endpoint', props.endpoint);
    }
  }

  private checkStorageSize(storageSize: Size): number {
    const storageMib = mebibytes(this, 'storageSize', storageSize);
    check(storageMib >= 1024, this, 'storageSize', `${storageMib} MiB`, 'at least 1 GiB, in whole MiB');
    return storageMib;
  }

  private checkAuth(auth: RegistryHtpasswdAuth | undefined): CheckedAuth | undefined {
    if (auth === undefined) {
      return undefined;
    }
    secretRef(this, 'auth.secret', auth.secret);
    const acknowledged = auth.acknowledgeCleartextPasswords;
    check(acknowledged === undefined || typeof acknowledged === 'boolean', this, 'auth.acknowledgeCleartextPasswords', acknowledged, 'true or false');
    check(!this.plainHttp || acknowledged === true, this, 'auth', 'htpasswd over plain HTTP',
      'TLS for password authentication (RegistryTls.fromSecret() or .certManager()); over RegistryTls.plainHttp() every client '
      + 'sends its password in clear, which needs the explicit auth.acknowledgeCleartextPasswords: true');
    check(this.plainHttp || acknowledged !== true, this, 'auth.acknowledgeCleartextPasswords', acknowledged,
      'unset with TLS: passwords travel encrypted');
    const htpasswdKey = secretKey(this, 'auth.key', auth.key ?? 'htpasswd');
    const realm = auth.realm ?? this.name;
    check(typeof realm === 'string' && /^[\x21-\x7e ]{1,128}$/.test(realm) && !realm.includes('"'), this, 'auth.realm', realm,
      'printable ASCII without double quotes, at most 128 characters');
    return { secret: auth.secret, htpasswdKey, realm };
  }

  private checkProxy(proxy: RegistryProxyOptions | undefined): { ttl?: string; credentials?: CheckedCredentials } {
    if (proxy === undefined) {
      return {};
    }
    const ttlSeconds = wholeSeconds(this, 'proxy.ttl', proxy.ttl ?? Duration.days(7), { min: 0 });
    check(ttlSeconds >= 0, this, 'proxy.ttl', `${ttlSeconds}s`, 'zero (keep forever) or more seconds');
    const ttl = ttlSeconds % 3600 === 0 ? `${ttlSeconds / 3600}h` : `${ttlSeconds}s`;
    if (proxy.credentials === undefined) {
      return { ttl };
    }
    secretRef(this, 'proxy.credentials.secret', proxy.credentials.secret);
    return {
      ttl,
      credentials: {
        secret: proxy.credentials.secret,
        usernameKey: secretKey(this, 'proxy.credentials.usernameKey', proxy.credentials.usernameKey ?? 'username'),
        passwordKey: secretKey(this, 'proxy.credentials.passwordKey', proxy.credentials.passwordKey ?? 'password'),
      },
    };
  }

  private checkGarbageCollection(gc: RegistryGarbageCollectionOptions, storage: ResolvedStorage): CheckedGarbageCollection {
    const schedule = gc.schedule ?? '30 3 * * 0';
    const problem = cronProblem(schedule);
    check(problem === undefined, this, 'garbageCollection.schedule', schedule, problem ?? '');
    if (gc.timeZone !== undefined) {
      check(typeof gc.timeZone === 'string' && TIME_ZONE.test(gc.timeZone), this, 'garbageCollection.timeZone', gc.timeZone,
        'an IANA time zone name such as "Etc/UTC" or "Europe/Berlin"');
    }
    const seconds = wholeSeconds(this, 'garbageCollection.maxDuration', gc.maxDuration ?? Duration.hours(1), { min: 0 });
    check(seconds >= 300 && seconds <= 86400, this, 'garbageCollection.maxDuration', `${seconds}s`,
      'from 5 minutes to 24 hours');
    check(gc.enabled === undefined || typeof gc.enabled === 'boolean', this, 'garbageCollection.enabled', gc.enabled, 'true or false');
    // On an object store it is opt-in: it needs API access (its own ServiceAccount, which a cloud identity must trust too)
    // and rolls the Deployment twice.
    return {
      enabled: gc.enabled ?? !storage.objectStorage, schedule, seconds, deleteUntagged: gc.deleteUntagged ?? this.upstream === undefined,
    };
  }

  private checkIngress(ingress: RegistryIngressOptions | undefined): void {
    if (ingress === undefined) {
      return;
    }
    check(typeof ingress.host === 'string' && isHostName(ingress.host) && ingress.host === ingress.host.toLowerCase(),
      this, 'ingress.host', ingress.host, 'a lowercase DNS name, e.g. "registry.example.com"');
    if (ingress.ingressClassName !== undefined) {
      DnsNames.validateSubdomain(this, 'ingress.ingressClassName', ingress.ingressClassName);
    }
    if (ingress.tlsSecret !== undefined) {
      secretRef(this, 'ingress.tlsSecret', ingress.tlsSecret);
    }
  }

  /** The cert-manager Certificate: every name and address the registry is reached at. */
  private createCertificate(cm: NonNullable<RegistryTls['_certManager']>, name: string, serviceHost: string, dnsDomain: string,
    props: RegistryMirrorProps, labels: StandardLabels): ApiObject {
    const endpointHost = parseHostPort(this.endpoint)!;
    const dnsNames = unique([
      this.serviceName, `${this.serviceName}.${this.namespace}`, serviceHost, `${serviceHost}.${dnsDomain}`,
      ...(props.ingress ? [props.ingress.host] : []),
      ...(!endpointHost.isIpv4 ? [endpointHost.host.toLowerCase()] : []),
      ...cm.dnsNames,
    ]);
    const ipAddresses = unique([
      ...(props.clusterIp !== undefined ? [props.clusterIp] : []),
      ...(endpointHost.isIpv4 ? [endpointHost.host] : []),
      ...cm.ipAddresses,
    ]);
    return new ApiObject(this, 'Certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name, namespace: this.namespace, labels: labels.all() },
      spec: {
        secretName: name,
        commonName: serviceHost,
        dnsNames,
        ...(ipAddresses.length > 0 ? { ipAddresses } : {}),
        issuerRef: renderIssuerRef(cm.issuer),
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        usages: ['server auth', 'digital signature', 'key encipherment'],
        ...renderCertificateTimes(cm),
      },
    });
  }

  /** The PodMonitor on the registry's metrics port (or a ServiceMonitor on a Service of it), and its alerts, when asked for. */
  private monitor(options: PrometheusMonitoringOptions | undefined, labels: StandardLabels, storage: ResolvedStorage): k8s.KubeService | undefined {
    const monitoring = checkMonitoring(this, 'monitoring', options);
    if (monitoring === undefined) {
      return undefined;
    }
    check(this.metricsPort !== undefined, this, 'monitoring', 'set', 'metrics enabled (metrics.enabled true): it scrapes the debug server');
    const kind = monitorKind(this, monitoring, MonitorKind.POD_MONITOR);
    let selector = labels.selector();
    let service: string | undefined;
    let metricsService: k8s.KubeService | undefined;
    if (kind === MonitorKind.SERVICE_MONITOR) {
      // A Service of its own, with a component label of its own: the ServiceMonitor selects it only.
      const metricsLabels = labels.forComponent(this, 'metrics');
      service = `${this.name}-metrics`;
      metricsService = new k8s.KubeService(this, 'MetricsService', {
        metadata: { name: service, namespace: this.namespace, labels: metricsLabels.all() },
        spec: {
          type: 'ClusterIP',
          selector: labels.selector(),
          ports: [{ name: 'metrics', port: this.metricsPort!, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP', appProtocol: 'http' }],
        },
      });
      selector = metricsLabels.selector();
    }
    const target = targetSelector(this, monitoring, { kind, name: this.name, namespace: this.namespace, service, targetLabels: selector });
    emitMonitoring(new Construct(this, 'Monitoring'), monitoring, {
      kind,
      name: this.name,
      namespace: this.namespace,
      labels: labels.all(),
      selector,
      endpoints: [{ port: 'metrics', path: METRICS_PATH }],
      // An object store has no volume to fill; an existing claim is watched like the registry's own.
      alerts: registryAlerts(this.namespace, this.name, target, storage.objectStorage ? undefined : this.claim?.name ?? storage.existingClaim),
    });
    return metricsService;
  }

  /** A pod of this registry's user with the configuration, the data and a small /tmp mounted into `container`. */
  private storagePod(names: PodNames, container: PodContainerOptions, terminationGracePeriodSeconds?: number,
    apiAccount?: string): PodBuilder {
    const pod = new PodBuilder(this, {
      runAsUser: REGISTRY_UID,
      fsGroupChangePolicy: 'OnRootMismatch',
      terminationGracePeriodSeconds,
      serviceAccountName: apiAccount ?? this.serviceAccount?.name,
      automountServiceAccountToken: apiAccount !== undefined,
    });
    pod.addContainer(container);
    pod.addVolume({ name: 'config', configMap: { name: names.config } });
    pod.addVolumeMount(container.name, { name: 'config', mountPath: REGISTRY_PATHS.configDir, readOnly: true });
    const storage = names.storage;
    if (!storage.objectStorage) {
      pod.addVolume({ name: 'data', persistentVolumeClaim: { claimName: storage.existingClaim ?? names.data } });
      pod.addVolumeMount(container.name, { name: 'data', mountPath: REGISTRY_PATHS.data });
    }
    if (storage.keyFile !== undefined) {
      pod.addVolume({ name: 'gcs-key', secret: { secretName: storage.keyFile.secret.name, items: [{ key: storage.keyFile.key, path: 'key.json' }] } });
      pod.addVolumeMount(container.name, { name: 'gcs-key', mountPath: GCS_KEY_DIR, readOnly: true });
    }
    pod.addEnv(container.name, ...storage.env);
    pod.addScratch('tmp', REGISTRY_PATHS.tmp, [container.name], { sizeLimit: k8s.Quantity.fromString('64Mi') });
    return pod;
  }

  private registryPod(props: RegistryMirrorProps, names: PodNames, tls: RegistryTls,
    auth: CheckedAuth | undefined, credentials: CheckedCredentials | undefined): PodBuilder {
    const scheme = this.plainHttp ? 'HTTP' : 'HTTPS';
    const pod = this.storagePod(names, {
      name: 'registry',
      image: this.image,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', REGISTRY_PATHS.runScript],
      env: [
        ...commonEnv(names.storage.objectStorage),
        { name: 'REGISTRY_READ_ONLY_CONFIG', value: REGISTRY_PATHS.readOnlyConfig },
        ...(names.httpSecret ? [{ name: 'REGISTRY_HTTP_SECRET', valueFrom: { secretKeyRef: { name: names.httpSecret.secret.name, key: names.httpSecret.key } } }] : []),
        ...(credentials ? [
          { name: 'REGISTRY_PROXY_USERNAME', valueFrom: { secretKeyRef: { name: credentials.secret.name, key: credentials.usernameKey } } },
          { name: 'REGISTRY_PROXY_PASSWORD', valueFrom: { secretKeyRef: { name: credentials.secret.name, key: credentials.passwordKey } } },
        ] : []),
      ],
      ports: [
        { name: 'registry', containerPort: REGISTRY_PORT, protocol: 'TCP' },
        ...(this.metricsPort !== undefined ? [{ name: 'metrics', containerPort: this.metricsPort, protocol: 'TCP' }] : []),
      ],
      // GET / answers 200 without authentication, and 503 once the storage health check fails.
      readinessProbe: {
        httpGet: { path: '/', port: k8s.IntOrString.fromString('registry'), scheme },
        periodSeconds: 5,
        failureThreshold: 2,
        timeoutSeconds: 3,
      },
      // A TCP check: the registry restarts into and out of read-only mode within a second.
      livenessProbe: {
        tcpSocket: { port: k8s.IntOrString.fromString('registry') },
        initialDelaySeconds: 10,
        periodSeconds: 10,
        failureThreshold: 6,
        timeoutSeconds: 3,
      },
      resources: renderResources(this, 'resources', props.resources, {
        cpuRequest: Cpu.millis(100),
        cpuLimit: Cpu.units(1),
        memoryRequest: Size.mebibytes(128),
        memoryLimit: Size.mebibytes(512),
      }),
    }, 30);
    if (auth !== undefined) {
      pod.addVolume({ name: 'auth', secret: { secretName: auth.secret.name, items: [{ key: auth.htpasswdKey, path: 'htpasswd' }] } });
      pod.addVolumeMount('registry', { name: 'auth', mountPath: REGISTRY_PATHS.authDir, readOnly: true });
    }
    if (this.tlsSecretName !== undefined) {
      pod.addVolume({
        name: 'tls',
        secret: {
          secretName: this.tlsSecretName,
          items: [{ key: tls._certificateKey, path: 'tls.crt' }, { key: tls._privateKeyKey, path: 'tls.key' }],
        },
      });
      pod.addVolumeMount('registry', { name: 'tls', mountPath: REGISTRY_PATHS.tlsDir, readOnly: true });
    }
    return pod;
  }

  /** The Service: a fixed ClusterIP or NodePort when asked, the protocol the registry speaks. */
  private createService(props: RegistryMirrorProps, labels: StandardLabels): k8s.KubeService {
    return new k8s.KubeService(this, 'Service', {
      metadata: { name: this.serviceName, namespace: this.namespace, labels: labels.all() },
      spec: {
        type: props.nodePort !== undefined ? 'NodePort' : 'ClusterIP',
        ...(props.clusterIp !== undefined ? { clusterIp: props.clusterIp } : {}),
        selector: labels.selector(),
        ports: [{
          name: 'registry',
          port: this.port,
          targetPort: k8s.IntOrString.fromString('registry'),
          protocol: 'TCP',
          appProtocol: this.plainHttp ? 'http' : 'https',
          ...(props.nodePort !== undefined ? { nodePort: props.nodePort } : {}),
        }],
      },
    });
  }

  private createIngress(ingress: RegistryIngressOptions, labels: StandardLabels): k8s.KubeIngress {
    return new k8s.KubeIngress(this, 'Ingress', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: labels.all(),
        ...(ingress.annotations && Object.keys(ingress.annotations).length > 0 ? { annotations: { ...ingress.annotations } } : {}),
      },
      spec: {
        ...(ingress.ingressClassName !== undefined ? { ingressClassName: ingress.ingressClassName } : {}),
        ...(ingress.tlsSecret !== undefined ? { tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecret.name }] } : {}),
        rules: [{
          host: ingress.host,
          http: {
            paths: [{
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: this.serviceName, port: { name: 'registry' } } },
            }],
          },
        }],
      },
    });
  }

  private createGarbageCollection(options: RegistryGarbageCollectionOptions, gc: CheckedGarbageCollection,
    names: PodNames & { gc: string }, labels: StandardLabels, podOptions?: ResolvedPodOptions): k8s.KubeCronJob {
    const gcLabels = labels.forComponent(this, 'garbage-collection');
    const onVolume = !names.storage.objectStorage;
    const pod = onVolume ? this.volumeGcPod(options, gc, names) : this.objectStoreGcPod(options, gc, names, labels, gcLabels);
    // The registry pod's scheduling, without its affinity (the job has its own on a volume);
    // no sidecars, which would keep the Job from completing (its init containers run, as in the registry's pod).
    pod.applyPodOptions(podOptions && { ...podOptions, affinity: undefined, labels: {}, annotations: {}, sidecars: [] });
    return new k8s.KubeCronJob(this, 'GarbageCollection', {
      metadata: { name: names.gc, namespace: this.namespace, labels: gcLabels.all() },
      spec: {
        schedule: gc.schedule,
        ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels: gcLabels.all() },
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: gc.seconds,
            template: {
              // The job reads and deletes in the storage: the registry's identity too.
              metadata: this.gcPodMetadata(options, gcLabels),
              spec: {
                restartPolicy: 'Never',
                ...pod.renderSpec(),
                // The volume is ReadWriteOnce: run next to the registry pod, on the node that has it.
                ...(onVolume ? {
                  affinity: {
                    podAffinity: {
                      requiredDuringSchedulingIgnoredDuringExecution: [{
                        labelSelector: { matchLabels: labels.selector() },
                        topologyKey: 'kubernetes.io/hostname',
                      }],
                    },
                  },
                } : {}),
              },
            },
          },
        },
      },
    });
  }

  private gcResources(options: RegistryGarbageCollectionOptions): k8s.ResourceRequirements {
    return renderResources(this, 'garbageCollection.resources', options.resources, {
      cpuRequest: Cpu.millis(100),
      cpuLimit: Cpu.units(1),
      memoryRequest: Size.mebibytes(256),
      memoryLimit: Size.gibibytes(1),
    });
  }

  /** The lease-file collection on the registry's volume (see private/scripts.ts). */
  private volumeGcPod(options: RegistryGarbageCollectionOptions, gc: CheckedGarbageCollection, names: PodNames): PodBuilder {
    return this.storagePod(names, {
      name: 'garbage-collect',
      image: this.image,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', REGISTRY_PATHS.gcScript],
      env: [
        ...commonEnv(),
        { name: 'LEASE_SECONDS', value: String(gc.seconds) },
        { name: 'ACK_TIMEOUT_SECONDS', value: '120' },
        { name: 'DELETE_UNTAGGED', value: String(gc.deleteUntagged) },
      ],
      resources: this.gcResources(options),
    });
  }

  /**
   * The rollout collection on an object store (see private/scripts.ts): kubectl switches the Deployment, the
   * registry binary (static, copied from the registry image) collects with the registry's configuration and credentials.
   */
  private objectStoreGcPod(options: RegistryGarbageCollectionOptions, gc: CheckedGarbageCollection, names: PodNames & { gc: string },
    labels: StandardLabels, gcLabels: StandardLabels): PodBuilder {
    const account = this.createGcAccess(names.gc, gcLabels);
    const selector = Object.entries(labels.selector()).map(([k, v]) => `${k}=${v}`).join(',');
    const pod = this.storagePod(names, {
      name: 'garbage-collect',
      image: ImageRegistryOverride.resolve(this, KUBECTL_IMAGE),
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', REGISTRY_PATHS.gcReplicasScript],
      env: [
        ...commonEnv(true),
        { name: 'NAMESPACE', value: this.namespace },
        { name: 'DEPLOYMENT', value: this.name },
        { name: 'CONTAINER', value: 'registry' },
        { name: 'POD_SELECTOR', value: selector },
        { name: 'LEASE_SECONDS', value: String(gc.seconds) },
        // The rolling switch gets a third of the window; a minute is kept back for the nodes' clocks.
        { name: 'ROLLOUT_TIMEOUT_SECONDS', value: String(Math.floor(gc.seconds / 3)) },
        { name: 'SKEW_SECONDS', value: '60' },
        { name: 'DELETE_UNTAGGED', value: String(gc.deleteUntagged) },
        { name: 'REGISTRY_BIN', value: `${REGISTRY_PATHS.gcBinDir}/registry` },
        // kubectl keeps its discovery cache under $HOME; the root filesystem is read-only.
        { name: 'HOME', value: REGISTRY_PATHS.tmp },
      ],
      resources: this.gcResources(options),
    }, undefined, account);
    // distribution's Dockerfile builds /bin/registry static (xx-verify --static), so it runs in the kubectl image.
    const copy = pod.addInitContainer({
      name: 'registry-binary',
      image: this.image,
      imagePullPolicy: 'IfNotPresent',
      command: ['cp', '/bin/registry', `${REGISTRY_PATHS.gcBinDir}/registry`],
      resources: renderResources(this, 'garbageCollection.resources', undefined, {
        cpuRequest: Cpu.millis(50), cpuLimit: Cpu.millis(500), memoryRequest: Size.mebibytes(32), memoryLimit: Size.mebibytes(64),
      }),
    });
    pod.addScratch('gc-bin', REGISTRY_PATHS.gcBinDir, [copy, 'garbage-collect'], { sizeLimit: k8s.Quantity.fromString('256Mi') });
    return pod;
  }

  /**
   * The object-storage collection's ServiceAccount, bound to a Role that may read and patch only this Deployment
   * (`kubectl set env` gets and patches; `kubectl rollout status` gets it, then lists and watches it with a
   * metadata.name field selector, which resourceNames admits: kubernetes/kubernetes
   * staging/src/k8s.io/kubectl/pkg/cmd/rollout/rollout_status.go) and list pods (to see the old ones gone).
   */
  private createGcAccess(name: string, gcLabels: StandardLabels): string {
    const metadata = { name, namespace: this.namespace, labels: gcLabels.all() };
    const annotations = this.serviceAccount?.metadata.toJson().annotations as { [key: string]: string } | undefined;
    new k8s.KubeServiceAccount(this, 'GarbageCollectionServiceAccount', {
      metadata: { ...metadata, ...(annotations ? { annotations } : {}) },
      automountServiceAccountToken: false,
    });
    new k8s.KubeRole(this, 'GarbageCollectionRole', {
      metadata,
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], resourceNames: [this.name], verbs: ['get', 'patch', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      ],
    });
    new k8s.KubeRoleBinding(this, 'GarbageCollectionRoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: this.namespace }],
    });
    return name;
  }

  /** True when this registry is a pull-through cache. */
  public get isPullThroughCache(): boolean {
    return this.upstream !== undefined;
  }

  /**
   * The containerd host configuration that sends the nodes' pulls here: for
   * a pull-through cache, pulls of the upstream's images go to this mirror
   * first (and fall back to the upstream); for a private registry, the file
   * only tells containerd how to trust it.
   */
  public containerdMirror(options: ContainerdMirrorOptions = {}): ContainerdMirror {
    check(this.endpointReachableFromNodes, this, 'endpoint', this.endpoint,
      'an address the nodes can reach without cluster DNS (containerd resolves names with the node\'s resolver): set clusterIp, or endpoint to a node-resolvable name or address (e.g. a NodePort on a node address)');
    check(!this.plainHttp || options.insecurePlainHttp === true, this, 'containerdMirror.insecurePlainHttp',
      options.insecurePlainHttp, 'true: the registry serves plain HTTP, which the nodes must accept explicitly');
    check(this.plainHttp || options.insecurePlainHttp !== true, this, 'containerdMirror.insecurePlainHttp',
      options.insecurePlainHttp, 'false (or unset): the registry serves TLS');
    return ContainerdMirror.of({
      registry: this.upstream ? this.upstream.host : this.endpoint,
      endpoint: this.endpoint,
      ...(this.upstream && this.upstream.host !== 'docker.io' ? { server: this.upstream.url } : {}),
      ...options,
    });
  }

  /**
   * An image override that points manifests at this registry: for a
   * pull-through cache, images of its upstream only (`docker.io/apache/spark`
   * becomes `<endpoint>/apache/spark`); for a private registry, every image,
   * as `options` say. Apply it to a scope that does not contain this registry.
   */
  public imageOverride(options: ImageMirrorOptions = {}): ImageRegistryOverride {
    if (this.upstream) {
      check(options.sourceRegistries === undefined && options.includeSourceRegistry !== true && options.pathPrefix === undefined,
        this, 'imageOverride options', options, 'none for a pull-through cache: it serves its upstream\'s paths as they are');
      return ImageRegistryOverride.mirror(this.endpoint, { sourceRegistries: [this.upstream.host] });
    }
    return ImageRegistryOverride.mirror(this.endpoint, options);
  }

  /**
   * The same Spark image, in this private registry under the same path
   * (e.g. `docker.io/apache/spark:4.0.4` becomes `<endpoint>/apache/spark:4.0.4`),
   * with image pull secrets for it.
   * @param image the image as published upstream or built by SparkImageBuildScript
   * @param pullSecrets `kubernetes.io/dockerconfigjson` Secrets for this registry
   */
  public sparkImage(image: SparkImage, pullSecrets?: ISecret[]): SparkImage {
    check(!this.upstream, this, 'sparkImage', image?.reference,
      'a private registry: for a pull-through cache, use imageOverride() or the nodes\' hosts.toml instead');
    check(SparkImage.isSparkImage(image), this, 'sparkImage', typeof image, 'a SparkImage');
    const path = parseImageName(this, 'sparkImage', `${image.repository}:x`).path;
    return image.with({
      repository: `${this.endpoint}/${path}`,
      ...(pullSecrets !== undefined ? { pullSecrets } : {}),
    });
  }

  private validateApp(): string[] {
    // cdk8s validates the whole app once per chart: look the mirrors up by
    // namespace, and walk the app (for the messages, in construct order)
    // only when there is a problem.
    const clash = (MIRRORS_BY_NAMESPACE.of(this).get(this.namespace) ?? []).some((other) => other !== this
      && (other.name === this.name || (this.namespaceObject && other.namespaceObject && this.node.path > other.node.path)));
    if (!clash) {
      return [];
    }
    const errors: string[] = [];
    const others = App.of(this).node.findAll().filter((c): c is RegistryMirror => RegistryMirror.isRegistryMirror(c) && c !== this);
    for (const other of others) {
      if (other.namespace === this.namespace && other.name === this.name) {
        errors.push(`${this.node.path}: name "${this.name}" in namespace "${this.namespace}" is also used by ${other.node.path}`);
      }
      if (this.namespaceObject && other.namespaceObject && other.namespace === this.namespace
        && this.node.path > other.node.path) {
        errors.push(`${this.node.path}: namespace "${this.namespace}" is also emitted by ${other.node.path}; `
          + 'set createNamespace: false on all but one (or use a RegistryMirrorSet)');
      }
    }
    return errors;
  }
}

function checkClusterIp(scope: IConstruct, ip: string, network: ClusterNetwork | undefined): void {
  check(typeof ip === 'string' && isIpv4(ip), scope, 'clusterIp', ip, 'an IPv4 address in the Service network, e.g. "10.96.0.50"');
  if (ClusterNetwork.isClusterNetwork(network)) {
    const cidr = parseCidr(network.serviceCidr)!;
    const value = parseIpv4(ip)!;
    check(contains(cidr, value) && value !== cidr.network && value !== cidr.network + 2 ** (32 - cidr.prefix) - 1, scope,
      'clusterIp', ip, `a host address in the Service network ${network.serviceCidr}`);
    check(ip !== network.apiServerServiceIp && ip !== network.dnsServiceIp, scope, 'clusterIp', ip,
      `an address other than the API server's (${network.apiServerServiceIp}) and the cluster DNS's (${network.dnsServiceIp})`);
  }
}

/** What the registry's and the collection's pods mount and read. */
interface PodNames {
  readonly config: string;
  readonly data: string;
  readonly storage: ResolvedStorage;
  readonly httpSecret?: RegistrySecretKeyRef;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** The app's mirrors by namespace. */
const MIRRORS_BY_NAMESPACE = new AppSlot('registry-mirrors-by-namespace', () => new Map<string, RegistryMirror[]>());

/**
 * The registry's alerts. distribution counts requests in
 * registry_http_requests_total by code, handler and method
 * (distribution/distribution registry/handlers/app.go: namespace "registry",
 * subsystem "http", docker/go-metrics NewDefaultHttpMetrics); `target`
 * selects the series of its monitor (targetSelector). The kubelet reports
 * each claim's volume as kubelet_volume_stats_{available,capacity}_bytes
 * with the claim's `namespace` and `persistentvolumeclaim` labels
 * (kubernetes/kubernetes pkg/kubelet/metrics/collectors/volume_stats.go).
 */
function registryAlerts(namespace: string, name: string, target: string, claim: string | undefined): PrometheusAlert[] {
  const volume = `namespace="${namespace}", persistentvolumeclaim="${claim}"`;
  const alerts: PrometheusAlert[] = [
    {
      alert: 'RegistryMirrorDown',
      expr: targetsDown(target),
      for: '5m',
      severity: 'critical',
      summary: `Registry ${namespace}/${name} is down: nodes cannot pull the images it serves`,
    },
    {
      alert: 'RegistryMirrorServerErrors',
      expr: `sum(rate(registry_http_requests_total{${target}, code=~"5.."}[5m])) / sum(rate(registry_http_requests_total{${target}}[5m])) > 0.05`,
      for: '10m',
      severity: 'warning',
      summary: `More than 5% of the requests to registry ${namespace}/${name} fail with a server error (its storage or upstream)`,
    },
  ];
  if (claim === undefined) {
    return alerts;
  }
  return [
    ...alerts,
    {
      alert: 'RegistryMirrorStorageFull',
      expr: `kubelet_volume_stats_available_bytes{${volume}} / kubelet_volume_stats_capacity_bytes{${volume}} < 0.1`,
      for: '15m',
      severity: 'warning',
      summary: `Less than 10% of the volume of registry ${namespace}/${name} (claim ${claim}) is free: pushes and cached pulls fail once it is full; `
        + 'collect garbage or grow the claim',
    },
  ];
}
