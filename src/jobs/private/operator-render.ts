import { ApiObject, ApiObjectProps, App, JsonPatch } from 'cdk8s';
import { EnvValue, k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { jobShuffle } from './shuffle';
import { AppSlot } from '../../core/app-context';
import { check, invalidInput } from '../../core/errors';
import { EventLogStore } from '../../core/event-log-store';
import { requireJobImageFacts } from '../../core/image-facts';
import { IVY_KEY, withIvyCache } from '../../core/ivy-cache';
import { ResolvedPodRuntime, resolvePodRuntime, withRuntimeSecurity } from '../../core/pod-runtime';
import { podVolumeStruct } from '../../core/pod-volume';
import { hasDefaultResolvers, RENDER_WITHOUT_CDK8S } from '../../core/rendered-json';
import { SecurityDefaults } from '../../core/security';
import { SparkConf } from '../../core/spark-conf';
import { SparkImage } from '../../core/spark-image';
import { SparkMemory } from '../../core/spark-memory';
import { PROMETHEUS_METRICS_LABEL, PROMETHEUS_METRICS_LABEL_VALUE, prometheusMetricsConf } from '../../core/spark-prometheus';
import { annotations, dnsLabel, enumValue, ingressTls, labels, port, unprivilegedPort, wholeSeconds } from '../../core/validate';
import type { IPodVolume, SparkVolumeMount } from '../../core/volume-mount';
import { WorkloadIdentity } from '../../core/workload-identity';
import { checkSparkApplicationRules } from '../../operator/model/rules';
import { Field } from '../../operator/model/types';
import { ModelProblem, validateAgainstModel } from '../../operator/model/validate';
import { SparkApplicationSpecProps, SparkUiServiceType } from '../spark-application-spec';
import { DeployMode } from '../spark-job-spec';
import type { SparkDriverProps, SparkExecutorProps, SparkPodProps } from '../spark-job-spec';
import type { ISparkServiceAccount } from '../spark-service-account';

type Json = { [key: string]: any };

/** Drops undefined values, empty arrays and empty maps, so the spec says only what is set. */
function compact(obj: Json): Json {
  const out: Json = {};
  // Every object here is a fresh literal: for-in sees its own keys only.
  for (const key in obj) {
    const value = obj[key];
    if (value === undefined || (typeof value === 'object' && value !== null && isEmpty(value))) {
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** True for an empty array or an object without own enumerable keys. */
function isEmpty(value: object): boolean {
  if (Array.isArray(value)) {
    return value.length === 0;
  }
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key)) {
      return false;
    }
  }
  return true;
}

/** Model and admission-rule problems of a rendered SparkApplication spec (or ScheduledSparkApplication spec when `model` is that). */
export function specProblems(spec: unknown, model: Field, path: string, applicationSpec: unknown = spec): ModelProblem[] {
  return [...validateAgainstModel(spec, model, path), ...checkSparkApplicationRules(applicationSpec)];
}

/**
 * An ApiObject that records whether an escape hatch (`addJsonPatch`) or a
 * mutator of its job ({@link changeApplicationSpec}) changed it since it was checked.
 */
export class JobApiObject extends ApiObject {
  private patchedByUser = false;
  /**
   * @internal the spec object the ApiObject renders, where the SparkApplication spec is in it, and whether it is
   * plain data (then it has no null values left)
   */
  public _spec?: { readonly spec: Json; readonly applicationSpecOf: (spec: any) => unknown; readonly plain: boolean };

  /** True once a JSON patch was added or the spec changed. */
  public get patched(): boolean {
    return this.patchedByUser;
  }

  /**
   * What `toJson()` returns, without cdk8s's rendering, while it is certain:
   * the spec is plain data, unchanged since it was checked, and the app has
   * only cdk8s's resolvers (see createCheckedJobObject). The metadata is
   * rendered by cdk8s (it may hold tokens), when it is first read: the
   * checks at synth often need the spec only.
   */
  public [RENDER_WITHOUT_CDK8S](): Json | undefined {
    const app = App.of(this);
    if (!this.rendersAsChecked(app)) {
      return undefined;
    }
    // The checked copy already is what cdk8s renders, up to the order of keys
    // (renderPlain dropped its null values); readers only read it.
    const spec = this._spec!.spec;
    const sortKeys = !process.env.CDK8S_DISABLE_SORT;
    const renderMetadata = () => this.plainMetadata(app, sortKeys) ?? super.toJson().metadata;
    let metadata: unknown;
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      get metadata() {
        return metadata ??= renderMetadata();
      },
      spec,
    };
  }

  /**
   * The object as cdk8s writes it. While the spec renders as checked (see
   * above), the checked copy with its keys in cdk8s's order is that: cdk8s's
   * own rendering would walk the whole spec through its resolvers again, for
   * the same result.
   */
  public toJson(): any {
    const app = App.of(this);
    if (!this.rendersAsChecked(app)) {
      return super.toJson();
    }
    const sortKeys = !process.env.CDK8S_DISABLE_SORT;
    const metadata = this.plainMetadata(app, sortKeys);
    if (metadata === undefined) {
      return super.toJson();
    }
    // The key order cdk8s writes: apiVersion, kind, metadata, then the rest.
    return { apiVersion: this.apiVersion, kind: this.kind, metadata, spec: renderPlain(app, this._spec!.spec, sortKeys) };
  }

  private rendersAsChecked(app: App): boolean {
    return this._spec?.plain === true && !this.patchedByUser && hasDefaultResolvers(app);
  }

  /** The metadata as cdk8s renders it (it may hold tokens), or undefined when that is not plain data. */
  private plainMetadata(app: App, sortKeys: boolean): Json | undefined {
    const metadata = renderPlain(app, this.metadata.toJson(), sortKeys);
    return metadata !== NOT_PLAIN ? metadata as Json : undefined;
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    this.patchedByUser = true;
    super.addJsonPatch(...ops);
  }

  /**
   * Changes the SparkApplication spec the object renders (a job's mutators
   * call this); the spec is then checked again at synth.
   */
  public changeApplicationSpec(change: (applicationSpec: Json) => void): void {
    this.patchedByUser = true;
    change(this._spec!.applicationSpecOf(this._spec!.spec) as Json);
  }
}

