import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { DnsNames } from '../core/names';
import { markArgoCdOnly } from './private/annotations';
import { brand, isBranded } from '../core/brand';
import { refuseCredentialUrl } from '../core/credentials';
import { check } from '../core/errors';
import { validateLabels } from '../core/tenant-labels';
import { integer, wholeSeconds } from '../core/validate';
import { ISparkOperator, SparkOperator } from '../operator/spark-operator';
import type { SparkOperatorInstall } from '../operator/spark-operator-install';

/**
 * A field Argo CD leaves out when comparing the live object with Git
 * (an `ignoreDifferences` entry of an Application).
 */
export interface ArgoCdIgnoreDifference {
  /**
   * API group of the objects (empty for the core group).
   * @default '' - the core group
   */
  readonly group?: string;

  /** Kind of the objects. */
  readonly kind: string;

  /**
   * Name of the object.
   * @default - every object of the kind
   */
  readonly name?: string;

  /**
   * Namespace of the object.
   * @default - any namespace
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * JSON pointers (RFC 6901) of the ignored fields, e.g. `/spec/replicas`.
   * @default - none
   */
  readonly jsonPointers?: string[];

  /**
   * jq path expressions of the ignored fields, e.g. `.webhooks[]?.clientConfig.caBundle`.
   * @default - none
   */
  readonly jqPathExpressions?: string[];

  /**
   * Field managers whose fields are ignored (e.g. a controller's name).
   * @default - none
   */
  readonly managedFieldsManagers?: string[];
}

/**
 * A sync option of an Argo CD Application (`spec.syncPolicy.syncOptions`).
 */
export class ArgoCdSyncOption {
  /** Create the destination namespace if it does not exist. */
  public static readonly CREATE_NAMESPACE = new ArgoCdSyncOption('CreateNamespace=true');
  /** Prune after every other object is applied and healthy. */
  public static readonly PRUNE_LAST = new ArgoCdSyncOption('PruneLast=true');
  /** Apply only the objects that are out of sync. */
  public static readonly APPLY_OUT_OF_SYNC_ONLY = new ArgoCdSyncOption('ApplyOutOfSyncOnly=true');
  /** Server-side apply for every object. */
  public static readonly SERVER_SIDE_APPLY = new ArgoCdSyncOption('ServerSideApply=true');
  /** Keep the live value of ignored fields when syncing (not only when comparing). */
  public static readonly RESPECT_IGNORE_DIFFERENCES = new ArgoCdSyncOption('RespectIgnoreDifferences=true');
  /** Do not dry-run custom resources whose CRD is not installed yet. */
  public static readonly SKIP_DRY_RUN_ON_MISSING_RESOURCE = new ArgoCdSyncOption('SkipDryRunOnMissingResource=true');
  /** Fail when an object is already managed by another Application. */
  public static readonly FAIL_ON_SHARED_RESOURCE = new ArgoCdSyncOption('FailOnSharedResource=true');

  /** True when `x` is an ArgoCdSyncOption (from any copy of this library). */
  public static isArgoCdSyncOption(x: any): x is ArgoCdSyncOption {
    return isBranded(x, 'ArgoCdSyncOption');
  }

  /** Any other option, as `Name=value`. */
  public static of(option: string): ArgoCdSyncOption {
    check(typeof option === 'string' && /^[A-Za-z][A-Za-z0-9]*=[A-Za-z0-9._-]+$/.test(option), 'ArgoCdSyncOption.of',
      'option', option, 'a sync option "Name=value", e.g. "PrunePropagationPolicy=foreground"');
    return new ArgoCdSyncOption(option);
  }

  /** The option as Argo CD reads it. */
  public readonly value: string;

  private constructor(value: string) {
    brand(this, 'ArgoCdSyncOption');
    this.value = value;
  }
}

/** How Argo CD retries a failed sync. */
export interface ArgoCdRetry {
  /**
   * Number of retries.
   * @default 5
   */
  readonly limit?: number;

  /**
   * Wait before the first retry (whole seconds).
   * @default Duration.seconds(5)
   */
  readonly backoff?: Duration;

  /**
   * Factor the wait grows by after each retry.
   * @default 2
   */
  readonly factor?: number;

  /**
   * Longest wait between retries (whole seconds).
   * @default Duration.minutes(3)
   */
  readonly maxBackoff?: Duration;
}

