/** One object the app emits, as the API server will receive it. */
export interface ModelObject {
  /** The construct path of the ApiObject that renders it, when known. */
  readonly path?: string;
  /** The synthesized manifest. */
  readonly json: any;
}

/** A broken rule: what the cluster would do with the app's output, and the fix. */
export type Finding = string;

/** A rule of the cluster model: reads every object of the app, reports what the cluster would refuse or break. */
export type Rule = (objects: readonly ModelObject[]) => Finding[];

// Kinds that live outside any namespace (the ones an app of ours can emit).
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CustomResourceDefinition', 'ClusterRole',
  'ClusterRoleBinding', 'PriorityClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'CSIDriver', 'RuntimeClass',
  'IngressClass', 'ClusterIssuer',
]);

/** True for kinds that have no namespace. */
export function isClusterScoped(json: any): boolean {
  return CLUSTER_SCOPED.has(json?.kind);
}

/** The namespace the object lands in ('' when it names none: kubectl's current namespace). */
export function namespaceOf(json: any): string {
  return isClusterScoped(json) ? '' : (json?.metadata?.namespace ?? '');
}

/** `Kind namespace/name` plus the construct path: how findings name an object. */
export function describe(o: ModelObject): string {
  const ns = namespaceOf(o.json);
  const id = `${o.json?.kind} ${ns ? `${ns}/` : ''}${o.json?.metadata?.name}`;
  return o.path ? `${id} (${o.path})` : id;
}

/** The API group of an apiVersion ('' for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The pod template of a workload (a Pod's own metadata and spec), or undefined for other kinds. */
export function podTemplateOf(json: any): { metadata?: any; spec?: any } | undefined {
  switch (json?.kind) {
    case 'Job': case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet':
      return json.spec?.template;
    case 'CronJob':
      return json.spec?.jobTemplate?.spec?.template;
    case 'Pod':
      return { metadata: json.metadata, spec: json.spec };
    default:
      return undefined;
  }
}

/** The pod spec of a workload, or undefined for other kinds. */
export function podSpecOf(json: any): any {
  return podTemplateOf(json)?.spec;
}

/** Whether a label selector (matchLabels, matchExpressions) selects `labels`; no selector selects everything. */
export function matchesSelector(selector: any, labels: { readonly [key: string]: string }): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values: unknown[] = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}