/**
 * Creates the ApiObject of an operator job (child 'Resource' of `scope`) and
 * checks its spec against the model and the admission rules: at once (bad
 * props throw in the constructor) and again at synth, after any escape-hatch
 * patch. `applicationSpecOf` picks the SparkApplication spec out of the
 * resource's spec (a ScheduledSparkApplication's template).
 *
 * Both checks look at the spec as cdk8s renders it. Rendering
 * (`apiObject.toJson()`: token resolution, key sorting, patches) costs about
 * as much as writing the object's YAML, and cdk8s validates the whole app
 * once per chart, so it is avoided when its result is known: when the spec
 * is plain JSON data and the app has only cdk8s's own resolvers, rendering
 * just drops null values and sorts keys. The object then gets a copy of the
 * spec without null values (so arrays and maps the caller passed and changes
 * later do not change it after the check), and at synth, unless a patch or a
 * resolver was added, it is what was checked: nothing to check again.
 */
export function createCheckedJobObject(scope: Construct, props: ApiObjectProps & { readonly spec: Json }, model: Field,
  applicationSpecOf: (spec: any) => unknown = (spec) => spec): JobApiObject {
  const problemsOf = (spec: any) => specProblems(spec, model, 'spec', applicationSpecOf(spec));
  const app = App.of(scope);
  // The copy keeps the keys' order (cdk8s sorts them when it writes the
  // object). Problems, which are rare, are listed again in cdk8s's key order
  // so that the one reported is the first one there.
  const plain = renderPlain(app, props.spec, false);
  const spec = (plain !== NOT_PLAIN ? plain : props.spec) as Json;
  const apiObject = new JobApiObject(scope, 'Resource', { ...props, spec });
  apiObject._spec = { spec, applicationSpecOf, plain: plain !== NOT_PLAIN };
  let problems = problemsOf(plain !== NOT_PLAIN ? plain : apiObject.toJson().spec);
  if (problems.length > 0 && plain !== NOT_PLAIN) {
    problems = problemsOf(renderPlain(app, plain, !process.env.CDK8S_DISABLE_SORT));
  }
  const first = problems[0];
  if (first) {
    throw invalidInput(scope, first.path, first.value, first.message);
  }
  scope.node.addValidation({
    validate: () => {
      if (plain !== NOT_PLAIN && !apiObject.patched && hasDefaultResolvers(app)) {
        return [];
      }
      return problemsOf(apiObject.toJson().spec).map((p) => invalidInput(scope, p.path, p.value, p.message).message);
    },
  });
  return apiObject;
}

