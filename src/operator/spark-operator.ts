import { Construct, IConstruct } from 'constructs';
import { brand, isBranded } from '../core/brand';
import { appObjects } from '../core/cluster-model';
import { ModelObject } from '../core/cluster-model/objects';
import { webhookRule } from '../core/cluster-model/webhooks';
import { OPERATOR_DEFAULT, OPERATOR_RELEASES } from '../core/compatibility-apps';
import { check, pathOf } from '../core/errors';
import { guardLateChange } from '../core/late-change';
import { DnsNames } from '../core/names';
import { appOperatorFindings, registerOperator } from './private/operators';

/**
 * A Spark operator (kubeflow/spark-operator) as the rest of the platform sees
 * it: where it runs, which namespaces it runs jobs in, and what its admission
 * webhook checks. Implemented by {@link SparkOperatorInstall} (an operator
 * this app installs) and by {@link SparkOperator.fromExisting} (one installed
 * by Helm or other means, of which the app emits nothing).
 *
 * An app may hold several, of either kind: its operator-managed jobs and
 * tenants are checked against all of them, and two that watch one namespace
 * (or both every namespace) fail synthesis, since each would run the
 * applications there.
 */
export interface ISparkOperator extends IConstruct {
  /** The operator's name (Helm release name): its objects are named `<name>-controller`, `<name>-webhook`... */
  readonly name: string;
  /**
   * The namespace the operator's controller and webhook run in.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace: string;
  /** True when the operator runs jobs in every namespace. */
  readonly watchesAllNamespaces: boolean;
  /** The namespaces the operator runs jobs in (sorted); empty when it watches all namespaces. */
  readonly jobNamespaces: string[];
  /** True when the operator's admission webhook (defaulting and validation of SparkApplications, pod mutation) runs. */
  readonly webhookEnabled: boolean;
  /** True when the webhook refuses SparkApplications whose estimate exceeds their namespace's ResourceQuota. */
  readonly resourceQuotaEnforcement: boolean;
  /** True when this app emits the operator's objects (false for an operator installed by other means). */
  readonly installedByApp: boolean;

  /**
   * Makes the operator run jobs in `namespace`. An install adds it to its
   * namespaces; an operator installed by other means cannot be changed from
   * here, so a namespace it does not watch fails synthesis.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  watchNamespace(namespace: string): void;

  /**
   * True when the operator runs jobs in `namespace`.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  watchesNamespace(namespace: string): boolean;
}

/** Properties of {@link SparkOperator.fromExisting}. */
export interface ExistingSparkOperatorProps {
  /**
   * The operator release running in the cluster (its Helm chart's
   * `appVersion`, e.g. `2.5.2`). The jobs are rendered for the CRDs and the
   * webhooks of 2.5.x (see Compatibility): other releases are refused.
   * @default '2.5.2'
   */
  readonly release?: string;

  /**
   * The namespace the operator runs in.
   * @default 'spark-operator'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * The operator's name: the Helm release name, which names its webhook
   * configurations (`<name>-webhook`).
   * @default 'spark-operator'
   */
  readonly name?: string;

  /**
   * The namespaces the operator runs jobs in, as configured where it was
   * installed (Helm value `spark.jobNamespaces`). Jobs and tenants of the app
   * in other namespaces fail synthesis. Required unless `watchAllNamespaces`.
   * @default - none
   */
  readonly jobNamespaces?: string[];

  /**
   * The operator runs jobs in every namespace.
   * @default false
   */
  readonly watchAllNamespaces?: boolean;

  /**
   * The operator's admission webhook runs (Helm value `webhook.enable`).
   * The app's SparkApplications are then checked against what it refuses.
   * @default true
   */
  readonly webhookEnabled?: boolean;

  /**
   * The webhook refuses applications over their namespace's ResourceQuota
   * (Helm value `webhook.resourceQuotaEnforcement.enable`).
   * @default false
   */
  readonly resourceQuotaEnforcement?: boolean;
}

/** Path of the webhook objects the cluster model is given for an imported operator. */
const IMPORTED_MARK = '[installed outside this app]';

/** Factories and checks for Spark operators. */
export class SparkOperator {
  /**
   * An operator installed by Helm or other means. The app emits nothing for
   * it; tenants, jobs, Argo CD and the cluster model use the facts given
   * here. Jobs and tenants in namespaces it does not watch fail synthesis.
   */
  public static fromExisting(scope: Construct, id: string, props: ExistingSparkOperatorProps = {}): ISparkOperator {
    return new ExistingSparkOperator(scope, id, props);
  }

