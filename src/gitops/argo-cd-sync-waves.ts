import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { addSyncOptions, annotationsOf, isArgoCdOnly, SYNC_WAVE } from './private/annotations';
import { beforeClusterModel } from '../core/cluster-model';
import { check, pathOf } from '../core/errors';
import { renderedJson } from '../core/rendered-json';
import { SparkJobs } from '../jobs/spark-job';
import { SparkJobKind } from '../jobs/spark-job-kind';
import { SparkServiceAccount } from '../jobs/spark-service-account';
import { SparkOperator } from '../operator/spark-operator';
import { SparkTenant } from '../tenancy/spark-tenant';

/** The layers of a Spark platform, in the order Argo CD must apply them. */
export enum ArgoCdSyncLayer {
  /** Namespaces: objects of every later wave may live in them. */
  NAMESPACES = 'namespaces',
  /** CustomResourceDefinitions. */
  CRDS = 'crds',
  /** The Spark operator: controller, webhook, their RBAC (including their Roles in the job namespaces). */
  OPERATOR = 'operator',
  /** Tenants: quotas, limit ranges, network policies, driver ServiceAccounts and Roles. */
  TENANTS = 'tenants',
  /** Everything else: history server, Thrift server, metastore... */
  SERVICES = 'services',
  /**
   * Spark batch jobs (SparkApplications, ScheduledSparkApplications, spark-submit Jobs) and their objects;
   * a long-running job (`jobKind` SERVICE, e.g. the Thrift server) is a service.
   */
  JOBS = 'jobs',
}

/** How Argo CD applies CustomResourceDefinitions. */
export enum ArgoCdCrdApply {
  /**
   * Server-side apply (`ServerSideApply=true`): no `last-applied-configuration`
   * annotation, so CRDs of any size apply (client-side apply fails above 256 KiB).
   */
  SERVER_SIDE_APPLY = 'ServerSideApply=true',
  /** `kubectl replace`/`create` (`Replace=true`): also size-proof, but drops fields others manage. */
  REPLACE = 'Replace=true',
  /** Argo CD's default client-side apply (fine for this library's own CRDs, ~25 kB each). */
  CLIENT_SIDE_APPLY = 'client-side',
}

/** Properties of {@link ArgoCdSyncWaves.apply}. */
export interface ArgoCdSyncWavesProps {
  /**
   * Wave of Namespaces.
   * @default -40
   */
  readonly namespaces?: number;

  /**
   * Wave of CustomResourceDefinitions.
   * @default -30
   */
  readonly crds?: number;

  /**
   * Wave of the Spark operator.
   * @default -20
   */
  readonly sparkOperator?: number;

  /**
   * Wave of tenants and driver ServiceAccounts.
   * @default -10
   */
  readonly tenants?: number;

  /**
   * Wave of everything not in another layer.
   * @default 0
   */
  readonly services?: number;

  /**
   * Wave of Spark jobs.
   * @default 10
   */
  readonly jobs?: number;

  /**
   * How CustomResourceDefinitions are applied (`argocd.argoproj.io/sync-options`).
   * @default ArgoCdCrdApply.SERVER_SIDE_APPLY
   */
  readonly crdApply?: ArgoCdCrdApply;

  /**
   * Mark the Spark operator's custom resources `SkipDryRunOnMissingResource=true`,
   * so that the first sync, which dry-runs every object before the CRDs
   * exist, does not fail on them.
   * @default true
   */
  readonly skipDryRunOnMissingCrd?: boolean;
}

const LAYER_ORDER: ArgoCdSyncLayer[] = [
  ArgoCdSyncLayer.NAMESPACES, ArgoCdSyncLayer.CRDS, ArgoCdSyncLayer.OPERATOR,
  ArgoCdSyncLayer.TENANTS, ArgoCdSyncLayer.SERVICES, ArgoCdSyncLayer.JOBS,
];
const CRD_APPLY = Object.values(ArgoCdCrdApply) as string[];
const SPARK_GROUP = 'sparkoperator.k8s.io/';
const WAVE_MAX = 2 ** 31 - 1;
const ID = 'ArgoCdSyncWaves';

/**
 * Argo CD sync waves (`argocd.argoproj.io/sync-wave`) for every object under
 * a scope, so that one Argo CD sync applies a Spark platform in order:
 * Namespaces, CRDs, the operator, tenants, other services, then jobs. Argo CD
 * waits for each wave to be healthy before the next one, so jobs reach the
 * API server only once the operator's webhook serves.
 *
 * The annotations are added at synthesis to every object under the scope,
 * whenever it was declared. An object that already carries a sync-wave
 * annotation keeps it; {@link ArgoCdSyncWaves.assign} moves a subtree to
 * another layer. CRDs also get their apply mode and the Spark operator's
 * custom resources `SkipDryRunOnMissingResource=true`.
 *
 * One-shot jobs under the scope must not delete themselves: a SparkApplication
 * with `timeToLive` or a Job with `ttlSecondsAfterFinished` (a SparkSubmitJob's
 * `ttlAfterFinished`) fails synthesis, because Argo CD creates the deleted
 * object again from Git and the job runs again. A finished job stays until it
 * is removed from Git (Argo CD then prunes it); recurring jobs are scheduled
 * ones, whose runs are not in Git. Argo CD hooks are exempt.
 */