const NOT_PLAIN: unique symbol = Symbol('not plain JSON data');

/**
 * What cdk8s renders for `value` (an unpatched ApiObject's field), computed
 * without cdk8s when that is certain: `value` holds only strings, numbers,
 * booleans, null, arrays and plain objects, and the app has the default
 * resolvers. Rendering then drops null and undefined values and, unless
 * CDK8S_DISABLE_SORT is set, sorts keys, as cdk8s's sanitizeValue does
 * (`sortKeys` false leaves them in order). Returns NOT_PLAIN otherwise.
 */
function renderPlain(app: App, value: unknown, sortKeys: boolean): unknown {
  if (!hasDefaultResolvers(app)) {
    return NOT_PLAIN;
  }
  const render = (v: unknown): unknown => {
    if (v === null || v === undefined) {
      return undefined;
    }
    switch (typeof v) {
      case 'string':
      case 'number':
      case 'boolean':
        return v;
      case 'object':
        break;
      default:
        throw NOT_PLAIN;
    }
    if (Array.isArray(v)) {
      return v.map(render);
    }
    if ((v as object).constructor !== Object) {
      throw NOT_PLAIN;
    }
    const out: Json = {};
    const keys = sortKeys ? Object.keys(v).sort() : Object.keys(v);
    for (const key of keys) {
      const item = render((v as Json)[key]);
      if (item !== undefined) {
        out[key] = item;
      }
    }
    return out;
  };
  try {
    return render(value);
  } catch (e) {
    if (e === NOT_PLAIN) {
      return NOT_PLAIN;
    }
    throw e;
  }
}