  /**
   * True when `x` is a Spark operator: an install or an imported one (from
   * any copy of this library).
   */
  public static isSparkOperator(x: any): x is ISparkOperator {
    return typeof x === 'object' && x !== null && typeof x.node === 'object'
      && typeof x.namespace === 'string' && typeof x.watchesAllNamespaces === 'boolean'
      && typeof x.watchNamespace === 'function' && typeof x.watchesNamespace === 'function';
  }

  /** True when `x` was made by {@link SparkOperator.fromExisting}. */
  public static isExisting(x: any): boolean {
    return isBranded(x, 'ExistingSparkOperator');
  }

  private constructor() {}
}

class ExistingSparkOperator extends Construct implements ISparkOperator {
  public readonly name: string;
  public readonly namespace: string;
  public readonly watchesAllNamespaces: boolean;
  public readonly webhookEnabled: boolean;
  public readonly resourceQuotaEnforcement: boolean;
  public readonly installedByApp = false;
  private readonly watched: ReadonlySet<string>;
  /** Namespaces the app asked the operator to watch (watchNamespace), with nothing to add them to. */
  private readonly required = new Set<string>();
  /** Findings of the current synthesis, keyed by the app's size and the namespaces asked for. */
  private cached?: { constructs: number; findings: string[] };

  constructor(scope: Construct, id: string, props: ExistingSparkOperatorProps) {
    super(scope, id);
    brand(this, 'ExistingSparkOperator');
    this.name = DnsNames.validateDns1035Label(this, 'name', props.name ?? 'spark-operator');
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? 'spark-operator');
    this.watchesAllNamespaces = props.watchAllNamespaces ?? false;
    const given = props.jobNamespaces;
    check(!(this.watchesAllNamespaces && given !== undefined), this, 'jobNamespaces', given,
      'leave jobNamespaces unset when watchAllNamespaces is true');
    check(this.watchesAllNamespaces || (Array.isArray(given) && given.length > 0), this, 'jobNamespaces', given,
      'the namespaces the operator was configured to watch (Helm spark.jobNamespaces), or watchAllNamespaces: true');
    for (const ns of given ?? []) {
      DnsNames.validateLabel(this, 'jobNamespaces', ns);
    }
    check(new Set(given ?? []).size === (given ?? []).length, this, 'jobNamespaces', given, 'distinct namespaces');
    this.watched = new Set(given ?? []);
    this.webhookEnabled = props.webhookEnabled ?? true;
    this.resourceQuotaEnforcement = props.resourceQuotaEnforcement ?? false;
    const release = props.release ?? OPERATOR_DEFAULT.release;
    check(typeof release === 'string' && OPERATOR_RELEASES.contains(release.replace(/^v/, '')), this, 'release', release,
      `a Spark operator release ${OPERATOR_RELEASES}: the jobs are rendered for its CRDs and webhooks (see Compatibility)`);
    check(this.webhookEnabled || !this.resourceQuotaEnforcement, this, 'resourceQuotaEnforcement', true,
      'false when webhookEnabled is false (the webhook enforces quotas)');
    guardLateChange(this, 'props.jobNamespaces', () => props.jobNamespaces ?? [],
      'give every namespace the operator watches before calling SparkOperator.fromExisting');
    guardLateChange(this, 'props', () => ({ ...props, jobNamespaces: undefined }),
      'give the operator\'s facts before calling SparkOperator.fromExisting');
    registerOperator(this);
    this.node.addValidation({ validate: () => this.validate() });
  }

  public get jobNamespaces(): string[] {
    return [...this.watched].sort();
  }

  public watchNamespace(namespace: string): void {
    DnsNames.validateLabel(this, 'namespace', namespace);
    this.required.add(namespace);
  }

  public watchesNamespace(namespace: string): boolean {
    return this.watchesAllNamespaces || this.watched.has(namespace);
  }

