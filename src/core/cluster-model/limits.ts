import { describe, ModelObject, namespaceOf, podSpecOf, Rule } from './objects';
import { cpuMillis, formatCpu, formatMemory, memoryBytes, parseQuantity } from './quantity';
import { ContainerResources, describePod, SparkPod, sparkPods } from './spark-pods';

// What the API server does to a container's resources in a namespace with a
// LimitRange and a ResourceQuota, in the order it does it:
// 1. defaulting of the pod (kubernetes/kubernetes pkg/apis/core/v1/defaults.go,
//    SetDefaults_Pod): a resource with a limit and no request gets the limit as request;
// 2. the LimitRanger admission plugin (plugin/pkg/admission/limitranger/admission.go):
//    a missing limit becomes the LimitRange's `default`, a missing request its
//    `defaultRequest`; the LimitRange itself was defaulted when created
//    (SetDefaults_LimitRangeItem: default from max, defaultRequest from default, then min);
//    then min/max are enforced;
// 3. pod validation (pkg/apis/core/validation ValidateResourceRequirements):
//    a request above its limit is refused;
// 4. the ResourceQuota plugin: with `limits.cpu` (or another tracked figure)
//    in the quota, every container must state it, and the totals must fit.

type Figure = 'cpu' | 'memory';
const FIGURES: Figure[] = ['cpu', 'memory'];
const PARSE: { [f in Figure]: (v: unknown) => number | undefined } = { cpu: cpuMillis, memory: memoryBytes };
const FORMAT: { [f in Figure]: (n: number) => string } = { cpu: formatCpu, memory: formatMemory };

interface LimitItem {
  readonly from: ModelObject;
  readonly default: { [f in Figure]?: number };
  readonly defaultRequest: { [f in Figure]?: number };
  readonly min: { [f in Figure]?: number };
  readonly max: { [f in Figure]?: number };
  /** maxLimitRequestRatio, as a plain number. */
  readonly ratio: { [f in Figure]?: number };
}

function quantities(list: any): { [f in Figure]?: number } {
  const out: { [f in Figure]?: number } = {};
  for (const f of FIGURES) {
    const v = list?.[f] !== undefined ? PARSE[f](list[f]) : undefined;
    if (v !== undefined) out[f] = v;
  }
  return out;
}

/** The Container items of the namespace's LimitRanges, defaulted as the API server stores them. */
function limitItems(objects: readonly ModelObject[]): Map<string, LimitItem[]> {
  const out = new Map<string, LimitItem[]>();
  for (const o of objects) {
    if (o.json?.kind !== 'LimitRange') continue;
    for (const item of o.json.spec?.limits ?? []) {
      if (item.type !== 'Container') continue;
      const max = quantities(item.max);
      const min = quantities(item.min);
      const def = { ...max, ...quantities(item.default) };
      const defaultRequest = { ...min, ...def, ...quantities(item.defaultRequest) };
      const list = out.get(namespaceOf(o.json)) ?? [];
      const ratio: { [f in Figure]?: number } = {};
      for (const f of FIGURES) {
        const r = parseQuantity(item.maxLimitRequestRatio?.[f]);
        if (r !== undefined) ratio[f] = r;
      }
      list.push({ from: o, default: def, defaultRequest, min, max, ratio });
      out.set(namespaceOf(o.json), list);
    }
  }
  return out;
}

interface Admitted {
  readonly resources: ContainerResources;
  /** Which LimitRange filled each figure in. */
  readonly filledBy: { [figure: string]: ModelObject };
}

/** The container's resources after defaulting and the LimitRanger plugin. */
function admit(resources: ContainerResources, items: readonly LimitItem[]): Admitted {
  const requests = { ...resources.requests };
  const limits = { ...resources.limits };
  const filledBy: { [figure: string]: ModelObject } = {};
  for (const f of FIGURES) {
    if (limits[f] !== undefined && requests[f] === undefined) requests[f] = limits[f];
  }
  for (const item of items) {
    for (const f of FIGURES) {
      if (limits[f] === undefined && item.default[f] !== undefined) {
        limits[f] = item.default[f];
        filledBy[`limits.${f}`] = item.from;
      }
      if (requests[f] === undefined && item.defaultRequest[f] !== undefined) {
        requests[f] = item.defaultRequest[f];
        filledBy[`requests.${f}`] = item.from;
      }
    }
  }
  return { resources: { requests, limits }, filledBy };
}

/** The pods of the app, Spark's and our own workloads', with their resources per container. */
interface CheckedPod {
  /** The object that causes the pods (a job's pods add up against the quota). */
  readonly owner: string;
  readonly what: string;
  readonly namespace: string;
  readonly count: number;
  readonly containers: CheckedContainer[];
}

