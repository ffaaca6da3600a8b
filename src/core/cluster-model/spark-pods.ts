import { describe, ModelObject, namespaceOf, podSpecOf } from './objects';
import { cpuMillis, parseQuantity } from './quantity';

/** Requests and limits of one container, in millicores and bytes (undefined: not set). */
export interface ContainerResources {
  readonly requests: { cpu?: number; memory?: number };
  readonly limits: { cpu?: number; memory?: number };
}

/** One kind of pod that Spark (or the operator) will create from an object of the app. */
export interface SparkPod {
  /** The object that causes the pod. */
  readonly owner: ModelObject;
  readonly role: 'driver' | 'executor';
  readonly namespace: string;
  /** How many such pods the job needs at least to run as configured. */
  readonly count: number;
  /** The Spark container's resources as Spark renders them. */
  readonly resources: ContainerResources;
  /** Where each figure comes from, for messages (e.g. cpuRequest: 'executor.cores'). */
  readonly sources: { readonly [figure: string]: string };
  /** The pod spec as the operator's webhook completes it (SparkApplications only), for Pod Security checks. */
  readonly podSpec?: any;
  /** The Spark conf the pod's figures were read from (ports, for the network). */
  readonly conf: { readonly [key: string]: string };
  /**
   * The labels of the driver and executor pods, for NetworkPolicies, when
   * they are not a SparkApplication's (`spec.driver.labels`, `spark-role`).
   */
  readonly networkLabels?: { readonly driver: { [key: string]: string }; readonly executor: { [key: string]: string } };
}

const MIB = 2 ** 20;
// Spark's minimum memory overhead (spark.driver/executor.minMemoryOverhead, 384m).
const MIN_OVERHEAD_MIB = 384;

// Spark memory notation: a number with an optional unit, MiB when none
// (org.apache.spark.network.util.JavaUtils.byteStringAs).
function sparkMiB(value: unknown): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const match = /^(\d+)\s*([kmgtp]?)b?$/i.exec(String(value).trim());
  if (!match) {
    return undefined;
  }
  const scale: { [unit: string]: number } = { 'k': 1 / 1024, 'm': 1, 'g': 1024, 't': 1024 ** 2, 'p': 1024 ** 3, '': 1 };
  return Math.ceil(Number(match[1]) * scale[match[2].toLowerCase()]);
}

// The same notation for a bytes config (no unit: bytes), in whole MiB as
// Utils.memoryStringToMb rounds it (spark.memory.offHeap.size).
function sparkBytesAsMiB(value: unknown): number | undefined {
  const match = value === undefined ? null : /^(\d+)\s*([kmgtp]?)(b?)$/i.exec(String(value).trim());
  if (!match) {
    return undefined;
  }
  const scale: { [unit: string]: number } = { '': 1, 'k': 2 ** 10, 'm': 2 ** 20, 'g': 2 ** 30, 't': 2 ** 40, 'p': 2 ** 50 };
  return Math.floor((Number(match[1]) * scale[match[2].toLowerCase()]) / 2 ** 20);
}

// The operator's pod webhook reads memoryLimit as Spark notation turned into a
// quantity (spark-operator v2.5.2 pkg/util/util.go ConvertJavaMemoryStringToK8sMemoryString):
// a suffix k, m, g, t, p (or kb..pb, any case) becomes Ki..Pi; only a lower-case
// suffix is cut off, so "2G" becomes "2GGi", which does not parse.
const JAVA_TO_K8S: ReadonlyArray<[string, string]> = [['kb', 'Ki'], ['mb', 'Mi'], ['gb', 'Gi'], ['tb', 'Ti'], ['pb', 'Pi'],
  ['k', 'Ki'], ['m', 'Mi'], ['g', 'Gi'], ['t', 'Ti'], ['p', 'Pi']];
/** The quantity string the operator's webhook makes of a memoryLimit. */
export function operatorMemoryLimit(value: string): string {
  for (const [unit, k8s] of JAVA_TO_K8S) {
    if (value.toLowerCase().endsWith(unit)) {
      return (value.endsWith(unit) ? value.slice(0, -unit.length) : value) + k8s;
    }
  }
  return value;
}

/** The figures of one Spark role, each as given by the typed field, the Spark conf or Spark's default. */
interface RoleInputs {
  readonly cores?: unknown;
  readonly coreRequest?: unknown;
  readonly coreLimit?: unknown;
  readonly memory?: unknown;
  readonly memoryOverhead?: unknown;
  readonly memoryLimit?: unknown;
}