/** The SparkApplication spec of typed props. */
export function renderSparkApplicationSpec(scope: Construct, props: SparkApplicationSpecProps, serviceAccount: ISparkServiceAccount): Json {
  const image = props.image ?? SparkImage.apache();
  check(typeof props.mainApplicationFile === 'string' && props.mainApplicationFile.trim() !== '', scope, 'mainApplicationFile',
    props.mainApplicationFile, 'the application jar, Python or R file, e.g. "local:///opt/spark/examples/jars/spark-examples.jar"');
  const shuffle = jobShuffle(scope, props, image);
  const deps = shuffle.deps ?? {};
  requireJobImageFacts(scope, image, {
    loginBy: 'the driver and the executors',
    eventLog: props.eventLog,
    uris: [props.mainApplicationFile, ...(deps.jars ?? []), ...(deps.files ?? []), ...(deps.pyFiles ?? []), ...(deps.archives ?? [])],
    packages: deps.packages,
    conf: props.sparkConf,
    language: props.type,
  });

  const volumes = new Map<string, { readonly given: IPodVolume; readonly struct: k8s.Volume }>();
  const addVolume = (volume: IPodVolume, property: string) => {
    const struct = podVolumeStruct(scope, property, volume);
    const existing = volumes.get(volume.name);
    check(existing === undefined || existing.given === volume, scope, property, volume.name,
      `volumes with distinct names; "${volume.name}" names two different volumes`);
    volumes.set(volume.name, { given: volume, struct });
  };
  for (const volume of props.volumes ?? []) {
    addVolume(volume, 'volumes');
  }

  const nonJvm = props.type === 'Python' || props.type === 'R';
  const pod = (role: 'driver' | 'executor', p: SparkPodProps = {}): Json => {
    const cores = p.cores ?? 1;
    check(Number.isInteger(cores) && cores >= 1, scope, `${role}.cores`, cores, 'a whole number of cores, at least 1');
    for (const [property, value] of [['coreRequest', p.coreRequest], ['coreLimit', p.coreLimit]] as const) {
      check(value === undefined || /^(\d+(\.\d+)?|\.\d+)m?$/.test(value), scope, `${role}.${property}`, value,
        'a Kubernetes CPU quantity such as "500m", "0.5" or "2"');
    }
    for (const m of p.volumeMounts ?? []) {
      addVolume(m.volume, `${role}.volumeMounts`);
      check(typeof m.path === 'string' && m.path.startsWith('/'), scope, `${role}.volumeMounts`, m.path, 'an absolute mount path');
    }
    const env = Object.entries(p.env ?? {}).map(([name, value]) => {
      check(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name), scope, `${role}.env`, name,
        'an environment variable name of letters, digits, \'_\', \'-\' and \'.\', not starting with a digit');
      return compact({ name, value: value.value, valueFrom: value.valueFrom });
    });
    const envFrom = [
      ...(p.envFromConfigMaps ?? []).map((cm) => ({ configMapRef: { name: cm.name } })),
      ...(p.envFromSecrets ?? []).map((secret) => ({ secretRef: { name: secret.name } })),
    ];
    const runtime = resolvePodRuntime(scope, role, p);
    // The webhook gives the pod the whole podSecurityContext (spark-operator v2.5.2 sparkpod_defaulter.go addPodSecurityContext).
    const podSecurity = runtime.supplementalGroups.length > 0 || runtime.sysctls.length > 0 || runtime.seLinuxOptions !== undefined
      ? k8s.toJson_PodSecurityContext(withRuntimeSecurity(scope,
        p.podSecurityContext ?? SecurityDefaults.restrictedPod({ runAsUser: image.uid }), runtime))
      : p.podSecurityContext ? k8s.toJson_PodSecurityContext(p.podSecurityContext) : defaultSecurity(image.uid).pod;
    check(runtime.schedulerName === undefined || props.batchScheduler === undefined, scope, `${role}.schedulerName`, runtime.schedulerName,
      `no schedulerName with batchScheduler (${props.batchScheduler?.name}), whose scheduler the operator's webhook puts in its place`);
    return compact({
      // Executors run as the driver's account: both need what its identity needs.
      labels: WorkloadIdentity._podLabels(scope, `${role}.labels`, p.labels, serviceAccount.identity),
      annotations: p.annotations,
      cores,
      coreRequest: p.coreRequest,
      coreLimit: p.coreLimit,
      memory: (p.memory ?? SparkMemory.mebibytes(512)).toSparkString(),
      memoryOverhead: p.memoryOverhead?.toSparkString(),
      // The operator reads memoryLimit as a Kubernetes quantity.
      memoryLimit: p.memoryLimit?.toQuantity(),
      javaOptions: p.javaOptions,
      env,
      envFrom,
      volumeMounts: (p.volumeMounts ?? []).map((m) => compact({ name: m.volume.name, mountPath: m.path, readOnly: m.readOnly, subPath: m.subPath })),
      nodeSelector: p.nodeSelector,
      tolerations: p.tolerations?.map((t) => k8s.toJson_Toleration(t)),
      affinity: k8s.toJson_Affinity(p.affinity),
      priorityClassName: p.priorityClassName,
      // Applied by the operator's webhook (sparkpod_defaulter.go addHostAliases, addSchedulerName, addTerminationGracePeriodSeconds).
      hostAliases: runtime.hostAliases.length > 0 ? runtime.hostAliases.map((a) => k8s.toJson_HostAlias(a)) : undefined,
      schedulerName: runtime.schedulerName,
      terminationGracePeriodSeconds: runtime.terminationGracePeriodSeconds,
      podSecurityContext: podSecurity,
      // Spark's entrypoint writes its JVM options under /tmp: the root
      // filesystem stays writable unless a securityContext says otherwise.
      securityContext: p.securityContext ? k8s.toJson_SecurityContext(p.securityContext) : defaultSecurity(image.uid).container,
      template: templateWithHostUsers(scope, role, k8s.toJson_PodTemplateSpec(p.template), runtime),
    });
  };

  const driverProps: SparkDriverProps = props.driver ?? {};
  const executorProps: SparkExecutorProps = props.executor ?? {};
  const driver: Json = { ...pod('driver', driverProps), serviceAccount: serviceAccount.name };
  if (props.prometheusMetrics) {
    driver.labels = prometheusMetricsLabels(scope, props, driver.labels);
  }
  const eventLog = eventLogParts(scope, props, shuffle.sparkConf);
  // The driver writes the event log as the application's account.
  props.eventLog?._checkIdentity(scope, 'serviceAccount', serviceAccount.identity);
  if (eventLog.env.length > 0) {
    for (const e of eventLog.env) {
      check(!(driver.env ?? []).some((d: Json) => d.name === e.name), scope, 'driver.env', e.name,
        'a variable the event log store does not set (it sets its credentials itself)');
    }
    driver.env = [...(driver.env ?? []), ...eventLog.env.map((e) => k8s.toJson_EnvVar(e))];
  }
  if (eventLog.mounts.length > 0) {
    driver.volumeMounts = [...(driver.volumeMounts ?? []), ...eventLog.mounts.map((m) => k8s.toJson_VolumeMount(m))];
  }
  const instances = executorProps.instances ?? 1;
  check(Number.isInteger(instances) && instances >= 1, scope, 'executor.instances', instances, 'a whole number of executors, at least 1');
  const executor = compact({ ...pod('executor', executorProps), instances, deleteOnTermination: executorProps.deleteOnTermination });
  for (const volume of eventLog.volumes) {
    check(!volumes.has(volume.name), scope, 'volumes', volume.name,
      `volumes with distinct names; "${volume.name}" is the volume of the event log store`);
  }

  const factor = props.memoryOverheadFactor;
  check(factor === undefined || (factor > 0 && factor < 1), scope, 'memoryOverheadFactor', factor,
    `a fraction greater than 0 and less than 1 (Spark uses 0.1${nonJvm ? ', 0.4 for Python and R' : ''})`);
  for (const [key, value] of Object.entries(props.hadoopConf ?? {})) {
    check(!key.startsWith('spark.hadoop.'), scope, 'hadoopConf key', key, 'a Hadoop key without the "spark.hadoop." prefix, which the operator adds');
    // The operator turns hadoopConf into spark.hadoop.* keys: two values for one key would silently override.
    const conf = eventLog.sparkConf?.get(`spark.hadoop.${key}`);
    check(conf === undefined || conf === value, scope, `hadoopConf "${key}"`, value,
      `the value sparkConf or the event log store gives as "spark.hadoop.${key}" ("${conf}"); set it in one place only`);
  }
  check(props.mainClass === undefined || /^[\p{L}_$][\p{L}\p{N}_$]*(\.[\p{L}_$][\p{L}\p{N}_$]*)*$/u.test(props.mainClass), scope, 'mainClass',
    props.mainClass, 'a fully qualified class name such as "org.apache.spark.examples.SparkPi"');

  const da = props.dynamicAllocation;
  if (da) {
    for (const [property, value] of [['minExecutors', da.minExecutors], ['initialExecutors', da.initialExecutors], ['maxExecutors', da.maxExecutors]] as const) {
      check(value === undefined || (Number.isInteger(value) && value >= 0), scope, `dynamicAllocation.${property}`, value, 'a whole number of executors');
    }
    check(da.maxExecutors >= 1, scope, 'dynamicAllocation.maxExecutors', da.maxExecutors, 'at least 1 executor');
  }

  const scheduler = props.batchScheduler;
  const restart = props.restartPolicy?._toSpec() ?? { type: 'Never' };
  const monitoring = props.monitoring;
  if (monitoring?.prometheus?.port !== undefined) {
    unprivilegedPort(scope, 'monitoring.prometheus.port', monitoring.prometheus.port);
  }

  return compact({
    type: props.type,
    mode: props.mode ?? 'cluster',
    image: image.imageFor(scope),
    imagePullPolicy: image.pullPolicy,
    imagePullSecrets: image.pullSecrets.map((s) => s.name),
    mainClass: props.mainClass,
    mainApplicationFile: props.mainApplicationFile,
    arguments: props.arguments,
    sparkVersion: image.sparkVersion,
    // Spark 3 and later run Python 3 only.
    pythonVersion: props.type === 'Python' ? '3' : undefined,
    proxyUser: props.proxyUser,
    memoryOverheadFactor: factor !== undefined ? String(factor) : undefined,
    sparkConf: withPrometheusMetricsConf(scope, props, ivyCacheConf(scope, eventLog.sparkConf, deps.packages))?.toRecord(),
    hadoopConf: props.hadoopConf,
    deps: shuffle.deps ? compact({ ...shuffle.deps }) : undefined,
    restartPolicy: restart,
    timeToLiveSeconds: props.timeToLive ? wholeSeconds(scope, 'timeToLive', props.timeToLive) : undefined,
    nodeSelector: props.nodeSelector,
    volumes: [...[...volumes.values()].map((v) => v.struct), ...eventLog.volumes].map((v) => k8s.toJson_Volume(v)),
    driver,
    executor,
    dynamicAllocation: da ? compact({
      enabled: true,
      initialExecutors: da.initialExecutors,
      minExecutors: da.minExecutors,
      maxExecutors: da.maxExecutors,
      // No external shuffle service on Kubernetes: keep executors holding shuffle
      // data, unless a remote shuffle service holds it. The operator turns a
      // missing value into true (kubeflow/spark-operator v2.5.2 api/v1beta2/defaults.go).
      shuffleTrackingEnabled: shuffle.shuffleTracking,
      shuffleTrackingTimeout: da.shuffleTrackingTimeout?.toMilliseconds(),
    }) : undefined,
    monitoring: monitoring ? compact({
      exposeDriverMetrics: monitoring.exposeDriverMetrics ?? true,
      exposeExecutorMetrics: monitoring.exposeExecutorMetrics ?? true,
      metricsProperties: monitoring.metricsProperties,
      metricsPropertiesFile: monitoring.metricsPropertiesFile,
      prometheus: monitoring.prometheus ? compact({ ...monitoring.prometheus }) : undefined,
    }) : undefined,
    batchScheduler: scheduler?.name,
    batchSchedulerOptions: scheduler ? compact({ ...scheduler.options }) : undefined,
    sparkUIOptions: sparkUiOptions(scope, props),
  });
}