/** Properties of {@link ArgoCdApplication}. */
export interface ArgoCdApplicationProps {
  /**
   * Name of the Application.
   * @default - derived from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of the Application: the one Argo CD runs in.
   * @default 'argocd'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * Argo CD project.
   * @default 'default'
   */
  readonly project?: string;

  /** URL of the Git repository holding the synthesized manifests (`https://`, `ssh://`, `git://` or `git@host:path`). */
  readonly repoUrl: string;

  /** Directory of the manifests inside the repository, relative to its root (e.g. `dist`, or `.`). */
  readonly path: string;

  /**
   * Branch, tag or commit to sync.
   * @default 'HEAD'
   */
  readonly targetRevision?: string;

  /**
   * Also read the manifests of subdirectories of `path`.
   * @default false
   */
  readonly recurse?: boolean;

  /**
   * URL of the cluster's API server the manifests go to.
   * @default 'https://kubernetes.default.svc' - the cluster Argo CD runs in
   */
  readonly destinationServer?: string;

  /**
   * Namespace of the manifests that name none.
   * @default - none: every manifest of this library names its namespace
   */
  readonly destinationNamespace?: string;

  /**
   * Sync automatically when Git or the cluster changes.
   * @default true
   */
  readonly automated?: boolean;

  /**
   * Delete objects removed from Git (automated sync only).
   * @default true
   */
  readonly prune?: boolean;

  /**
   * Revert changes made in the cluster (automated sync only).
   * @default true
   */
  readonly selfHeal?: boolean;

  /**
   * Sync options.
   * @default [ArgoCdSyncOption.PRUNE_LAST, ArgoCdSyncOption.RESPECT_IGNORE_DIFFERENCES]
   */
  readonly syncOptions?: ArgoCdSyncOption[];

  /**
   * Fields to ignore when comparing. More can be added with
   * {@link ArgoCdApplication.addIgnoreDifference}.
   * @default - none besides those of `sparkOperator`
   */
  readonly ignoreDifferences?: ArgoCdIgnoreDifference[];

  /**
   * A Spark operator install the Application syncs: the caBundle of its
   * webhook configurations, which the webhook (or cert-manager) writes at
   * run time, is ignored (see {@link ArgoCdApplication.webhookCaBundleDifferences}).
   * Must be an operator the synced app installs.
   * @default - none
   */
  readonly sparkOperator?: ISparkOperator;

  /**
   * Retries of failed syncs.
   * @default - 5 retries, from 5 seconds doubling up to 3 minutes
   */
  readonly retry?: ArgoCdRetry;

  /**
   * Deleting the Application also deletes the objects it synced
   * (finalizer `resources-finalizer.argocd.argoproj.io`).
   * @default false
   */
  readonly cascadeDelete?: boolean;

  /**
   * Labels of the Application.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

const REPO_URL = /^((https?|ssh|git):\/\/[^\s/?#]+(\/[^\s]*)?|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+)$/;
const SERVER_URL = /^https?:\/\/[^\s/?#]+(\/[^\s]*)?$/;
const REVISION = /^[^\s~^:?*[\\]{1,255}$/;
const PATH_SEGMENT = /^(?!\.\.$)[^\s/\\]+$/;
const CA_BUNDLE = '.webhooks[]?.clientConfig.caBundle';

/**
 * An Argo CD Application (`argoproj.io/v1alpha1`) that syncs a directory of
 * synthesized manifests from Git: by default automated, with prune and
 * self-heal, pruning last, and retries.
 *
 * Synthesize it apart from the directory it points at (another chart and
 * output directory, applied once to the Argo CD cluster or by an
 * app-of-apps): an Application inside its own source would manage itself.
 *
 * @example
 * const operator = new SparkOperatorInstall(chart, 'Operator', { jobNamespaces: ['spark-jobs'] });
 * // Argo CD's own objects: another app and directory, applied once to the Argo CD cluster.
 * const argocd = new Chart(new App({ outdir: 'dist/argocd' }), 'argocd');
 * new ArgoCdApplication(argocd, 'Platform', {
 *   repoUrl: 'https://git.example.com/platform/spark.git',
 *   path: 'dist',
 *   sparkOperator: operator, // ignores the webhook's caBundle, written at run time
 * });
 */
export class ArgoCdApplication extends Construct {
  /**
   * The `ignoreDifferences` entries for the caBundle of the webhook
   * configurations of `install`, which the webhook (self-generated
   * certificate) or cert-manager's CA injector writes at run time. Without
   * them Argo CD may report the configurations out of sync and, with
   * self-heal, keep resetting the caBundle, so that admission calls fail
   * until the webhook writes it again. Empty when the webhook is disabled.
   */
  public static webhookCaBundleDifferences(install: ISparkOperator): ArgoCdIgnoreDifference[] {
    const where = 'ArgoCdApplication.webhookCaBundleDifferences';
    check(SparkOperator.isSparkOperator(install), where, 'install', typeof install, 'a SparkOperatorInstall');
    check(install.installedByApp, where, 'install', install.node.path,
      'a SparkOperatorInstall: an operator installed outside the app (SparkOperator.fromExisting) has no webhook '
      + 'configurations in the synced directory, so there is no caBundle to ignore');
    const installed = install as SparkOperatorInstall;
    const entries: ArgoCdIgnoreDifference[] = [];
    for (const config of [installed.mutatingWebhookConfiguration, installed.validatingWebhookConfiguration]) {
      if (config) {
        entries.push({
          group: 'admissionregistration.k8s.io',
          kind: config.kind,
          name: config.name,
          jqPathExpressions: [CA_BUNDLE],
        });
      }
    }
    return entries;
  }