/** The kind of main resource: Spark gives non-JVM ones (Python, R) a larger overhead, and PySpark memory to Python only. */
type AppResource = 'jvm' | 'python' | 'r';

function rolePod(owner: ModelObject, role: 'driver' | 'executor', count: number, typed: RoleInputs, typedName: string,
  conf: { [key: string]: string }, resource: AppResource, factorGiven: unknown, podSpec?: any, sparkVersion?: unknown): SparkPod {
  const sparkMajor = typeof sparkVersion === 'string' && /^v?\d+/.test(sparkVersion) ? Number(/\d+/.exec(sparkVersion)![0]) : undefined;
  const sources: { [figure: string]: string } = {};
  const pick = (field: keyof RoleInputs, key: string): unknown => {
    if (typed[field] !== undefined) {
      sources[field] = `${typedName}.${field}`;
      return typed[field];
    }
    if (conf[key] !== undefined) {
      sources[field] = key;
      return conf[key];
    }
    return undefined;
  };
  const cores = pick('cores', `spark.${role}.cores`) ?? 1;
  const coreRequest = pick('coreRequest', `spark.kubernetes.${role}.request.cores`);
  const coreLimit = pick('coreLimit', `spark.kubernetes.${role}.limit.cores`);
  sources.coreRequest ??= sources.cores ?? `spark.${role}.cores (default 1)`;
  const heap = sparkMiB(pick('memory', `spark.${role}.memory`)) ?? 1024;
  const overheadGiven = sparkMiB(pick('memoryOverhead', `spark.${role}.memoryOverhead`));
  // BasicDriverFeatureStep: spark.{role}.memoryOverheadFactor, else spark.kubernetes.memoryOverheadFactor
  // (which the operator sets from spec.memoryOverheadFactor before the sparkConf, so the sparkConf wins),
  // else 0.4 for non-JVM resources and 0.1 otherwise.
  const factor = Number(conf[`spark.${role}.memoryOverheadFactor`] ?? conf['spark.kubernetes.memoryOverheadFactor']
    ?? factorGiven ?? (resource !== 'jvm' ? 0.4 : 0.1));
  // spark.{role}.minMemoryOverhead exists from Spark 4.0.0 (apache/spark core config package.scala,
  // DRIVER_MIN_MEMORY_OVERHEAD); earlier versions keep 384 MiB (ResourceProfile.MEMORY_OVERHEAD_MIN_MIB).
  const minimum = (sparkMajor === undefined || sparkMajor >= 4 ? sparkMiB(conf[`spark.${role}.minMemoryOverhead`]) : undefined)
    ?? MIN_OVERHEAD_MIB;
  const overhead = overheadGiven ?? Math.max(Math.floor(factor * heap), minimum);
  // ResourceProfile.getResourcesForClusterManager: executors also hold the
  // off-heap memory (when enabled) and, for Python applications only, the PySpark memory.
  const pyspark = role === 'executor' && resource === 'python' ? sparkMiB(conf['spark.executor.pyspark.memory']) ?? 0 : 0;
  const offHeap = role === 'executor' && conf['spark.memory.offHeap.enabled'] === 'true'
    ? sparkBytesAsMiB(conf['spark.memory.offHeap.size']) ?? 0 : 0;
  const memory = (heap + overhead + offHeap + pyspark) * MIB;
  const memoryLimit = typed.memoryLimit !== undefined ? parseQuantity(operatorMemoryLimit(String(typed.memoryLimit))) : memory;
  return {
    owner,
    role,
    namespace: namespaceOf(owner.json),
    count,
    resources: {
      requests: { cpu: cpuMillis(coreRequest ?? cores), memory },
      limits: { cpu: coreLimit === undefined ? undefined : cpuMillis(coreLimit), memory: memoryLimit },
    },
    sources,
    podSpec,
    conf,
  };
}

function executorCount(instances: unknown, dynamic: any): number {
  if (dynamic?.enabled === true || dynamic?.enabled === 'true') {
    // Utils.getDynamicAllocationInitialExecutors: the largest of minExecutors,
    // initialExecutors and spark.executor.instances.
    return Math.max(Number(dynamic.minExecutors ?? 0), Number(dynamic.initialExecutors ?? dynamic.minExecutors ?? 0),
      Number(instances ?? 0));
  }
  // Spark's default spark.executor.instances is 2.
  return Number(instances ?? 2);
}