/**
 * `spec.sparkUIOptions` of the `uiService` and `uiIngress` props: what the
 * operator reads when it creates the UI Service and Ingress (kubeflow/spark-operator
 * v2.5.2 pkg/util/sparkapplication.go GetWebUIService*, GetWebUIIngress*).
 */
function sparkUiOptions(scope: Construct, props: SparkApplicationSpecProps): Json | undefined {
  const service = props.uiService;
  const ingress = props.uiIngress;
  if (service === undefined && ingress === undefined) {
    return undefined;
  }
  labels(scope, 'uiService.labels', service?.labels);
  return compact({
    serviceType: service?.type !== undefined ? enumValue(scope, 'uiService.type', service.type, SparkUiServiceType) : undefined,
    servicePort: service?.port !== undefined ? port(scope, 'uiService.port', service.port) : undefined,
    // A Service port's name is a DNS-1123 label (Kubernetes ValidateServicePort).
    servicePortName: service?.portName !== undefined ? dnsLabel(scope, 'uiService.portName', service.portName) : undefined,
    serviceLabels: service?.labels !== undefined ? { ...service.labels } : undefined,
    serviceAnnotations: annotations(scope, 'uiService.annotations', service?.annotations),
    ingressAnnotations: annotations(scope, 'uiIngress.annotations', ingress?.annotations),
    ingressTLS: ingressTls(scope, 'uiIngress.tls', ingress?.tls),
  });
}