  /** Name of the Application. */
  public readonly name: string;
  /**
   * Namespace of the Application.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The Application object. */
  public readonly apiObject: ApiObject;

  private readonly ignored: ArgoCdIgnoreDifference[] = [];

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    markArgoCdOnly(this);
    this.name = DnsNames.validateSubdomain(this, 'name', props.name ?? DnsNames.generate(this));
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? 'argocd');
    const project = DnsNames.validateSubdomain(this, 'project', props.project ?? 'default');
    validateLabels(this, 'labels', props.labels);

    check(typeof props.repoUrl === 'string' && REPO_URL.test(props.repoUrl), this, 'repoUrl', props.repoUrl,
      'a Git repository URL: https://, http://, ssh:// or git:// with a host, or scp-like "git@host:path"');
    // The Application is committed to Git and read by everyone who can read it: Argo CD
    // takes repository credentials from a repository Secret, matched by URL.
    refuseCredentialUrl(this, 'repoUrl', props.repoUrl);
    const path = props.path;
    check(typeof path === 'string' && (path === '.' || (!path.startsWith('/') && path.split('/').every((s) => PATH_SEGMENT.test(s)))),
      this, 'path', path, 'a directory relative to the repository root ("." for the root), without "..", empty segments or blanks');
    const revision = props.targetRevision ?? 'HEAD';
    check(REVISION.test(revision), this, 'targetRevision', revision, 'a branch, tag or commit (no blanks, at most 255 characters)');
    const server = props.destinationServer ?? 'https://kubernetes.default.svc';
    check(SERVER_URL.test(server), this, 'destinationServer', server, 'an http(s) URL of a Kubernetes API server');
    if (props.destinationNamespace !== undefined) {
      DnsNames.validateLabel(this, 'destinationNamespace', props.destinationNamespace);
    }

    const automated = props.automated ?? true;
    check(automated || (props.prune === undefined && props.selfHeal === undefined), this, 'automated', automated,
      'true when prune or selfHeal are given (they apply to automated syncs)');
    const syncOptions = props.syncOptions ?? [ArgoCdSyncOption.PRUNE_LAST, ArgoCdSyncOption.RESPECT_IGNORE_DIFFERENCES];
    for (const option of syncOptions) {
      check(ArgoCdSyncOption.isArgoCdSyncOption(option), this, 'syncOptions', option, 'ArgoCdSyncOption values');
    }
    const optionValues = syncOptions.map((o) => o.value);
    check(new Set(optionValues).size === optionValues.length, this, 'syncOptions', optionValues, 'distinct options');

