import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppSlot } from '../../core/app-context';
import { pathOf } from '../../core/errors';
import { declaredJobNamespaces } from '../../jobs/job-events';
import { SparkJobs } from '../../jobs/spark-job';

/**
 * What the app-wide checks read of a Spark operator: both an install and an
 * operator installed by other means provide it (structurally the public
 * ISparkOperator, declared here so that this module imports neither).
 */
export interface OperatorFacts extends IConstruct {
  readonly installedByApp: boolean;
  readonly watchesAllNamespaces: boolean;
  readonly jobNamespaces: string[];
  /** The labels of its job namespaces, when it selects them by label instead of by name. */
  readonly jobNamespaceSelector?: { [key: string]: string };
  watchesNamespace(namespace: string): boolean;
}

/** The app's Spark operators, installed or imported. */
const OPERATORS = new AppSlot<OperatorFacts[]>('spark-operators', () => []);

/** Records an operator of the app (once, from its constructor). */
export function registerOperator(operator: OperatorFacts): void {
  OPERATORS.of(operator).push(operator);
}

/**
 * The Spark operators of the app that contains `scope`, by construct path:
 * whatever order they were created in, the same one reports the app-wide
 * findings, in the same words.
 */
export function operatorsOf(scope: IConstruct): OperatorFacts[] {
  return [...OPERATORS.of(scope)].sort((a, b) => (a.node.path < b.node.path ? -1 : a.node.path > b.node.path ? 1 : 0));
}

/**
 * The app-wide findings about its operators, reported once per app by the
 * first operator by path (whichever kind): operator-managed jobs and
 * namespaces declared for them (tenants) that no operator of the app
 * watches, and namespaces two operators both watch.
 *
 * kubeflow/spark-operator selects the SparkApplications it reconciles by
 * namespace only (v2.5.2 pkg/util/namespace.go `NamespaceMatcher`, used by
 * internal/controller/sparkapplication/event_filter.go; an empty
 * `--namespaces` means every namespace) and each install has its own
 * leader-election lock: two operators watching one namespace would both
 * submit every application there.
 */
export function appOperatorFindings(operator: OperatorFacts): string[] {
  const all = operatorsOf(operator);
  if (all[0] !== operator) {
    return [];
  }
  const watched = (ns: string) => all.some((o) => o.watchesNamespace(ns));
  const errors: string[] = [];
  for (const job of SparkJobs.all(operator)) {
    if (job.managedByOperator && !watched(job.jobNamespace)) {
      errors.push(`${pathOf(job)}: namespace "${job.jobNamespace}" is not watched by ${unwatchedTail(all)}`);
    }
  }
  for (const declared of declaredJobNamespaces(operator)) {
    if (!watched(declared.namespace)) {
      errors.push(`${pathOf(declared.declaredBy)}: namespace "${declared.namespace}" is declared for Spark operator jobs `
        + `but not watched by ${unwatchedTail(all)}`);
    }
  }
  return [...errors, ...overlaps(all)];
}

/** "the Spark operator <who>; <fix>", for a namespace none of `all` watches. */
function unwatchedTail(all: OperatorFacts[]): string {
  if (all.some((o) => o.jobNamespaceSelector !== undefined)) {
    return selectorTail(all);
  }
  const described = all.map((o) => (o.installedByApp ? pathOf(o)
    : `${pathOf(o)}, which is installed outside this app and watches ${o.jobNamespaces.join(', ')}`));
  const installs = all.some((o) => o.installedByApp);
  const imported = all.some((o) => !o.installedByApp);
  const who = described.join(imported ? '; ' : ', ');
  const fixInstall = 'add it to jobNamespaces (or call watchNamespace)';
  if (installs && imported) {
    return `any Spark operator of the app (${who}): ${fixInstall} of an install, or ${FIX_IMPORTED}`;
  }
  return installs ? `the Spark operator ${who}; ${fixInstall}` : `the Spark operator ${who}: ${FIX_IMPORTED}`;
}

const FIX_IMPORTED = 'add it to the operator\'s own configuration (Helm spark.jobNamespaces) and to jobNamespaces of SparkOperator.fromExisting';

/** The same when an operator of the app selects its namespaces by label: labelling the namespace is a fix too. */
function selectorTail(all: OperatorFacts[]): string {
  const described = all.map((o) => {
    if (o.jobNamespaceSelector !== undefined) {
      return `${pathOf(o)}, which runs jobs in the namespaces labelled ${selectorString(o.jobNamespaceSelector)}`;
    }
    return o.installedByApp ? pathOf(o) : `${pathOf(o)}, which is installed outside this app and watches ${o.jobNamespaces.join(', ')}`;
  });
  const fixes = all.filter((o) => o.jobNamespaceSelector !== undefined)
    .map((o) => `label the namespace ${selectorString(o.jobNamespaceSelector!)}${all.length > 1 ? ` for ${pathOf(o)}` : ''}`);
  if (all.some((o) => o.installedByApp && o.jobNamespaceSelector === undefined)) {
    fixes.push('add it to jobNamespaces of an install (or call watchNamespace)');
  }
  if (all.some((o) => !o.installedByApp)) {
    fixes.push(FIX_IMPORTED);
  }
  return `${all.length > 1 ? 'any Spark operator of the app' : 'the Spark operator'} ${described.join('; ')}: ${fixes.join(', or ')}`;
}