/** The pods the operator's driver and executors will be, from a SparkApplication spec. */
function fromOperatorSpec(owner: ModelObject, spec: any, path: string): SparkPod[] {
  if (!spec || typeof spec !== 'object') {
    return [];
  }
  const conf: { [key: string]: string } = { ...(spec.sparkConf ?? {}) };
  const resource: AppResource = spec.type === 'Python' ? 'python' : spec.type === 'R' ? 'r' : 'jvm';
  const pod = (role: 'driver' | 'executor', count: number) => {
    const p = spec[role] ?? {};
    return rolePod(owner, role, count, p, `${path}${role}`, conf, resource, spec.memoryOverheadFactor, {
      securityContext: p.podSecurityContext,
      hostNetwork: p.hostNetwork,
      volumes: spec.volumes,
      containers: [{ name: `spark-kubernetes-${role}`, securityContext: p.securityContext }, ...(p.sidecars ?? [])],
      initContainers: p.initContainers,
    }, spec.sparkVersion);
  };
  // The operator's defaulting (spark-operator v2.5.2 api/v1beta2/defaults.go) sets
  // executor.instances to 1 unless sparkConf names it or dynamic allocation is on;
  // it looks for the lower-case key spark.dynamicallocation.enabled when
  // spec.dynamicAllocation is absent. The submission then passes
  // spec.dynamicAllocation after the sparkConf (submission.go), so its fields win.
  const daSpec = spec.dynamicAllocation;
  const operatorSeesDynamic = daSpec ? daSpec.enabled === true : conf['spark.dynamicallocation.enabled'] === 'true';
  const instances = spec.executor?.instances ?? (conf['spark.executor.instances'] || (operatorSeesDynamic ? undefined : 1));
  const dynamicEnabled = daSpec?.enabled === true || conf['spark.dynamicAllocation.enabled'] === 'true';
  const dynamic = dynamicEnabled ? {
    enabled: true,
    minExecutors: daSpec?.minExecutors ?? conf['spark.dynamicAllocation.minExecutors'],
    initialExecutors: daSpec?.initialExecutors ?? conf['spark.dynamicAllocation.initialExecutors'],
  } : undefined;
  const out = [pod('executor', executorCount(instances, dynamic))];
  if ((spec.mode ?? 'cluster') === 'cluster') {
    out.unshift(pod('driver', 1));
  }
  return out;
}

/** A conf value as bash reads it: the operator passes a SparkConnect's conf to `bash -c`, so the library single-quotes some. */
function unquoted(value: unknown): string {
  const text = String(value);
  return /^'([^']|'\\'')*'$/.test(text) ? text.slice(1, -1).replace(/'\\''/g, '\'') : text;
}

/**
 * The pods of a SparkConnect (kubeflow/spark-operator v2.5.2
 * internal/controller/sparkconnect): the server pod, which the operator
 * builds from `spec.server.template` (its resources are the template's, the
 * driver runs in it in client mode), and the executors Spark creates.
 */
function fromConnectSpec(owner: ModelObject, spec: any): SparkPod[] {
  if (!spec || typeof spec !== 'object') {
    return [];
  }
  const conf: { [key: string]: string } = {};
  for (const [key, value] of Object.entries(spec.sparkConf ?? {})) conf[key] = unquoted(value);
  // The operator's options.go passes these after the sparkConf: they win.
  conf['spark.driver.port'] = '7078';
  conf['spark.driver.blockManager.port'] = '7079';
  const serverSpec = spec.server?.template?.spec ?? {};
  const container = (serverSpec.containers ?? []).find((c: any) => c?.name === 'spark-kubernetes-driver') ?? {};
  const quantities = (q: any) => ({
    cpu: q?.cpu !== undefined ? cpuMillis(q.cpu) : undefined,
    memory: q?.memory !== undefined ? parseQuantity(String(q.memory)) : undefined,
  });
  const networkLabels = {
    driver: { ...(spec.server?.template?.metadata?.labels ?? {}), 'spark-role': 'connect-server' },
    executor: { ...(spec.executor?.template?.metadata?.labels ?? {}), 'spark-role': 'executor' },
  };
  const server: SparkPod = {
    owner,
    role: 'driver',
    namespace: namespaceOf(owner.json),
    count: 1,
    resources: { requests: quantities(container.resources?.requests), limits: quantities(container.resources?.limits) },
    sources: { cpuRequest: 'spec.server.template', memory: 'spec.server.template' },
    podSpec: serverSpec,
    conf,
    networkLabels,
  };
  const executorSpec = spec.executor?.template?.spec;
  const da = spec.dynamicAllocation;
  const dynamic = da?.enabled === true ? { enabled: true, minExecutors: da.minExecutors, initialExecutors: da.initialExecutors } : undefined;
  const count = executorCount(spec.executor?.instances ?? conf['spark.executor.instances'] ?? (dynamic ? undefined : 2), dynamic);
  const executor = rolePod(owner, 'executor', count, { cores: spec.executor?.cores, memory: spec.executor?.memory }, 'spec.executor', conf,
    'jvm', undefined, executorSpec, spec.sparkVersion);
  return [server, { ...executor, networkLabels }];
}

