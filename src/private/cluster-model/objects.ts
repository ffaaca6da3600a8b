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