export class ArgoCdSyncWaves extends Construct {
  /**
   * Annotates every object under `scope` (an app or a chart) at synthesis.
   * One call per scope.
   */
  public static apply(scope: IConstruct, props: ArgoCdSyncWavesProps = {}): ArgoCdSyncWaves {
    check(!scope.node.tryFindChild(ID), scope, 'ArgoCdSyncWaves', pathOf(scope), 'one ArgoCdSyncWaves.apply per scope');
    return new ArgoCdSyncWaves(scope as Construct, ID, props);
  }

  private readonly waves: Map<ArgoCdSyncLayer, number>;
  private readonly crdApply: ArgoCdCrdApply;
  private readonly skipDryRun: boolean;
  private readonly assigned = new Map<IConstruct, ArgoCdSyncLayer>();
  private readonly target: IConstruct;
  private jobsDuringAnnotate?: Set<IConstruct>;
  private readonly annotated = new WeakSet<ApiObject>();
  private readonly problems: string[] = [];

  private constructor(scope: Construct, id: string, props: ArgoCdSyncWavesProps) {
    super(scope, id);
    this.target = scope;
    // Per layer: the property that sets its wave, the value given, the default.
    const given: Array<[string, number | undefined, number]> = [
      ['namespaces', props.namespaces, -40],
      ['crds', props.crds, -30],
      ['sparkOperator', props.sparkOperator, -20],
      ['tenants', props.tenants, -10],
      ['services', props.services, 0],
      ['jobs', props.jobs, 10],
    ];
    this.waves = new Map();
    LAYER_ORDER.forEach((layer, i) => {
      const [property, value, fallback] = given[i];
      const wave = value ?? fallback;
      check(Number.isInteger(wave) && Math.abs(wave) <= WAVE_MAX, this, property, wave, 'a 32-bit integer');
      if (i > 0) {
        const previous = this.waves.get(LAYER_ORDER[i - 1])!;
        check(wave >= previous, this, property, wave,
          `a wave no earlier than ${given[i - 1][0]} (${previous}): layers apply in the order ${LAYER_ORDER.join(', ')}`);
      }
      this.waves.set(layer, wave);
    });
    const operatorWave = this.waves.get(ArgoCdSyncLayer.OPERATOR)!;
    check(this.waves.get(ArgoCdSyncLayer.JOBS)! > operatorWave, this, 'jobs', this.waves.get(ArgoCdSyncLayer.JOBS),
      `a wave later than sparkOperator (${operatorWave}): Argo CD only waits for the webhook to be ready between waves`);
    this.crdApply = props.crdApply ?? ArgoCdCrdApply.SERVER_SIDE_APPLY;
    check(CRD_APPLY.includes(this.crdApply), this, 'crdApply', this.crdApply, `one of ${CRD_APPLY.join(', ')}`);
    this.skipDryRun = props.skipDryRunOnMissingCrd ?? true;

    // cdk8s has no aspects: validation runs over the whole app right before
    // synthesis, after every construct is declared.
    this.node.addValidation({ validate: () => { this.annotate(); return [...this.problems]; } });
    // The cluster model reads the waves (webhooks and the objects they admit), so annotate before it runs.
    beforeClusterModel(this, () => this.annotate());
  }

  /** The wave of a layer. */
  public waveOf(layer: ArgoCdSyncLayer): number {
    const wave = this.waves.get(layer);
    check(wave !== undefined, this, 'layer', layer, `one of ${LAYER_ORDER.join(', ')}`);
    return wave!;
  }

  /** Puts every object under `scope` into `layer` (the nearest assignment wins). */
  public assign(scope: IConstruct, layer: ArgoCdSyncLayer): void {
    this.waveOf(layer);
    this.assigned.set(scope, layer);
  }

