import { describe, groupOf, isClusterScoped, ModelObject, namespaceOf, podSpecOf, Rule } from './objects';

// What kube-apiserver refuses before any controller sees the object.

/**
 * CustomResourceDefinitions: the name is `<plural>.<group>`; a group that
 * ends in `.k8s.io` or `.kubernetes.io` needs the `api-approved.kubernetes.io`
 * annotation holding a URL or a reason starting with "unapproved"
 * (kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/apihelpers/helpers.go,
 * IsProtectedCommunityGroup and GetAPIApprovalState); exactly one storage
 * version; a structural schema (every node typed unless it preserves unknown
 * fields or is int-or-string).
 */
export const crdRule: Rule = (objects) => {
  const out: string[] = [];
  for (const o of objects) {
    if (o.json?.kind !== 'CustomResourceDefinition') {
      continue;
    }
    const spec = o.json.spec ?? {};
    const group: string = spec.group ?? '';
    const expected = `${spec.names?.plural}.${group}`;
    if (o.json.metadata?.name !== expected) {
      out.push(`${describe(o)}: the API server refuses a CRD whose name is not <plural>.<group>; name it "${expected}"`);
    }
    if (isProtectedGroup(group)) {
      const approval: unknown = o.json.metadata?.annotations?.['api-approved.kubernetes.io'];
      if (!isApproval(approval)) {
        out.push(`${describe(o)}: group "${group}" is protected (it ends in .k8s.io or .kubernetes.io); the API server `
          + 'refuses the CRD without the annotation api-approved.kubernetes.io holding the URL of the approving pull request '
          + `or a reason starting with "unapproved" (got ${approval === undefined ? 'none' : JSON.stringify(approval)})`);
      }
    }
    const versions: any[] = spec.versions ?? [];
    const storage = versions.filter((v) => v.storage === true).length;
    if (storage !== 1) {
      out.push(`${describe(o)}: a CRD needs exactly one storage version (has ${storage})`);
    }
    for (const v of versions) {
      const schema = v.schema?.openAPIV3Schema;
      if (schema === undefined) {
        out.push(`${describe(o)}: version ${v.name} has no schema (apiextensions.k8s.io/v1 requires one)`);
        continue;
      }
      for (const at of untypedNodes(schema, '')) {
        out.push(`${describe(o)}: version ${v.name}: schema node ${at || '(root)'} has no type; the API server refuses `
          + 'non-structural schemas (give it a type, or x-kubernetes-preserve-unknown-fields / x-kubernetes-int-or-string)');
      }
    }
  }
  return out;
};

function isProtectedGroup(group: string): boolean {
  return group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
}

function isApproval(value: unknown): boolean {
  if (typeof value !== 'string' || value === '') {
    return false;
  }
  if (value.startsWith('unapproved')) {
    return true;
  }
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/\s]+/.test(value);
}

function untypedNodes(node: any, at: string): string[] {
  if (node === null || typeof node !== 'object') {
    return [];
  }
  const out: string[] = [];
  const exempt = node['x-kubernetes-preserve-unknown-fields'] === true || node['x-kubernetes-int-or-string'] === true;
  if (!exempt && (typeof node.type !== 'string' || node.type === '')) {
    out.push(at);
  }
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    out.push(...untypedNodes(child, `${at}.${name}`));
  }
  if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) {
    out.push(...untypedNodes(node.items, `${at}[]`));
  }
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    out.push(...untypedNodes(node.additionalProperties, `${at}.*`));
  }
  return out;
}

/**
 * Identity: one object per group, kind, namespace and name. A second one
 * overwrites the first at apply time (kubectl) or fails the sync (Argo CD).
 */
export const identityRule: Rule = (objects) => {
  const seen = new Map<string, ModelObject>();
  const out: string[] = [];
  for (const o of objects) {
    const j = o.json;
    if (typeof j?.apiVersion !== 'string' || typeof j?.kind !== 'string') {
      continue;
    }
    const key = `${groupOf(j.apiVersion)}|${j.kind}|${isClusterScoped(j) ? '' : namespaceOf(j)}|${j.metadata?.name}`;
    const first = seen.get(key);
    if (first) {
      out.push(`${describe(o)} and ${describe(first)}: two objects with the same kind, namespace and name; `
        + 'the second would replace the first when applied; rename one');
    } else {
      seen.set(key, o);
    }
  }
  return out;
};

