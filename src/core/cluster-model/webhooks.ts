import { isDns1035Label } from '../validate';
import { describe, groupOf, isClusterScoped, matchesSelector, ModelObject, namespaceOf, Rule } from './objects';
import { cpuMillis, formatCpu, formatMemory, memoryBytes, parseQuantity } from './quantity';
import { operatorMemoryLimit } from './spark-pods';

// Admission webhooks of the app that refuse the app's own objects.
//
// Which requests a webhook sees (https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/):
// a rule matches group, version, resource, operation and scope; the
// namespaceSelector is tested against the labels of the object's namespace
// (the object's own labels for a Namespace; other cluster-scoped objects are
// never skipped); the objectSelector against the object's labels.
// failurePolicy defaults to Fail in admissionregistration.k8s.io/v1: when the
// webhook cannot be called, the API server refuses the request.
//
// What the Spark operator's webhook refuses is read from kubeflow/spark-operator
// v2.5.2: internal/webhook/sparkapplication_validator.go,
// scheduledsparkapplication_validator.go, sparkconf_validator.go, resourcequota.go
// and sparkpod_defaulter.go (an error of a controller-runtime defaulter or
// validator is a denial: controller-runtime pkg/webhook/admission/defaulter_custom.go).

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const VALIDATE_APP = '/validate-sparkoperator-k8s-io-v1beta2-sparkapplication';
const VALIDATE_SCHEDULED = '/validate-sparkoperator-k8s-io-v1beta2-scheduledsparkapplication';
const MUTATE_POD = '/mutate--v1-pod';
const LAUNCHED_BY_OPERATOR = 'sparkoperator.k8s.io/launched-by-spark-operator';

interface Hook {
  readonly config: ModelObject;
  readonly name: string;
  readonly spec: any;
  readonly failurePolicy: string;
  readonly service?: { readonly namespace: string; readonly name: string; readonly path: string };
}

/** An object as a webhook sees it in an admission request. */
interface Request {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly namespace: string;
  readonly labels: { readonly [key: string]: string };
  readonly clusterScoped: boolean;
}


function hooksOf(objects: readonly ModelObject[]): Hook[] {
  const out: Hook[] = [];
  for (const o of objects) {
    const kind = o.json?.kind;
    if (kind !== 'MutatingWebhookConfiguration' && kind !== 'ValidatingWebhookConfiguration') continue;
    for (const w of o.json.webhooks ?? []) {
      const svc = w.clientConfig?.service;
      out.push({
        config: o,
        name: String(w.name),
        spec: w,
        failurePolicy: w.failurePolicy ?? 'Fail',
        service: svc ? { namespace: String(svc.namespace), name: String(svc.name), path: String(svc.path ?? '') } : undefined,
      });
    }
  }
  return out;
}

/** Resource names of the kinds whose requests the rules below look at. */
const RESOURCES: { readonly [kind: string]: string } = {
  Pod: 'pods',
  SparkApplication: 'sparkapplications',
  ScheduledSparkApplication: 'scheduledsparkapplications',
  SparkConnect: 'sparkconnects',
  Namespace: 'namespaces',
  Service: 'services',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  ServiceAccount: 'serviceaccounts',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  NetworkPolicy: 'networkpolicies',
  ResourceQuota: 'resourcequotas',
  LimitRange: 'limitranges',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  Ingress: 'ingresses',
  CustomResourceDefinition: 'customresourcedefinitions',
};

function requestOf(json: any): Request | undefined {
  const resource = RESOURCES[json?.kind];
  if (!resource || typeof json.apiVersion !== 'string') return undefined;
  const slash = json.apiVersion.indexOf('/');
  return {
    group: groupOf(json.apiVersion),
    version: slash < 0 ? json.apiVersion : json.apiVersion.slice(slash + 1),
    resource,
    namespace: namespaceOf(json),
    labels: json.metadata?.labels ?? {},
    clusterScoped: isClusterScoped(json),
  };
}

class Matcher {
  private readonly namespaceLabels = new Map<string, { [key: string]: string }>();