  /** The layer of an object, or undefined when the object is not synced with the platform (Argo CD's own objects). */
  public layerOf(obj: ApiObject): ArgoCdSyncLayer | undefined {
    if (isArgoCdOnly(obj)) {
      return undefined;
    }
    const scopes = [...obj.node.scopes].reverse();
    for (const scope of scopes) {
      const layer = this.assigned.get(scope);
      if (layer) {
        return layer;
      }
    }
    if (obj.kind === 'CustomResourceDefinition') {
      return ArgoCdSyncLayer.CRDS;
    }
    if (obj.kind === 'Namespace' && obj.apiVersion === 'v1') {
      return ArgoCdSyncLayer.NAMESPACES;
    }
    const jobs = this.jobsDuringAnnotate ?? batchJobs(obj);
    for (const scope of scopes) {
      if (jobs.has(scope)) {
        return ArgoCdSyncLayer.JOBS;
      }
      if (SparkOperator.isSparkOperator(scope)) {
        return ArgoCdSyncLayer.OPERATOR;
      }
      if (SparkTenant.isSparkTenant(scope) || SparkServiceAccount.isSparkServiceAccount(scope)) {
        return ArgoCdSyncLayer.TENANTS;
      }
    }
    return ArgoCdSyncLayer.SERVICES;
  }

  private annotate(): void {
    // cdk8s validates the app once per chart: each object is annotated once,
    // in the first pass that sees it; later passes find nothing new.
    const fresh = this.target.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && !this.annotated.has(c));
    if (fresh.length === 0) {
      return;
    }
    // One set of the app's jobs per pass, not one per object.
    this.jobsDuringAnnotate = batchJobs(this);
    try {
      fresh.forEach((child) => this.annotateObject(child));
    } finally {
      this.jobsDuringAnnotate = undefined;
    }
  }

  private annotateObject(child: ApiObject): void {
    this.annotated.add(child);
    const layer = this.layerOf(child);
    if (layer === undefined) {
      return;
    }
    // Read once: rendering the metadata resolves its tokens.
    const annotations = annotationsOf(child);
    if (annotations[SYNC_WAVE] === undefined) {
      child.metadata.addAnnotation(SYNC_WAVE, String(this.waves.get(layer)));
    }
    if (child.kind === 'CustomResourceDefinition' && this.crdApply !== ArgoCdCrdApply.CLIENT_SIDE_APPLY) {
      addSyncOptions(child, annotations, [this.crdApply]);
    }
    if (this.skipDryRun && child.apiVersion.startsWith(SPARK_GROUP)) {
      addSyncOptions(child, annotations, ['SkipDryRunOnMissingResource=true']);
    }
    const problem = selfDeletingJobProblem(child);
    if (problem) {
      this.problems.push(problem);
    }
  }
}

/** The app's batch jobs: long-running ones (the Thrift server) belong to the services layer. */
function batchJobs(scope: IConstruct): Set<IConstruct> {
  return new Set<IConstruct>(SparkJobs.all(scope).filter((job) => (job.jobKind ?? SparkJobKind.BATCH) === SparkJobKind.BATCH));
}

/**
 * A one-shot job that deletes itself once finished cannot live in a directory
 * Argo CD syncs: the object is in Git, so Argo CD sees it Missing and creates
 * it again at its next sync (at once under automated sync with selfHeal, see
 * argoproj/argo-cd docs/user-guide/auto_sync.md "Automatic Self-Healing"), and
 * the job runs again. Hooks (`argocd.argoproj.io/hook`) are not compared, so
 * they may delete themselves.
 */
function selfDeletingJobProblem(obj: ApiObject): string | undefined {
  const isSparkApplication = obj.kind === 'SparkApplication' && obj.apiVersion.startsWith(SPARK_GROUP);
  const isJob = obj.kind === 'Job' && obj.apiVersion === 'batch/v1';
  if (!isSparkApplication && !isJob) {
    return undefined;
  }
  const json = renderedJson(obj);
  // The spec first: most jobs have no time to live, and their metadata need not be rendered.
  const timeToLive = isSparkApplication ? json.spec?.timeToLiveSeconds : json.spec?.ttlSecondsAfterFinished;
  if (timeToLive === undefined || json.metadata?.annotations?.[HOOK] !== undefined) {
    return undefined;
  }
  const where = `${pathOf(obj)}: ${obj.kind} ${json.metadata?.namespace ?? '(no namespace)'}/${obj.name}`;
  const again = 'and Argo CD creates it again from Git at its next sync (within seconds under selfHeal), so the job runs again';
  if (isSparkApplication) {
    return `${where}: invalid timeToLive ${timeToLive}s under Argo CD: the Spark operator deletes the application `
      + `${timeToLive}s after it ends, ${again}. Remove timeToLive: the finished application stays (Synced, Healthy) `
      + 'until you remove it from Git and Argo CD prunes it; for a recurring job use a ScheduledSparkApplication, whose runs are not in Git';
  }
  return `${where}: invalid ttlSecondsAfterFinished ${timeToLive} under Argo CD: the TTL controller deletes `
    + `the finished Job, ${again}. Remove the time to live (ttlAfterFinished): the finished Job stays until you remove it from Git `
    + 'and Argo CD prunes it; for a recurring job use a CronJob (ScheduledSparkSubmitJob), whose Jobs are not in Git';
}

const HOOK = 'argocd.argoproj.io/hook';