  private validate(): string[] {
    // cdk8s validates the whole app once per chart, in one synchronous run:
    // the findings are kept for that run (see attachClusterModel).
    const constructs = this.node.root.node.findAll().length * 1000 + this.required.size;
    if (this.cached?.constructs !== constructs) {
      this.cached = { constructs, findings: this.findings() };
      queueMicrotask(() => { this.cached = undefined; });
    }
    return this.cached.findings;
  }

  private findings(): string[] {
    const here = pathOf(this);
    const notWatched = (ns: string) => `namespace "${ns}" is not watched by the Spark operator ${here}, `
      + `which is installed outside this app and watches ${this.jobNamespaces.join(', ')}: `
      + 'add it to the operator\'s own configuration (Helm spark.jobNamespaces) and to jobNamespaces of SparkOperator.fromExisting';
    const errors = [...this.required].filter((ns) => !this.watchesNamespace(ns)).map((ns) => `${here}: ${notWatched(ns)}`);
    // Jobs, tenants and overlaps are checked once per app, against all its operators (installed ones too).
    return [...errors, ...appOperatorFindings(this), ...this.webhookFindings()];
  }

  /**
   * What the operator's webhook refuses among the app's objects: the cluster
   * model is given the webhook configurations, Service and Deployment such an
   * install has (not emitted), and the findings about them are reported.
   * Their failurePolicy is Ignore in the model: the operator runs before the
   * app is applied, so only its refusals matter, not its own availability.
   */
  private webhookFindings(): string[] {
    if (!this.webhookEnabled) {
      return [];
    }
    const virtual = this.webhookModel();
    const findings = webhookRule([...appObjects(this.node.root), ...virtual]);
    return findings.filter((f) => f.includes(IMPORTED_MARK)).map((f) => `cluster model: ${f}`);
  }

  private webhookModel(): ModelObject[] {
    const path = `${this.node.path} ${IMPORTED_MARK}`;
    const webhook = `${this.name}-webhook`;
    const service = { name: `${this.name}-webhook-svc`, namespace: this.namespace };
    const selector = { 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/component': 'webhook' };
    const namespaceSelector = this.watchesAllNamespaces ? undefined : {
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: this.jobNamespaces }],
    };
    // Paths and rules as kubeflow/spark-operator v2 registers them (see SparkOperatorInstall).
    const hook = (kind: string, resource: string, group: string, version: string, extra: object = {}) => {
      const hookPath = group === '' ? `/${kind}--${version}-${resource}` : `/${kind}-${group.replace(/\./g, '-')}-${version}-${resource}`;
      return {
        name: `${hookPath.slice(1)}.sparkoperator.k8s.io`,
        clientConfig: { service: { ...service, port: 443, path: hookPath } },
        failurePolicy: 'Ignore',
        ...(namespaceSelector ? { namespaceSelector } : {}),
        rules: [{ apiGroups: [group], apiVersions: [version], resources: [`${resource}s`], operations: ['CREATE', 'UPDATE'], scope: 'Namespaced' }],
        ...extra,
      };
    };
    const group = 'sparkoperator.k8s.io';
    return [
      {
        path,
        json: {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingWebhookConfiguration',
          metadata: { name: webhook },
          webhooks: [hook('validate', 'sparkapplication', group, 'v1beta2'), hook('validate', 'scheduledsparkapplication', group, 'v1beta2')],
        },
      },
      {
        path,
        json: {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'MutatingWebhookConfiguration',
          metadata: { name: webhook },
          webhooks: [hook('mutate', 'pod', '', 'v1', { objectSelector: { matchLabels: { 'sparkoperator.k8s.io/launched-by-spark-operator': 'true' } } })],
        },
      },
      { path, json: { apiVersion: 'v1', kind: 'Service', metadata: service, spec: { selector } } },
      {
        path,
        json: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: webhook, namespace: this.namespace },
          spec: {
            template: {
              metadata: { labels: selector },
              spec: { containers: [{ name: 'webhook', args: this.resourceQuotaEnforcement ? ['--enable-resource-quota-enforcement=true'] : [] }] },
            },
          },
        },
      },
    ];
  }
}