/**
 * The driver's labels with the one that the PodMonitor of a
 * SparkJobMonitoring selects; the driver must be a pod of its own.
 */
function prometheusMetricsLabels(scope: Construct, props: SparkApplicationSpecProps, driverLabels: Json | undefined): Json {
  check((props.mode ?? DeployMode.CLUSTER) === DeployMode.CLUSTER, scope, 'prometheusMetrics', true,
    'cluster mode only: in client mode the driver runs in the operator\'s submission, which no PodMonitor of the job\'s namespace scrapes');
  const given = driverLabels?.[PROMETHEUS_METRICS_LABEL];
  check(given === undefined || given === PROMETHEUS_METRICS_LABEL_VALUE, scope, `driver.labels "${PROMETHEUS_METRICS_LABEL}"`, given,
    `"${PROMETHEUS_METRICS_LABEL_VALUE}" (prometheusMetrics labels the driver so; leave the label out)`);
  return { ...(driverLabels ?? {}), [PROMETHEUS_METRICS_LABEL]: PROMETHEUS_METRICS_LABEL_VALUE };
}

/** The application's conf with the keys of prometheusMetrics, when it is on (its user keys were refused before). */
function withPrometheusMetricsConf(scope: Construct, props: SparkApplicationSpecProps, conf: SparkConf | undefined): SparkConf | undefined {
  if (!props.prometheusMetrics) {
    return conf;
  }
  return (conf ?? new SparkConf()).merge(prometheusMetricsConf(`${scope.node.path} prometheusMetrics`), scope);
}

/** Jobs whose spec has the library's `spark.jars.ivy` (ivyCacheConf), which an addSparkConf of that key replaces. */
const IVY_DEFAULTED = new AppSlot('ivy-defaulted', () => new Set<IConstruct>());

