import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DnsNames } from './names';
import { markArgoCdOnly } from './private/argo-cd/annotations';
import { scheduledSparkApplicationLua, SPARK_APPLICATION_LUA } from './private/argo-cd/health-lua';

/** Properties of {@link ArgoCdSparkHealthChecks}. */
export interface ArgoCdSparkHealthChecksProps {
  /**
   * Namespace Argo CD runs in (where its `argocd-cm` ConfigMap is).
   * @default 'argocd'
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
 * Emits only the two `resource.customizations.health.*` keys of `argocd-cm`:
 * apply it to the Argo CD installation so that they merge into the existing
 * ConfigMap (`kubectl apply --server-side -f <file>`), or copy {@link data}
 * into the values of the tool that installs Argo CD. Keep it out of the
 * directory an Application syncs.
 *
 * With these checks a SparkApplication is Healthy once COMPLETED, Degraded
 * when FAILED or SUBMISSION_FAILED, Progressing while it is submitted,
 * running or retried, and Suspended when suspended; a
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
      },
      data: { ...this.data },
    });
  }
}