/** `--conf key=value` pairs of a spark-submit (or thrift server) command line. */
function confFromArgs(args: unknown): { [key: string]: string } | undefined {
  if (!Array.isArray(args)) {
    return undefined;
  }
  const conf: { [key: string]: string } = {};
  let found = false;
  for (let i = 0; i < args.length - 1; i++) {
    if (args[i] === '--conf' && typeof args[i + 1] === 'string') {
      const eq = args[i + 1].indexOf('=');
      if (eq > 0) {
        conf[args[i + 1].slice(0, eq)] = args[i + 1].slice(eq + 1);
        found = true;
      }
    }
  }
  return found ? conf : undefined;
}


/** Pods that spark-submit in a workload's container will create on Kubernetes (master k8s://). */
function fromSubmitCommand(owner: ModelObject): SparkPod[] {
  const template = podSpecOf(owner.json);
  const out: SparkPod[] = [];
  for (const c of template?.containers ?? []) {
    const args: unknown[] = [...(c.command ?? []), ...(c.args ?? [])];
    const conf = confFromArgs(args);
    const after = (flag: string) => (args.indexOf(flag) >= 0 ? args[args.indexOf(flag) + 1] : undefined);
    const master = after('--master');
    if (!conf || typeof master !== 'string' || !master.startsWith('k8s://')) {
      continue;
    }
    const mode = after('--deploy-mode') ?? conf['spark.submit.deployMode'] ?? 'client';
    const primary = args.find((a) => typeof a === 'string' && /\.(py|R)$/.test(a));
    const resource: AppResource = primary === undefined ? 'jvm' : String(primary).endsWith('.py') ? 'python' : 'r';
    const dynamic = conf['spark.dynamicAllocation.enabled'] === 'true' ? {
      enabled: true,
      minExecutors: conf['spark.dynamicAllocation.minExecutors'],
      initialExecutors: conf['spark.dynamicAllocation.initialExecutors'],
    } : undefined;
    if (mode === 'cluster') {
      out.push(rolePod(owner, 'driver', 1, {}, '', conf, resource, undefined));
    }
    out.push(rolePod(owner, 'executor', executorCount(conf['spark.executor.instances'], dynamic), {}, '', conf, resource, undefined));
  }
  return out;
}

// Several rules read the Spark pods of one app: derive them once per list of objects.
const DERIVED = new WeakMap<readonly ModelObject[], readonly SparkPod[]>();

/** Every driver and executor pod Spark will create from the app's objects. */
export function sparkPods(objects: readonly ModelObject[]): readonly SparkPod[] {
  let pods = DERIVED.get(objects);
  if (pods === undefined) {
    pods = derivePods(objects);
    DERIVED.set(objects, pods);
  }
  return pods;
}

function derivePods(objects: readonly ModelObject[]): SparkPod[] {
  const out: SparkPod[] = [];
  for (const o of objects) {
    const kind = o.json?.kind;
    const group = String(o.json?.apiVersion ?? '').split('/')[0];
    if (group === 'sparkoperator.k8s.io' && kind === 'SparkApplication') {
      out.push(...fromOperatorSpec(o, o.json.spec, 'spec.'));
    } else if (group === 'sparkoperator.k8s.io' && kind === 'SparkConnect') {
      out.push(...fromConnectSpec(o, o.json.spec));
    } else if (group === 'sparkoperator.k8s.io' && kind === 'ScheduledSparkApplication') {
      out.push(...fromOperatorSpec(o, o.json.spec?.template, 'spec.template.'));
    } else if (podSpecOf(o.json) !== undefined) {
      out.push(...fromSubmitCommand(o));
    }
  }
  return out;
}

/** `SparkApplication ns/name (path) driver` */
export function describePod(pod: SparkPod): string {
  return `${describe(pod.owner)} ${pod.role}${pod.count > 1 ? `s (${pod.count})` : ''}`;
}