interface CheckedContainer {
  readonly name: string;
  readonly resources: ContainerResources;
  readonly hint: (f: Figure, kind: 'request' | 'limit') => string;
  /** An init container; `restartable` when it is a sidecar (restartPolicy Always). */
  readonly init?: { readonly restartable: boolean };
}

/**
 * What one pod counts against a quota (kubernetes/kubernetes pkg/quota/v1/evaluator/core/pods.go
 * PodUsageFunc, through k8s.io/component-helpers/resource PodRequests and PodLimits): the
 * containers and sidecars add up; an init container runs alone (next to the sidecars
 * started before it), so the pod counts the larger of the two.
 */
function podUsage(values: ReadonlyArray<{ value: number; init?: { restartable: boolean } }>): number {
  let sum = 0;
  let sidecars = 0;
  let initMax = 0;
  for (const v of values) {
    if (!v.init) {
      sum += v.value;
    } else if (v.init.restartable) {
      sidecars += v.value;
      sum += v.value;
    } else {
      initMax = Math.max(initMax, v.value + sidecars);
    }
  }
  return Math.max(sum, initMax);
}

function fromSpark(pod: SparkPod): CheckedPod {
  const roleField = (name: string) => pod.sources[name] ?? name;
  return {
    owner: describe(pod.owner),
    what: describePod(pod),
    namespace: pod.namespace,
    count: pod.count,
    containers: [{
      name: `spark-kubernetes-${pod.role}`,
      resources: pod.resources,
      hint: (f, kind) => {
        if (f === 'cpu') {
          return kind === 'limit'
            ? `Spark asks for ${roleField('coreRequest')} CPUs and sets no CPU limit unless ${pod.role}.coreLimit `
              + `(spark.kubernetes.${pod.role}.limit.cores) is given: set it to at least the request`
            : `lower ${roleField('coreRequest')}`;
        }
        return `Spark sets the memory request and limit to heap + overhead; lower ${pod.role} memory or memoryOverhead`;
      },
    }],
  };
}


function fromWorkload(o: ModelObject): CheckedPod | undefined {
  const spec = podSpecOf(o.json);
  if (!spec) return undefined;
  const container = (c: any, init?: { restartable: boolean }): CheckedContainer => ({
    name: String(c.name),
    resources: { requests: quantities(c.resources?.requests), limits: quantities(c.resources?.limits) },
    hint: (f: Figure, kind: 'request' | 'limit') => `set the container's ${f} ${kind}`,
    init,
  });
  const containers = [
    ...(spec.initContainers ?? []).map((c: any) => container(c, { restartable: c.restartPolicy === 'Always' })),
    ...(spec.containers ?? []).map((c: any) => container(c)),
  ];
  const replicas = o.json.kind === 'Deployment' || o.json.kind === 'StatefulSet' || o.json.kind === 'ReplicaSet'
    ? Number(o.json.spec?.replicas ?? 1) : 1;
  return { owner: describe(o), what: `${describe(o)} pods`, namespace: namespaceOf(o.json), count: replicas, containers };
}

/**
 * Pods that the namespace's LimitRange and ResourceQuota make the API server
 * refuse: a request above the limit after defaults, a figure outside min/max,
 * a figure the quota tracks and the pod does not state, or one job whose own
 * pods exceed the quota.
 */
