import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DnsNames } from '../core/names';
import { markArgoCdOnly, SYNC_OPTIONS } from './private/annotations';
import { scheduledSparkApplicationLua, SPARK_APPLICATION_LUA } from './private/health-lua';

/** Properties of {@link ArgoCdSparkHealthChecks}. */
export interface ArgoCdSparkHealthChecksProps {
  /**
   * Namespace Argo CD runs in (where its `argocd-cm` ConfigMap is).
   * @default 'argocd'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * Report a ScheduledSparkApplication Degraded while its most recent run is
   * among its failed runs (until a later run succeeds).
   * @default true
   */
  readonly degradeOnFailedLastRun?: boolean;
}

/**
 * Argo CD health checks for the Spark operator's SparkApplication and
 * ScheduledSparkApplication, as Lua resource customizations in the
 * `argocd-cm` ConfigMap.
 *
 * Emits a partial `argocd-cm`: only the two `resource.customizations.health.*`
 * keys (and the labels Argo CD finds its ConfigMap by), to be merged into the
 * installed ConfigMap, never to replace it (which would drop Argo CD's own
 * settings). Ways to apply it:
 * - `kubectl apply --server-side --field-manager=cdk8s-spark -f <file>`:
 *   server-side apply owns only the fields in the file;
 * - an Argo CD Application: the object carries
 *   `argocd.argoproj.io/sync-options: ServerSideApply=true,Prune=false,Delete=false`,
 *   so Argo CD applies it as a partial patch (argoproj/argo-cd
 *   docs/user-guide/sync-options.md, "Server-Side Apply") and never deletes the
 *   ConfigMap when the object leaves Git or the Application is deleted. If
 *   `argocd-cm` was ever changed with client-side `kubectl apply`, give that
 *   Application `ClientSideApplyMigration=false`: the migration would hand
 *   those fields to Argo CD, which would then drop the ones not in this file;
 * - or copy {@link data} into the values of the tool that installs Argo CD.
 *
 * With these checks a SparkApplication has the status Argo CD's built-in
 * check gives it (Healthy once COMPLETED, or RUNNING with its executors
 * running; Degraded when FAILING, FAILED or SUBMISSION_FAILED; Progressing
 * otherwise), except that INVALIDATING is Progressing rather than Missing and
 * a suspended application is Suspended; a
 * ScheduledSparkApplication is Healthy when Scheduled, Degraded when its
 * schedule is invalid (or, by default, its last run failed), Suspended when
 * suspended.
 */
export class ArgoCdSparkHealthChecks extends Construct {
  /** The `argocd-cm` key of the SparkApplication health check. */
  public static readonly SPARK_APPLICATION_KEY = 'resource.customizations.health.sparkoperator.k8s.io_SparkApplication';
  /** The `argocd-cm` key of the ScheduledSparkApplication health check. */
  public static readonly SCHEDULED_SPARK_APPLICATION_KEY =
    'resource.customizations.health.sparkoperator.k8s.io_ScheduledSparkApplication';

  /**
   * The Argo CD sync options of the partial `argocd-cm`: server-side apply
   * (only its keys are applied), never pruned, never deleted with the Application.
   */
  public static readonly SYNC_OPTIONS = 'ServerSideApply=true,Prune=false,Delete=false';

  /** The Lua health check of SparkApplications. */
  public static sparkApplicationLua(): string {
    return SPARK_APPLICATION_LUA;
  }

  /**
   * The Lua health check of ScheduledSparkApplications.
   * @param degradeOnFailedLastRun report Degraded while the last run failed
   */
  public static scheduledSparkApplicationLua(degradeOnFailedLastRun: boolean = true): string {
    return scheduledSparkApplicationLua(degradeOnFailedLastRun);
  }

  /** The `argocd-cm` entries. */
  public readonly data: { [key: string]: string };
  /** The `argocd-cm` ConfigMap holding them. */
  public readonly configMap: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: ArgoCdSparkHealthChecksProps = {}) {
    super(scope, id);
    markArgoCdOnly(this);
    const namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? 'argocd');
    this.data = {
      [ArgoCdSparkHealthChecks.SPARK_APPLICATION_KEY]: ArgoCdSparkHealthChecks.sparkApplicationLua(),
      [ArgoCdSparkHealthChecks.SCHEDULED_SPARK_APPLICATION_KEY]:
        ArgoCdSparkHealthChecks.scheduledSparkApplicationLua(props.degradeOnFailedLastRun ?? true),
    };
    // Argo CD's own labels (not the library's): applying merges into the installed ConfigMap.
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: 'argocd-cm',
        namespace,
        labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
        // A partial object: merged by server-side apply, never pruned or deleted with an Application.
        annotations: { [SYNC_OPTIONS]: ArgoCdSparkHealthChecks.SYNC_OPTIONS },
      },
      data: { ...this.data },
    });
  }
}
