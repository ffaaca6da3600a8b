import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { check } from '../core/errors';
import { StandardLabels } from '../core/labels';
import { DnsNames } from '../core/names';
import { PerApp } from '../core/per-app';

/** The name of the ServiceAccount, Role and RoleBinding a job namespace gets by default. */
const DEFAULT_NAME = 'spark-driver';

/**
 * Properties of {@link SparkServiceAccount}.
 */
export interface SparkServiceAccountProps {
  /** The job namespace the ServiceAccount, Role and RoleBinding live in. */
  readonly namespace: string;

  /**
   * Name of the ServiceAccount, its Role and its RoleBinding.
   * @default 'spark-driver'
   */
  readonly name?: string;
}

/**
 * The identity of Spark drivers in one job namespace: a ServiceAccount, a
 * Role granting only what a driver does with the API (run its executors and
 * their ConfigMap, Service and on-demand volume claims), and the RoleBinding
 * between them.
 *
 * It replaces binding the built-in `edit` ClusterRole, which would also let a
 * driver read every Secret and change Deployments, Roles... in the namespace.
 * Jobs get one with {@link SparkServiceAccount.forNamespace} unless given one.
 */
export class SparkServiceAccount extends Construct {
  /**
   * The app's default driver ServiceAccount of `namespace`: created on first
   * use, in the chart of `scope`, and shared by every job of that namespace.
   */
  public static forNamespace(scope: IConstruct, namespace: string): SparkServiceAccount {
    const existing = registryOf(scope).get(namespace);
    if (existing) {
      return existing;
    }
    DnsNames.validateLabel(scope, 'namespace', namespace);
    return new SparkServiceAccount(Chart.of(scope), `SparkServiceAccount-${namespace}`, { namespace });
  }

  /** The ServiceAccount's name. */
  public readonly name: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The Role with the driver's permissions. */
  public readonly role: k8s.KubeRole;
  /** The RoleBinding of the Role to the ServiceAccount. */
  public readonly roleBinding: k8s.KubeRoleBinding;

  constructor(scope: Construct, id: string, props: SparkServiceAccountProps) {
    super(scope, id);
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace);
    this.name = DnsNames.validateSubdomain(this, 'name', props.name ?? DEFAULT_NAME);

    const registry = registryOf(this);
    const clash = allAccounts(this).find((sa) => sa !== this && sa.namespace === this.namespace && sa.name === this.name);
    check(clash === undefined, this, 'name', this.name,
      `a name not used by another SparkServiceAccount in namespace "${this.namespace}" (${clash ? clash.node.path : ''})`);
    allAccounts(this).push(this);
    if (this.name === DEFAULT_NAME && !registry.has(this.namespace)) {
      registry.set(this.namespace, this);
    }

    const labels = StandardLabels.of(this, { name: 'spark-driver', instance: this.name, component: 'service-account' }).all();
    const metadata = { name: this.name, namespace: this.namespace, labels };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'Resource', { metadata });
    this.role = new k8s.KubeRole(this, 'Role', {
      metadata,
      rules: [
        // The driver creates its executors, watches them (list + watch feed its
        // pod snapshots, get reads its own pod to own the executors), and
        // deletes them one by one or all at once (deletecollection by label) on
        // scale-down and shutdown.
        { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'watch'] },
        // The executors' Spark configuration: created at start, removed by label at stop.
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list'] },
        // The headless Service executors reach the driver through, when the
        // driver runs spark-submit itself (client mode inside the cluster); at
        // stop the driver removes its Services by label (KubernetesClusterSchedulerBackend.stop:
        // services().withLabel(spark-app-selector).delete(), a list plus a deletecollection).
        { apiGroups: [''], resources: ['services'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list'] },
        // On-demand PersistentVolumeClaims (claimName OnDemand) for executor
        // local storage: created per executor, listed for reuse, removed at stop.
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list'] },
      ],
    });
    this.roleBinding = new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }],
    });
  }
}

/** The app's default ServiceAccount of each namespace. */
const DEFAULTS = new PerApp(() => new Map<string, SparkServiceAccount>());
const accounts = new WeakMap<IConstruct, SparkServiceAccount[]>();

function registryOf(scope: IConstruct): Map<string, SparkServiceAccount> {
  return DEFAULTS.of(scope);
}

function allAccounts(scope: IConstruct): SparkServiceAccount[] {
  const root = scope.node.root;
  let list = accounts.get(root);
  if (!list) {
    list = [];
    accounts.set(root, list);
  }
  return list;
}