/**
 * The conf with Ivy's cache where the operator's spark-submit and the driver
 * can write it, when the job resolves packages (core/ivy-cache.ts).
 */
function ivyCacheConf(scope: Construct, conf: SparkConf | undefined, packages: string[] | undefined): SparkConf | undefined {
  const withIvy = withIvyCache(conf, packages, `${scope.node.path} deps.packages (Ivy's cache)`);
  if (withIvy !== conf) {
    IVY_DEFAULTED.of(scope).add(scope);
  }
  return withIvy;
}

/**
 * The configuration, driver env, volumes and driver mounts of the
 * application's event log, merged with its own conf and its shuffle service's.
 */
function eventLogParts(scope: Construct, props: SparkApplicationSpecProps, shuffleConf: SparkConf | undefined) {
  const store: EventLogStore | undefined = props.eventLog;
  check(props.eventLogOptions === undefined || store !== undefined, scope, 'eventLogOptions', props.eventLogOptions,
    'options of an event log: set eventLog (an EventLogStore) too');
  // Conflicting keys (say spark.shuffle.service.enabled=true in sparkConf) throw here, naming both sources.
  const ownConf = shuffleConf ? (props.sparkConf ?? new SparkConf()).merge(shuffleConf, scope) : props.sparkConf;
  if (!store) {
    return { sparkConf: ownConf, env: [], volumes: [], mounts: [] };
  }
  check(EventLogStore.isEventLogStore(store), scope, 'eventLog', store, 'an EventLogStore (EventLogStore.s3, .gcs, .abfs, .hdfs, .pvc or .local)');
  // Conflicting keys (say spark.eventLog.enabled=false in sparkConf) throw here, naming both sources.
  const sparkConf = (ownConf ?? new SparkConf()).merge(store.jobConf(props.eventLogOptions ?? {}), scope);
  return { sparkConf, env: store.env(), volumes: store.volumes(), mounts: store.volumeMounts() };
}

// The default security contexts, rendered once per uid (every job has two):
// frozen, since every spec shares them.
const defaultSecurityByUid = new Map<number, { readonly pod: Json; readonly container: Json }>();

/**
 * The pod template with `hostUsers`, which the SparkApplication has no field
 * for: Spark builds the pod from the template (spark-operator v2.5.2
 * submission.go driverPodTemplateOption) and keeps the fields it does not set.
 */
function templateWithHostUsers(scope: Construct, role: string, template: Json | undefined, runtime: ResolvedPodRuntime): Json | undefined {
  if (runtime.hostUsers === undefined) {
    return template;
  }
  const given = template?.spec?.hostUsers;
  check(given === undefined || given === runtime.hostUsers, scope, `${role}.hostUsers`, runtime.hostUsers,
    `the value of ${role}.template's spec.hostUsers (${given}), or give it in one place`);
  // The operator's own template when none is given names Spark's container (submission.go); so does this one.
  const spec = template?.spec ?? { containers: [{ name: `spark-kubernetes-${role}` }] };
  return { ...(template ?? {}), spec: { ...spec, hostUsers: runtime.hostUsers } };
}

function defaultSecurity(uid: number): { readonly pod: Json; readonly container: Json } {
  let rendered = defaultSecurityByUid.get(uid);
  if (rendered === undefined) {
    rendered = {
      pod: deepFreeze(k8s.toJson_PodSecurityContext(SecurityDefaults.restrictedPod({ runAsUser: uid }))!),
      container: deepFreeze(k8s.toJson_SecurityContext(SecurityDefaults.restrictedContainer({ runAsUser: uid, readOnlyRootFilesystem: false }))!),
    };
    defaultSecurityByUid.set(uid, rendered);
  }
  return rendered;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) {
      deepFreeze(item);
    }
    Object.freeze(value);
  }
  return value;
}

/** Appends an argument to an operator job's application spec (its `addArgument`). */
export function addOperatorArgument(apiObject: JobApiObject, argument: string): void {
  apiObject.changeApplicationSpec((spec) => {
    spec.arguments = [...(spec.arguments ?? []), argument];
  });
}

/**
 * Sets a Spark conf key in an operator job's application spec (its
 * `addSparkConf`), with the checks the `sparkConf` prop gets: the key and
 * value, a conflict with what the props or the event log store set, the
 * operator's rules (keys the typed props manage) and the image's facts.
 */
