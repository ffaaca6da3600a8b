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
  const described = all.map((o) => (o.installedByApp ? pathOf(o)
    : `${pathOf(o)}, which is installed outside this app and watches ${o.jobNamespaces.join(', ')}`));
  const installs = all.some((o) => o.installedByApp);
  const imported = all.some((o) => !o.installedByApp);
  const who = described.join(imported ? '; ' : ', ');
  const fixInstall = 'add it to jobNamespaces (or call watchNamespace)';
  const fixImported = 'add it to the operator\'s own configuration (Helm spark.jobNamespaces) and to jobNamespaces of SparkOperator.fromExisting';
  if (installs && imported) {
    return `any Spark operator of the app (${who}): ${fixInstall} of an install, or ${fixImported}`;
  }
  return installs ? `the Spark operator ${who}; ${fixInstall}` : `the Spark operator ${who}: ${fixImported}`;
}

/** One finding per pair of operators that watch a namespace in common (or both watch all of them). */
function overlaps(all: OperatorFacts[]): string[] {
  const errors: string[] = [];
  const why = 'the operator selects SparkApplications by namespace only, so both would run every application there';
  all.forEach((a, i) => all.slice(i + 1).forEach((b) => {
    const pair = `the Spark operators ${pathOf(a)} and ${pathOf(b)}`;
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