export const limitsRule: Rule = (objects) => {
  const items = limitItems(objects);
  const quotas = new Map<string, ModelObject[]>();
  for (const o of objects) {
    if (o.json?.kind === 'ResourceQuota') {
      const list = quotas.get(namespaceOf(o.json)) ?? [];
      list.push(o);
      quotas.set(namespaceOf(o.json), list);
    }
  }
  if (items.size === 0 && quotas.size === 0) return [];

  const pods: CheckedPod[] = [...sparkPods(objects).map(fromSpark)];
  for (const o of objects) {
    const p = fromWorkload(o);
    if (p) pods.push(p);
  }

  const out: string[] = [];
  const totals = new Map<string, { what: string; namespace: string; used: { [key: string]: number } }>();
  for (const pod of pods) {
    const nsItems = items.get(pod.namespace) ?? [];
    const nsQuotas = quotas.get(pod.namespace) ?? [];
    if (nsItems.length === 0 && nsQuotas.length === 0) continue;
    const perContainer: { [key: string]: Array<{ value: number; init?: { restartable: boolean } }> } = {};
    for (const c of pod.containers) {
      const { resources, filledBy } = admit(c.resources, nsItems);
      for (const f of FIGURES) {
        const request = resources.requests[f];
        const limit = resources.limits[f];
        if (request !== undefined && limit !== undefined && request > limit) {
          const by = filledBy[`limits.${f}`];
          const origin = by ? ` that ${describe(by)} gives containers without one` : '';
          out.push(`${pod.what}: container ${c.name} requests ${FORMAT[f](request)} ${f} above its ${f} limit `
            + `${FORMAT[f](limit)}${origin}; the API server refuses the pod (request must not exceed limit). Fix: ${c.hint(f, 'limit')}`);
        }
        for (const item of nsItems) {
          const max = item.max[f];
          if (max !== undefined && limit !== undefined && limit > max) {
            out.push(`${pod.what}: container ${c.name} has a ${f} limit of ${FORMAT[f](limit)}, above the maximum `
              + `${FORMAT[f](max)} of ${describe(item.from)}; the API server refuses the pod. Fix: ${c.hint(f, 'limit')} or raise the maximum`);
          }
          const min = item.min[f];
          if (min !== undefined && request !== undefined && request < min) {
            out.push(`${pod.what}: container ${c.name} requests ${FORMAT[f](request)} ${f}, below the minimum `
              + `${FORMAT[f](min)} of ${describe(item.from)}; the API server refuses the pod. Fix: ${c.hint(f, 'request')}`);
          }
          // limitranger admission.go limitRequestRatioConstraint: both must be set and non-zero, limit/request <= ratio.
          const ratio = item.ratio[f];
          if (ratio !== undefined) {
            if (!request || !limit) {
              out.push(`${pod.what}: container ${c.name} has no ${!request ? 'request' : 'limit'} for ${f} (or 0), but `
                + `${describe(item.from)} sets maxLimitRequestRatio ${ratio} for it; the API server refuses the pod. Fix: ${c.hint(f, !request ? 'request' : 'limit')}`);
            } else if (limit / request > ratio) {
              out.push(`${pod.what}: container ${c.name} has a ${f} limit of ${FORMAT[f](limit)} for a request of ${FORMAT[f](request)}, `
                + `a ratio of ${(limit / request).toFixed(2)} above the maxLimitRequestRatio ${ratio} of ${describe(item.from)}; `
                + `the API server refuses the pod. Fix: ${c.hint(f, 'limit')}, or raise the request`);
            }
          }
        }
        for (const [key, value] of [[`requests.${f}`, request], [`limits.${f}`, limit]] as const) {
          (perContainer[key] ??= []).push({ value: value ?? 0, init: c.init });
          for (const q of nsQuotas) {
            const hard = q.json.spec?.hard ?? {};
            const tracked = hard[key] !== undefined || (key.startsWith('requests.') && hard[f] !== undefined);
            if (tracked && value === undefined) {
              out.push(`${pod.what}: container ${c.name} states no ${key} and nothing in the namespace supplies one, but `
                + `${describe(q)} tracks ${key}; the API server refuses the pod ("must specify ${key}"). `
                + `Fix: ${c.hint(f, key.startsWith('limits.') ? 'limit' : 'request')}, or give the tenant a default (containerDefaults)`);
            }
          }
        }
      }
    }
    const used: { [key: string]: number } = { pods: pod.count };
    for (const [key, values] of Object.entries(perContainer)) used[key] = podUsage(values) * pod.count;
    // One job's own pods against the quota (Spark pods of one owner add up).
    const key = pod.owner;
    const total = totals.get(key) ?? { what: key, namespace: pod.namespace, used: {} };
    for (const [k, v] of Object.entries(used)) total.used[k] = (total.used[k] ?? 0) + v;
    totals.set(key, total);
  }
  for (const total of totals.values()) {
    for (const q of quotas.get(total.namespace) ?? []) {
      const hard = q.json.spec?.hard ?? {};
      for (const [key, used] of Object.entries(total.used)) {
        const figure: Figure = key.endsWith('cpu') ? 'cpu' : 'memory';
        const limitText = hard[key] ?? (key.startsWith('requests.') ? hard[figure] : undefined);
        if (limitText === undefined) continue;
        const cap = key === 'pods' ? Number(limitText) : PARSE[figure](limitText);
        if (cap !== undefined && used > cap) {
          const show = (n: number) => (key === 'pods' ? String(n) : FORMAT[figure](n));
          out.push(`${total.what}: needs ${show(used)} of ${key} on its own, more than the ${show(cap)} that `
            + `${describe(q)} allows for the whole namespace; it can never run. Fix: fewer or smaller executors, or a larger quota`);
        }
      }
    }
  }
  return out;
};