/** A label selector as the operator's `--namespace-selector` takes it: `key=value` pairs by key, comma-separated. */
export function selectorString(selector: { readonly [key: string]: string }): string {
  return Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`).join(',');
}

/** The labels of the Namespaces the app creates, by name, read once per synthesis (see selectsNamespace). */
const NAMESPACE_LABELS = new AppSlot<{ constructs: number; labels?: Map<string, { [key: string]: string }> }>(
  'spark-operator-namespace-labels', () => ({ constructs: -1 }));

/**
 * Whether `selector` selects `namespace` as the app creates it: true or false
 * when the app emits that Namespace (its labels, plus the
 * `kubernetes.io/metadata.name` label the API server gives every namespace),
 * undefined when it does not (its labels are not known at synthesis).
 */
export function selectsNamespace(scope: IConstruct, selector: { readonly [key: string]: string }, namespace: string): boolean | undefined {
  const labels = namespaceLabels(scope).get(namespace);
  return labels === undefined ? undefined : Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function namespaceLabels(scope: IConstruct): Map<string, { [key: string]: string }> {
  // Validation reads this once per job: the Namespaces are read once per
  // synchronous run (the app's size is the key), then dropped.
  const state = NAMESPACE_LABELS.of(scope);
  const constructs = scope.node.root.node.findAll();
  if (state.labels === undefined || state.constructs !== constructs.length) {
    const labels = new Map<string, { [key: string]: string }>();
    for (const c of constructs) {
      if (ApiObject.isApiObject(c) && c.kind === 'Namespace' && c.apiVersion === 'v1') {
        const metadata = c.toJson().metadata ?? {};
        labels.set(metadata.name, { ...(metadata.labels ?? {}), 'kubernetes.io/metadata.name': metadata.name });
      }
    }
    state.labels = labels;
    state.constructs = constructs.length;
    queueMicrotask(() => { state.labels = undefined; });
  }
  return state.labels;
}

/** One finding per pair of operators that watch a namespace in common (or both watch all of them). */
function overlaps(all: OperatorFacts[]): string[] {
  const errors: string[] = [];
  const why = 'the operator selects SparkApplications by namespace only, so both would run every application there';
  all.forEach((a, i) => all.slice(i + 1).forEach((b) => {
    const pair = `the Spark operators ${pathOf(a)} and ${pathOf(b)}`;
    if (a.jobNamespaceSelector !== undefined || b.jobNamespaceSelector !== undefined) {
      errors.push(...selectorOverlap(a, b, pair, why));
      return;
    }
    if (a.watchesAllNamespaces && b.watchesAllNamespaces) {
      errors.push(`${pathOf(b)}: ${pair} both watch all namespaces: ${why}; `
        + 'let at most one of them watch all namespaces and give the other jobNamespaces it alone watches');
      return;
    }
    const shared = a.watchesAllNamespaces ? b.jobNamespaces : a.jobNamespaces.filter((ns) => b.watchesNamespace(ns));
    if (shared.length > 0) {
      errors.push(`${pathOf(b)}: ${pair} both watch namespace${shared.length > 1 ? 's' : ''} `
        + `${shared.map((ns) => `"${ns}"`).join(', ')}: ${why}; give each namespace to one operator only`);
    }
  }));
  return errors;
}

/**
 * The overlap of two operators when one of them (or both) selects its
 * namespaces by label: two selectors overlap unless some key has different
 * values in them (a namespace could carry both sets of labels); a selector
 * and all namespaces always overlap; a selector and a list overlap on the
 * listed namespaces the app creates with the selected labels (the labels of
 * the others are unknown).
 */
function selectorOverlap(a: OperatorFacts, b: OperatorFacts, pair: string, why: string): string[] {
  const sa = a.jobNamespaceSelector;
  const sb = b.jobNamespaceSelector;
  if (sa !== undefined && sb !== undefined) {
    const disjoint = Object.keys(sa).some((k) => k in sb && sa[k] !== sb[k]);
    return disjoint ? [] : [`${pathOf(b)}: ${pair} both select namespaces by label (${selectorString(sa)}; ${selectorString(sb)}) `
      + `and a namespace may carry both: ${why}; give one label key different values in the two selectors`];
  }
  const [selecting, other] = sa !== undefined ? [a, b] : [b, a];
  const selector = selecting.jobNamespaceSelector!;
  if (other.watchesAllNamespaces) {
    return [`${pathOf(b)}: ${pair} overlap: ${pathOf(other)} watches all namespaces, including those ${pathOf(selecting)} selects `
      + `(${selectorString(selector)}): ${why}; give ${pathOf(other)} jobNamespaces instead`];
  }
  const shared = other.jobNamespaces.filter((ns) => selectsNamespace(selecting, selector, ns) === true);
  return shared.length === 0 ? [] : [`${pathOf(b)}: ${pair} both watch namespace${shared.length > 1 ? 's' : ''} `
    + `${shared.map((ns) => `"${ns}"`).join(', ')} (labelled ${selectorString(selector)}): ${why}; give each namespace to one operator only`];
}