/**
 * Services: a fixed clusterIP and a nodePort each belong to one Service in
 * the cluster; the API server refuses the second ("provided IP is already
 * allocated", "provided port is already allocated").
 */
export const serviceAllocationRule: Rule = (objects) => {
  const ips = new Map<string, ModelObject>();
  const ports = new Map<string, ModelObject>();
  const out: string[] = [];
  for (const o of objects) {
    if (o.json?.kind !== 'Service' || groupOf(o.json.apiVersion ?? '') !== '') {
      continue;
    }
    const spec = o.json.spec ?? {};
    const ip: unknown = spec.clusterIP;
    if (typeof ip === 'string' && ip !== '' && ip !== 'None') {
      const first = ips.get(ip);
      if (first) {
        out.push(`${describe(o)} and ${describe(first)} both ask for clusterIP ${ip}; the API server refuses the second `
          + '("provided IP is already allocated"); give one another address');
      } else {
        ips.set(ip, o);
      }
    }
    for (const p of spec.ports ?? []) {
      if (p.nodePort === undefined) {
        continue;
      }
      const key = `${p.protocol ?? 'TCP'}/${p.nodePort}`;
      const first = ports.get(key);
      if (first && first !== o) {
        out.push(`${describe(o)} and ${describe(first)} both ask for nodePort ${p.nodePort}; the API server refuses the `
          + 'second ("provided port is already allocated"); give one another port');
      } else {
        ports.set(key, o);
      }
    }
  }
  return out;
};

/**
 * Service accounts: the ServiceAccount admission plugin refuses a pod whose
 * account does not exist ("error looking up service account ns/name",
 * kubernetes/kubernetes plugin/pkg/admission/serviceaccount/admission.go).
 * Only namespaces the app itself creates are judged: there the accounts are
 * `default` and the app's own, anywhere else the cluster may have more.
 */
export const serviceAccountRule: Rule = (objects) => {
  const created = new Set(objects.filter((o) => o.json?.kind === 'Namespace').map((o) => o.json.metadata?.name));
  if (created.size === 0) {
    return [];
  }
  const accounts = new Set(objects.filter((o) => o.json?.kind === 'ServiceAccount')
    .map((o) => `${namespaceOf(o.json)}/${o.json.metadata?.name}`));
  const out: string[] = [];
  const check = (o: ModelObject, who: string, account: unknown) => {
    const namespace = namespaceOf(o.json);
    const name = typeof account === 'string' && account !== '' ? account : 'default';
    if (name !== 'default' && created.has(namespace) && !accounts.has(`${namespace}/${name}`)) {
      out.push(`${describe(o)}: ${who} run as ServiceAccount ${namespace}/${name}, which the app does not create in the namespace it `
        + `creates; the API server refuses the pods ("error looking up service account ${namespace}/${name}"). `
        + 'Fix: create the account in the app (SparkServiceAccount) or name one that exists');
    }
  };
  for (const o of objects) {
    const spec = podSpecOf(o.json);
    if (spec) {
      check(o, 'its pods', spec.serviceAccountName);
    }
    const kind = o.json?.kind;
    if (groupOf(o.json?.apiVersion ?? '') === 'sparkoperator.k8s.io' && (kind === 'SparkApplication' || kind === 'ScheduledSparkApplication')) {
      const app = kind === 'SparkApplication' ? o.json.spec : o.json.spec?.template;
      check(o, 'its driver pods', app?.driver?.serviceAccount);
      if (app?.executor?.serviceAccount !== undefined) {
        check(o, 'its executor pods', app.executor.serviceAccount);
      }
    }
    if (groupOf(o.json?.apiVersion ?? '') === 'sparkoperator.k8s.io' && kind === 'SparkConnect') {
      // The operator creates the server pod from this template (internal/controller/sparkconnect/reconciler.go).
      check(o, 'its server pod', o.json.spec?.server?.template?.spec?.serviceAccountName);
    }
    // spark-submit in a workload's container: the driver pod it creates.
    for (const c of spec?.containers ?? []) {
      for (const arg of [...(c.command ?? []), ...(c.args ?? [])]) {
        const match = typeof arg === 'string' ? /^spark\.kubernetes\.authenticate\.driver\.serviceAccountName=(.+)$/.exec(arg) : null;
        if (match) {
          check(o, 'the driver pods it submits', match[1]);
        }
      }
    }
  }
  return out;
};