export function addOperatorSparkConf(scope: Construct, apiObject: JobApiObject, image: SparkImage, key: string, value: string): void {
  const added = new SparkConf().set(key, value, `${scope.node.path} addSparkConf`);
  requireJobImageFacts(scope, image, { loginBy: 'the driver and the executors', conf: added });
  apiObject.changeApplicationSpec((spec) => {
    if (key === IVY_KEY && IVY_DEFAULTED.of(scope).has(scope)) {
      // The user's choice of Ivy's directory replaces the library's default.
      spec.sparkConf = { ...spec.sparkConf };
      delete spec.sparkConf[IVY_KEY];
      IVY_DEFAULTED.of(scope).delete(scope);
    }
    const hadoopKey = key.startsWith('spark.hadoop.') ? key.slice('spark.hadoop.'.length) : undefined;
    const hadoopValue = hadoopKey !== undefined ? spec.hadoopConf?.[hadoopKey] : undefined;
    check(hadoopValue === undefined || hadoopValue === value, scope, `Spark conf key "${key}"`, value,
      `the value hadoopConf gives "${hadoopKey}" ("${hadoopValue}"); set it in one place only`);
    const merged = SparkConf.of(spec.sparkConf ?? {}, 'the sparkConf prop, the event log store or the shuffle service').merge(added, scope);
    const problem = checkSparkApplicationRules({ ...spec, sparkConf: merged.toRecord() })[0];
    if (problem) {
      throw invalidInput(scope, problem.path, problem.value, problem.message);
    }
    spec.sparkConf = merged.toRecord();
  });
}

/**
 * Adds an environment variable of the driver or the executors to an operator
 * job's application spec, at `index`: after the user's variables, before
 * those the library adds (the event log store's), as if it were in the props.
 */
export function addOperatorEnv(scope: Construct, apiObject: JobApiObject, role: 'driver' | 'executor', name: string, value: EnvValue,
  index: number): void {
  check(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name), scope, `${role}.env`, name,
    'an environment variable name of letters, digits, \'_\', \'-\' and \'.\', not starting with a digit');
  apiObject.changeApplicationSpec((spec) => {
    const pod = spec[role] ?? {};
    check(!(pod.env ?? []).some((e: Json) => e.name === name), scope, `${role}.env`, name,
      'a variable not set yet (by the props, the event log store or an earlier add)');
    const env = [...(pod.env ?? [])];
    env.splice(index, 0, compact({ name, value: value.value, valueFrom: value.valueFrom }));
    pod.env = env;
    spec[role] = pod;
  });
}

/**
 * Mounts a volume into the driver or the executors of an operator job's
 * application spec, as if it were in the role's `volumeMounts` prop: the
 * volume joins `volumes` (once per name) and the mount its role's mounts,
 * each at its `index`: after the user's, before those the library adds (the
 * event log store's). Returns true when the volume was new.
 */
export function addOperatorVolumeMount(scope: Construct, apiObject: JobApiObject, role: 'driver' | 'executor', mount: SparkVolumeMount,
  index: { readonly mount: number; readonly volume: number }): boolean {
  let added = false;
  check(typeof mount?.path === 'string' && mount.path.startsWith('/'), scope, `${role}.volumeMounts`, mount?.path, 'an absolute mount path');
  const volume = k8s.toJson_Volume(podVolumeStruct(scope, `${role}.volumeMounts`, mount?.volume))!;
  apiObject.changeApplicationSpec((spec) => {
    const existing = (spec.volumes ?? []).find((v: Json) => v.name === volume.name);
    check(existing === undefined || JSON.stringify(existing) === JSON.stringify(volume), scope, `${role}.volumeMounts`, volume.name,
      `volumes with distinct names; "${volume.name}" names another volume of the application`);
    if (existing === undefined) {
      const volumes = [...(spec.volumes ?? [])];
      volumes.splice(index.volume, 0, volume);
      spec.volumes = volumes;
      added = true;
    }
    const pod = spec[role] ?? {};
    const mounts = [...(pod.volumeMounts ?? [])];
    mounts.splice(index.mount, 0, compact({ name: volume.name, mountPath: mount.path, readOnly: mount.readOnly, subPath: mount.subPath }));
    pod.volumeMounts = mounts;
    spec[role] = pod;
  });
  return added;
}