    const retry = this.renderRetry(props.retry ?? {});
    for (const entry of props.ignoreDifferences ?? []) {
      this.addIgnoreDifference(entry);
    }
    if (props.sparkOperator) {
      this.ignoreWebhookCaBundle(props.sparkOperator);
    }

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        ...(props.labels && Object.keys(props.labels).length > 0 ? { labels: { ...props.labels } } : {}),
        ...(props.cascadeDelete ? { finalizers: ['resources-finalizer.argocd.argoproj.io'] } : {}),
      },
      spec: {
        project,
        source: {
          repoURL: props.repoUrl,
          path,
          targetRevision: revision,
          ...(props.recurse ? { directory: { recurse: true } } : {}),
        },
        destination: {
          server,
          ...(props.destinationNamespace ? { namespace: props.destinationNamespace } : {}),
        },
        syncPolicy: {
          ...(automated ? { automated: { prune: props.prune ?? true, selfHeal: props.selfHeal ?? true } } : {}),
          ...(optionValues.length > 0 ? { syncOptions: optionValues } : {}),
          retry,
        },
        ignoreDifferences: Lazy.any({ produce: () => this.ignored.length > 0 ? this.ignoreDifferences : undefined }),
      },
    });
  }

  /** The `ignoreDifferences` entries, including those added later. */
  public get ignoreDifferences(): ArgoCdIgnoreDifference[] {
    return this.ignored.map((e) => ({ ...e }));
  }

  /** Ignores a field when comparing. */
  public addIgnoreDifference(entry: ArgoCdIgnoreDifference): void {
    check(typeof entry.kind === 'string' && /^[A-Z][A-Za-z0-9]*$/.test(entry.kind), this, 'ignoreDifferences.kind', entry.kind,
      'a Kubernetes kind, e.g. "MutatingWebhookConfiguration"');
    if (entry.group !== undefined && entry.group !== '') {
      DnsNames.validateSubdomain(this, 'ignoreDifferences.group', entry.group);
    }
    if (entry.name !== undefined) {
      DnsNames.validateSubdomain(this, 'ignoreDifferences.name', entry.name);
    }
    if (entry.namespace !== undefined) {
      DnsNames.validateLabel(this, 'ignoreDifferences.namespace', entry.namespace);
    }
    const pointers = entry.jsonPointers ?? [];
    const jq = entry.jqPathExpressions ?? [];
    const managers = entry.managedFieldsManagers ?? [];
    check(pointers.length + jq.length + managers.length > 0, this, 'ignoreDifferences', entry,
      'at least one of jsonPointers, jqPathExpressions or managedFieldsManagers');
    for (const pointer of pointers) {
      check(/^(\/([^~/]|~[01])*)+$/.test(pointer), this, 'ignoreDifferences.jsonPointers', pointer,
        'a JSON pointer such as "/spec/replicas"');
    }
    for (const expression of jq) {
      check(typeof expression === 'string' && expression.startsWith('.') && !/\s/.test(expression), this,
        'ignoreDifferences.jqPathExpressions', expression, 'a jq path such as ".webhooks[]?.clientConfig.caBundle"');
    }
    for (const manager of managers) {
      check(typeof manager === 'string' && manager.length > 0 && manager.length <= 128, this,
        'ignoreDifferences.managedFieldsManagers', manager, 'a field manager name of 1 to 128 characters');
    }
    const clean: ArgoCdIgnoreDifference = {
      ...(entry.group !== undefined ? { group: entry.group } : {}),
      kind: entry.kind,
      ...(entry.name !== undefined ? { name: entry.name } : {}),
      ...(entry.namespace !== undefined ? { namespace: entry.namespace } : {}),
      ...(pointers.length > 0 ? { jsonPointers: [...pointers] } : {}),
      ...(jq.length > 0 ? { jqPathExpressions: [...jq] } : {}),
      ...(managers.length > 0 ? { managedFieldsManagers: [...managers] } : {}),
    };
    if (!this.ignored.some((e) => JSON.stringify(e) === JSON.stringify(clean))) {
      this.ignored.push(clean);
    }
  }

  /** Ignores the run-time caBundle of the webhook configurations of `install`. */
  public ignoreWebhookCaBundle(install: ISparkOperator): void {
    for (const entry of ArgoCdApplication.webhookCaBundleDifferences(install)) {
      this.addIgnoreDifference(entry);
    }
  }

  private renderRetry(retry: ArgoCdRetry): { [key: string]: unknown } {
    const limit = retry.limit ?? 5;
    integer(this, 'retry.limit', limit, { max: 100 });
    const backoff = wholeSeconds(this, 'retry.backoff', retry.backoff ?? Duration.seconds(5));
    const maxBackoff = wholeSeconds(this, 'retry.maxBackoff', retry.maxBackoff ?? Duration.minutes(3));
    check(maxBackoff >= backoff, this, 'retry.maxBackoff', `${maxBackoff}s`, `at least retry.backoff (${backoff}s)`);
    const factor = retry.factor ?? 2;
    integer(this, 'retry.factor', factor, { min: 1, max: 10 });
    return { limit, backoff: { duration: `${backoff}s`, factor, maxDuration: `${maxBackoff}s` } };
  }
}