  constructor(objects: readonly ModelObject[]) {
    for (const o of objects) {
      if (o.json?.kind === 'Namespace') this.namespaceLabels.set(o.json.metadata?.name, o.json.metadata?.labels ?? {});
    }
  }

  /** Whether the API server sends a CREATE of `req` to `hook`. */
  public matches(hook: Hook, req: Request): boolean {
    const any = (list: unknown, value: string) => Array.isArray(list) && (list.includes('*') || list.includes(value));
    const ruleOk = (hook.spec.rules ?? []).some((r: any) => any(r.apiGroups, req.group) && any(r.apiVersions, req.version)
      && any(r.resources, req.resource) && any(r.operations, 'CREATE')
      && (r.scope === undefined || r.scope === '*' || (r.scope === 'Cluster') === req.clusterScoped));
    if (!ruleOk) return false;
    if (!matchesSelector(hook.spec.objectSelector, req.labels)) return false;
    if (req.resource === 'namespaces') return matchesSelector(hook.spec.namespaceSelector, req.labels);
    if (req.clusterScoped) return true;
    // The API server labels every namespace with its name (Kubernetes 1.22+).
    const labels = { ...(this.namespaceLabels.get(req.namespace) ?? {}), 'kubernetes.io/metadata.name': req.namespace };
    return matchesSelector(hook.spec.namespaceSelector, labels);
  }
}

/** The Deployments (or other workloads) whose pods back the webhook's Service. */
function backends(objects: readonly ModelObject[], hook: Hook): ModelObject[] {
  const svc = hook.service;
  if (!svc) return [];
  const service = objects.find((o) => o.json?.kind === 'Service' && o.json.metadata?.name === svc.name && namespaceOf(o.json) === svc.namespace);
  const selector = service?.json.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  return objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.json?.kind) && namespaceOf(o.json) === svc.namespace
    && Object.entries(selector).every(([k, v]) => o.json.spec?.template?.metadata?.labels?.[k] === v));
}

function waveOf(o: ModelObject): number {
  const w = Number(o.json?.metadata?.annotations?.[SYNC_WAVE] ?? 0);
  return Number.isFinite(w) ? w : 0;
}

// sparkconf_validator.go: keys the operator sets itself.
const DENIED_CONF: { readonly [key: string]: string } = {
  'spark.kubernetes.authenticate.driver.serviceAccountName': 'set driver.serviceAccount instead',
  'spark.kubernetes.authenticate.executor.serviceAccountName': 'set executor.serviceAccount instead',
  'spark.kubernetes.authenticate.oauthTokenFile': 'the operator manages credentials',
  'spark.kubernetes.authenticate.oauthToken': 'the operator manages credentials',
  'spark.kubernetes.authenticate.driver.oauthTokenFile': 'the operator manages credentials',
  'spark.kubernetes.authenticate.driver.oauthToken': 'the operator manages credentials',
  'spark.kubernetes.authenticate.executor.oauthTokenFile': 'the operator manages credentials',
  'spark.kubernetes.authenticate.executor.oauthToken': 'the operator manages credentials',
  'spark.master': 'the operator sets it',
  'spark.kubernetes.driver.master': 'the operator sets it',
  'spark.kubernetes.container.image': 'set image instead',
  'spark.kubernetes.driver.container.image': 'set image (or driver.image) instead',
  'spark.kubernetes.executor.container.image': 'set image (or executor.image) instead',
};

function confProblems(conf: any, namespace: string, at: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(conf ?? {})) {
    if (DENIED_CONF[key]) out.push(`${at}sparkConf sets ${key}, which the operator refuses (${DENIED_CONF[key]})`);
    if (key === 'spark.kubernetes.namespace' && value !== namespace) {
      out.push(`${at}sparkConf sets spark.kubernetes.namespace to "${String(value)}", not the object's namespace "${namespace}"; remove it`);
    }
  }
  return out;
}

/** golang.org/x/mod/semver as util.CompareSemanticVersion uses it: -1, 0, 1; an invalid version sorts first. */
function compareVersion(a: string, b: string): number {
  const parse = (s: string) => /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(s);
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return pa ? 1 : pb ? -1 : 0;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i] ?? 0) - Number(pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** What the operator's SparkApplication validator refuses in `spec` (validateSpec). */
function specProblems(spec: any, namespace: string, at: string): string[] {
  const out: string[] = [];
  if ((spec?.driver?.template !== undefined || spec?.executor?.template !== undefined)
    && compareVersion(String(spec?.sparkVersion ?? ''), '3.0.0') < 0) {
    out.push(`${at}driver/executor template needs ${at}sparkVersion 3.0.0 or later (got "${spec?.sparkVersion ?? ''}")`);
  }
  if (spec?.nodeSelector !== undefined && (spec?.driver?.nodeSelector !== undefined || spec?.executor?.nodeSelector !== undefined)) {
    out.push(`${at}nodeSelector is set together with a driver or executor nodeSelector; keep one of them`);
  }
  const ports = new Set<number>();
  const formats = new Set<string>();
  for (const item of spec?.driverIngressOptions ?? []) {
    if (item.servicePort === undefined || item.servicePort === null) {
      out.push(`${at}driverIngressOptions has an entry without servicePort`);
      continue;
    }
    if (ports.has(item.servicePort)) out.push(`${at}driverIngressOptions repeats servicePort ${item.servicePort}`);
    ports.add(item.servicePort);
    if (!item.ingressURLFormat) out.push(`${at}driverIngressOptions has an entry without ingressURLFormat`);
    else if (formats.has(item.ingressURLFormat)) out.push(`${at}driverIngressOptions repeats ingressURLFormat ${item.ingressURLFormat}`);
    else formats.add(item.ingressURLFormat);
  }
  out.push(...confProblems(spec?.sparkConf, namespace, at));
  return out;
}

// resourcequota.go parseJavaMemoryString: the first number of the string and
// its lower-case unit letters (b, k/kb ... p/pb); anything else fails.
const JAVA_UNITS: { readonly [unit: string]: number } = {
  b: 1, k: 2 ** 10, kb: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, t: 2 ** 40, tb: 2 ** 40, p: 2 ** 50, pb: 2 ** 50,
};
function javaBytes(value: string): number | undefined {
  const match = /([0-9]+)([a-z]+)?/.exec(value.toLowerCase());
  if (!match) return undefined;
  const unit = match[2] ?? '';
  if (unit === '') return undefined;
  return JAVA_UNITS[unit] !== undefined ? Number(match[1]) * JAVA_UNITS[unit] : undefined;
}

/**
 * The figures the operator's quota check charges a SparkApplication with
 * (resourcequota.go getResourceList, after the defaulter of api/v1beta2/defaults.go):
 * its own formula, not Spark's — cores (not coreRequest) for requests, the
 * 0.1 overhead factor for Java applications only and 0.4 for every other type,
 * one executor unless instances says otherwise, the driver counted in every mode.
 */
function operatorCharge(spec: any): { [key: string]: number } | string {
  const conf = spec?.sparkConf ?? {};
  // The defaulter sets executor.instances only when the sparkConf does not; the check counts 1 then.
  const replicas = Number(spec?.executor?.instances ?? 1);
  const factor = spec?.memoryOverheadFactor !== undefined ? Number(spec.memoryOverheadFactor)
    : (spec?.type ?? 'Scala') === 'Java' ? 0.1 : 0.4;
  const totals: { [key: string]: number } = {};
  const add = (key: string, n: number) => { totals[key] = (totals[key] ?? 0) + n; };
  for (const [role, count] of [['driver', 1], ['executor', replicas]] as const) {
    const p = spec?.[role] ?? {};
    // cores (1 when unset), whatever coreRequest says; memory 1g from the
    // defaulter unless the sparkConf names it, and then none (0) is charged.
    const cpu = Number(p.cores ?? 1) * 1000;
    const limit = p.coreLimit !== undefined ? cpuMillis(String(p.coreLimit)) : cpu;
    if (limit === undefined) return `${role}.coreLimit "${p.coreLimit}" is not a quantity`;
    const memoryText = p.memory ?? (conf[`spark.${role}.memory`] !== undefined ? undefined : '1g');
    const heap = memoryText !== undefined ? javaBytes(String(memoryText)) : 0;
    if (heap === undefined) return `${role}.memory "${memoryText}" is not Java memory notation`;
    const overhead = p.memoryOverhead !== undefined ? javaBytes(String(p.memoryOverhead)) : Math.max(Math.floor(heap * factor), 384 * 2 ** 20);
    if (overhead === undefined) return `${role}.memoryOverhead "${p.memoryOverhead}" is not Java memory notation`;
    for (const key of ['cpu', 'requests.cpu']) add(key, cpu * count);
    add('limits.cpu', limit * count);
    for (const key of ['memory', 'requests.memory', 'limits.memory']) add(key, (heap + overhead) * count);
  }
  return totals;
}

function quotaProblems(objects: readonly ModelObject[], app: ModelObject): string[] {
  const charge = operatorCharge(app.json.spec);
  if (typeof charge === 'string') return [`the quota check cannot read it: ${charge}`];
  const out: string[] = [];
  for (const q of objects) {
    if (q.json?.kind !== 'ResourceQuota' || namespaceOf(q.json) !== namespaceOf(app.json)) continue;
    // Quotas with scopes are skipped by the check.
    if (q.json.spec?.scopeSelector !== undefined || (q.json.spec?.scopes ?? []).length > 0) continue;
    for (const [key, used] of Object.entries(charge)) {
      const hardText = q.json.spec?.hard?.[key];
      if (hardText === undefined) continue;
      const cpu = key.endsWith('cpu');
      const hard = cpu ? cpuMillis(hardText) : memoryBytes(hardText);
      if (hard !== undefined && used > hard) {
        const show = cpu ? formatCpu : formatMemory;
        out.push(`its ${key} of ${show(used)} (the operator's own estimate) is above the ${show(hard)} of ${describe(q)} `
          + '("failed to validate resource quota"); lower cores, memory or instances, or raise the quota');
      }
    }
  }
  return out;
}

function hasArg(o: ModelObject, arg: string): boolean {
  return (o.json.spec?.template?.spec?.containers ?? []).some((c: any) => [...(c.command ?? []), ...(c.args ?? [])].includes(arg));
}

/**
 * Webhooks of the app that refuse the app's own objects: the Spark operator's
 * validating webhook on SparkApplications and ScheduledSparkApplications
 * (names, sparkConf, spec, and its quota check when enabled), its pod webhook
 * on a memoryLimit it cannot read, a failurePolicy Fail webhook that catches
 * its own pods, and, when the app carries Argo CD sync waves, objects created
 * before the webhook that must admit them can serve.
 */
export const webhookRule: Rule = (objects) => {
  const hooks = hooksOf(objects);
  if (hooks.length === 0) return [];
  const matcher = new Matcher(objects);
  const out: string[] = [];
  const usesWaves = objects.some((o) => o.json?.metadata?.annotations?.[SYNC_WAVE] !== undefined);

  for (const hook of hooks) {
    const who = `webhook ${hook.name} of ${describe(hook.config)}`;
    const servers = backends(objects, hook);
    const path = hook.service?.path;

    // The operator's validator on the app's SparkApplications and ScheduledSparkApplications.
    if (path === VALIDATE_APP || path === VALIDATE_SCHEDULED) {
      const kind = path === VALIDATE_APP ? 'SparkApplication' : 'ScheduledSparkApplication';
      const quotaCheck = path === VALIDATE_APP && servers.some((s) => hasArg(s, '--enable-resource-quota-enforcement=true'));
      for (const o of objects) {
        if (o.json?.kind !== kind || groupOf(o.json.apiVersion ?? '') !== 'sparkoperator.k8s.io') continue;
        const req = requestOf(o.json);
        if (!req || !matcher.matches(hook, req)) continue;
        const name = String(o.json.metadata?.name ?? '');
        const problems: string[] = [];
        if (!isDns1035Label(name)) {
          problems.push(`its name "${name}" is not a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63)`);
        }
        problems.push(...(kind === 'SparkApplication'
          ? specProblems(o.json.spec, req.namespace, 'spec.')
          : confProblems(o.json.spec?.template?.sparkConf, req.namespace, 'spec.template.')));
        if (quotaCheck) problems.push(...quotaProblems(objects, o));
        for (const p of problems) {
          out.push(`${describe(o)}: the Spark operator's validating ${who} refuses it: ${p}`);
        }
      }
      // Each run of a ScheduledSparkApplication is a SparkApplication the operator creates from the template.
      for (const o of path === VALIDATE_APP ? objects : []) {
        if (o.json?.kind !== 'ScheduledSparkApplication' || groupOf(o.json.apiVersion ?? '') !== 'sparkoperator.k8s.io') continue;
        const req = requestOf(o.json);
        if (!req || !matcher.matches(hook, { ...req, resource: 'sparkapplications' })) continue;
        // sparkConf problems are refused earlier, by the ScheduledSparkApplication validator.
        const problems = specProblems({ ...o.json.spec?.template, sparkConf: undefined }, req.namespace, 'spec.template.');
        for (const p of problems) {
          out.push(`${describe(o)}: every run fails, as the Spark operator's validating ${who} refuses the SparkApplication it creates: ${p}`);
        }
      }
    }

    // The operator's pod webhook cannot read a memoryLimit: every driver or executor pod of the app is refused.
    if (path === MUTATE_POD) {
      for (const o of objects) {
        if (o.json?.kind !== 'SparkApplication' && o.json?.kind !== 'ScheduledSparkApplication') continue;
        const spec = o.json.kind === 'SparkApplication' ? o.json.spec : o.json.spec?.template;
        const at = o.json.kind === 'SparkApplication' ? 'spec.' : 'spec.template.';
        for (const role of ['driver', 'executor']) {
          const limit = spec?.[role]?.memoryLimit;
          if (limit === undefined) continue;
          const pod: Request = {
            group: '',
            version: 'v1',
            resource: 'pods',
            namespace: namespaceOf(o.json),
            clusterScoped: false,
            labels: { [LAUNCHED_BY_OPERATOR]: 'true', 'spark-role': role },
          };
          const converted = operatorMemoryLimit(String(limit));
          if (matcher.matches(hook, pod) && parseQuantity(converted) === undefined) {
            out.push(`${describe(o)}: the Spark operator's ${who} refuses every ${role} pod: it turns ${at}${role}.memoryLimit `
              + `"${String(limit)}" into "${converted}", which is not a quantity; write it as 2g or 2Gi`);
          }
        }
      }
    }

    if (hook.failurePolicy !== 'Fail') continue;

    // A webhook that must admit its own pods: once none runs, none can be created again.
    if (servers.length > 0 && hook.spec.rules?.some((r: any) => (r.resources ?? []).some((x: string) => x === 'pods' || x === '*'))) {
      for (const s of servers) {
        const pod: Request = {
          group: '',
          version: 'v1',
          resource: 'pods',
          namespace: namespaceOf(s.json),
          clusterScoped: false,
          labels: s.json.spec?.template?.metadata?.labels ?? {},
        };
        if (matcher.matches(hook, pod)) {
          out.push(`${who} (failurePolicy Fail) catches the pods of ${describe(s)}, which serve it: once none runs `
            + '(a rollout, a drained node), the API server refuses every new one. Fix: exclude their namespace '
            + '(namespaceSelector) or their labels (objectSelector), or use failurePolicy Ignore');
        }
      }
    }

    // Argo CD applies a wave, waits for it to be healthy, then applies the next:
    // objects from the configuration's wave up to the server's wave reach the
    // API server before the webhook serves.
    if (usesWaves && servers.length > 0) {
      const ready = Math.max(...servers.map(waveOf));
      const from = waveOf(hook.config);
      for (const o of objects) {
        const wave = waveOf(o);
        if (wave < from || wave > ready || o.json?.kind === 'Pod') continue;
        const req = requestOf(o.json);
        if (!req || !matcher.matches(hook, req)) continue;
        out.push(`${describe(o)} (sync wave ${wave}) is created before ${who} can serve (its server ${servers.map(describe).join(', ')} `
          + `is ready only after wave ${ready}); with failurePolicy Fail the API server refuses it. Fix: put it in a wave after ${ready}`);
      }
    }
  }
  return out;
};
