import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct, Node } from 'constructs';
import { AppSlot } from '../core/app-context';
import { brand, isBranded } from '../core/brand';
import { check } from '../core/errors';
import { dependOnEmitted, resolveNamespace, serviceAccountRefSubject } from '../core/kube-ref-checks';
import { INamespaceRef, IServiceAccountRef } from '../core/kube-refs';
import { StandardLabels } from '../core/labels';
import { guardLateChange } from '../core/late-change';
import { DnsNames } from '../core/names';
import { typed } from '../core/validate';
import { WorkloadIdentity } from '../core/workload-identity';

/** The name of the ServiceAccount, Role and RoleBinding a job namespace gets by default. */
const DEFAULT_NAME = 'spark-driver';

/**
 * The ServiceAccount Spark drivers run as: one this app makes
 * ({@link SparkServiceAccount}), a cdk8s-plus ServiceAccount
 * ({@link SparkServiceAccount.fromServiceAccount}) or one made elsewhere
 * ({@link SparkServiceAccount.fromName}).
 */
export interface ISparkServiceAccount extends IConstruct {
  /** The ServiceAccount's name. */
  readonly name: string;
  /**
   * Its namespace.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace: string;
  /**
   * The cloud identity of its pods: jobs and services running as the account
   * give their driver and executor pods the labels it needs
   * (`azure.workload.identity/use` for Azure).
   * @default - none
   */
  readonly identity?: WorkloadIdentity;
}

/**
 * Properties of {@link SparkServiceAccount}.
 */
export interface SparkServiceAccountProps {
  /**
   * The job namespace the ServiceAccount, Role and RoleBinding live in.
   * @default - the name of `namespaceRef`; one of the two is required
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * The job namespace as an object (a cdk8s-plus Namespace of any 2.x line,
   * or a KubeNamespace): its name is the namespace, and when the app emits
   * it, it is applied before the account's objects.
   * @default - `namespace` names it
   */
  readonly namespaceRef?: INamespaceRef;

  /**
   * Name of the ServiceAccount, its Role and its RoleBinding.
   * @default 'spark-driver'
   */
  readonly name?: string;

  /**
   * A cloud identity for the drivers and executors (IRSA, GKE or Azure
   * Workload Identity): the ServiceAccount gets its annotations, and the
   * jobs and services running as the account label their driver and
   * executor pods as it needs (Azure). Executors run as the driver's account.
   * @default - none
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Annotations of the ServiceAccount (e.g. a cloud role the identity
   * factories do not cover). The identity's own keys are refused here.
   * @default - none
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };
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
export class SparkServiceAccount extends Construct implements ISparkServiceAccount {
  /**
   * A ServiceAccount made by other means (Helm, another app, by hand), for
   * jobs to run their drivers as. Nothing is emitted for it: it must exist
   * before the jobs run, with the permissions a driver needs (see this
   * class's Role). Inside a namespace this app creates, the app's checks
   * refuse it (the account cannot exist there yet).
   *
   * @param scope the construct it is defined in
   * @param id its id
   * @param name the ServiceAccount's name
   * @param namespace its namespace
   * @param identity the cloud identity it is annotated with (elsewhere), so
   * that the jobs label their pods as it needs (Azure); nothing is annotated
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public static fromName(scope: Construct, id: string, name: string, namespace: string, identity?: WorkloadIdentity): ISparkServiceAccount {
    return new ImportedSparkServiceAccount(scope, id, { name, namespace }, identity);
  }

  /**
   * A cdk8s-plus ServiceAccount (any 2.x line) for jobs to run their drivers
   * as: one the app makes (`new ServiceAccount(...)`), whose objects then
   * apply before those of the jobs and services using it, or one named with
   * `ServiceAccount.fromServiceAccountName(...)`. Its name and namespace
   * (metadata.namespace, else its chart's) are read from it; the jobs check
   * that namespace against theirs. Nothing is emitted for it: it needs the
   * permissions a driver needs (see this class's Role, or make a
   * SparkServiceAccount instead).
   *
   * @param scope the construct it is defined in
   * @param id its id
   * @param serviceAccount the ServiceAccount
   * @param identity the cloud identity it is annotated with (by you), so that
   * the jobs label their pods as it needs (Azure); nothing is annotated
   */
  public static fromServiceAccount(scope: Construct, id: string, serviceAccount: IServiceAccountRef,
    identity?: WorkloadIdentity): ISparkServiceAccount {
    return new ImportedSparkServiceAccount(scope, id, { source: serviceAccount }, identity);
  }

  /**
   * Orders the objects of `user` (a job or service running as `account`)
   * after the cdk8s-plus ServiceAccount `account` was read from
   * ({@link SparkServiceAccount.fromServiceAccount}), when the app emits it.
   * The app's own SparkServiceAccounts keep their order (construction, and
   * the tenants' layer of Argo CD sync waves).
   * @internal
   */
  public static _applyAfter(user: IConstruct, account: ISparkServiceAccount): void {
    if (account instanceof ImportedSparkServiceAccount && account.source !== undefined) {
      dependOnEmitted(user, account.source);
    }
  }

  /** True when `x` is a SparkServiceAccount made by this library (any loaded copy of it). */
  public static isSparkServiceAccount(x: any): x is SparkServiceAccount {
    return isBranded(x, KIND);
  }

  /**
   * The app's default driver ServiceAccount of `namespace`, shared by every
   * job and service of that namespace that is not given one. Its name
   * (`spark-driver`) and namespace are fixed; its objects live with the
   * namespace's SparkTenant when the app has one (whether the tenant is
   * created before or after the jobs), else in the chart of the first job
   * that asked. The reference returned stays valid either way: its `node` is
   * that of the account the app settles on.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public static forNamespace(scope: IConstruct, namespace: string): ISparkServiceAccount {
    DnsNames.validateLabel(scope, 'namespace', namespace);
    const state = ACCOUNTS.of(scope);
    if (!state.defaults.has(namespace)) {
      const account = new SparkServiceAccount(Chart.of(scope), `SparkServiceAccount-${namespace}`, { namespace });
      state.provisional.add(account);
    }
    let ref = state.refs.get(namespace);
    if (ref === undefined) {
      ref = new DefaultSparkServiceAccount(namespace, () => state.defaults.get(namespace)!);
      state.refs.set(namespace, ref);
    }
    return ref;
  }

  /**
   * The default account of a tenant's namespace, in the tenant's chart (an
   * account made earlier for a job of the namespace gives way to it, see the
   * constructor).
   * @internal
   */
  public static _forTenant(tenant: IConstruct, namespace: string): SparkServiceAccount {
    const state = ACCOUNTS.of(tenant);
    const existing = state.defaults.get(namespace);
    if (existing !== undefined && (!state.provisional.has(existing) || Chart.of(existing) === Chart.of(tenant))) {
      state.provisional.delete(existing);
      return existing;
    }
    return new SparkServiceAccount(Chart.of(tenant), `SparkServiceAccount-${namespace}`, { namespace });
  }

  /** The ServiceAccount's name. */
  public readonly name: string;
  /**
   * The namespace.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The cloud identity of its pods, when given. */
  public readonly identity?: WorkloadIdentity;
  /** The ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The Role with the driver's permissions. */
  public readonly role: k8s.KubeRole;
  /** The RoleBinding of the Role to the ServiceAccount. */
  public readonly roleBinding: k8s.KubeRoleBinding;

  constructor(scope: Construct, id: string, props: SparkServiceAccountProps) {
    super(scope, id);
    brand(this, KIND);
    const namespace = resolveNamespace(this, props.namespace, props.namespaceRef);
    check(namespace !== undefined, this, 'namespace', namespace, 'a namespace: namespace or namespaceRef');
    this.namespace = DnsNames.validateLabel(this, 'namespace', namespace!);
    this.name = DnsNames.validateSubdomain(this, 'name', props.name ?? DEFAULT_NAME);
    this.identity = typed(this, 'identity', props.identity, WorkloadIdentity.isWorkloadIdentity, IDENTITY_EXPECTED);

    const state = ACCOUNTS.of(this);
    const provisional = state.defaults.get(this.namespace);
    if (this.name === DEFAULT_NAME && provisional !== undefined && state.provisional.delete(provisional)) {
      // Made for a job that asked first: only forNamespace's reference knew it,
      // and it now names this account, placed where it would be had it come first.
      provisional.node.scope!.node.tryRemoveChild(provisional.node.id);
      state.defaults.delete(this.namespace);
      state.all.splice(state.all.indexOf(provisional), 1);
    }
    const clash = state.all.find((sa) => sa.namespace === this.namespace && sa.name === this.name);
    check(clash === undefined, this, 'name', this.name,
      `a name not used by another SparkServiceAccount in namespace "${this.namespace}" (${clash ? clash.node.path : ''})`);
    state.all.push(this);
    if (this.name === DEFAULT_NAME) {
      state.defaults.set(this.namespace, this);
    }

    const labels = StandardLabels.of(this, { name: 'spark-driver', instance: this.name, component: 'service-account' }).all();
    const metadata = { name: this.name, namespace: this.namespace, labels };

    const given = props.serviceAccountAnnotations;
    guardLateChange(this, 'serviceAccountAnnotations', () => given ?? null, 'give the final annotations when creating the SparkServiceAccount');
    const annotations = WorkloadIdentity._serviceAccountAnnotations(this, 'serviceAccountAnnotations', given, this.identity);
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: { ...metadata, ...(annotations ? { annotations } : {}) },
    });
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

/**
 * A ServiceAccount made elsewhere: a name and a namespace, no objects; when
 * read from a cdk8s-plus ServiceAccount, that object (see
 * SparkServiceAccount._applyAfter).
 */
class ImportedSparkServiceAccount extends Construct implements ISparkServiceAccount {
  public readonly name: string;
  public readonly namespace: string;
  public readonly identity?: WorkloadIdentity;

  /** The cdk8s-plus ServiceAccount it was read from. */
  public readonly source?: IServiceAccountRef;

  constructor(scope: Construct, id: string, given: { name: string; namespace: string } | { source: IServiceAccountRef },
    identity: WorkloadIdentity | undefined) {
    super(scope, id);
    const { name, namespace } = 'source' in given ? serviceAccountRefSubject(this, 'serviceAccount', given.source) : given;
    this.source = 'source' in given ? given.source : undefined;
    this.namespace = DnsNames.validateLabel(this, 'namespace', namespace);
    this.name = DnsNames.validateSubdomain(this, 'name', name);
    this.identity = typed(this, 'identity', identity, WorkloadIdentity.isWorkloadIdentity, IDENTITY_EXPECTED);
  }
}

const KIND = 'SparkServiceAccount';
const IDENTITY_EXPECTED = 'a WorkloadIdentity, e.g. WorkloadIdentity.aws("arn:aws:iam::123456789012:role/spark")';

/** The app's default ServiceAccount of each namespace, every SparkServiceAccount of the app, and the defaults a tenant may still claim. */
const ACCOUNTS = new AppSlot('spark-service-accounts', () => ({
  defaults: new Map<string, SparkServiceAccount>(),
  all: [] as SparkServiceAccount[],
  /** Default accounts created for a job or service, which a tenant of their namespace may still claim. */
  provisional: new Set<SparkServiceAccount>(),
  /** The one reference per namespace that forNamespace hands out. */
  refs: new Map<string, DefaultSparkServiceAccount>(),
}));

/**
 * What jobs hold of their namespace's default account: the name and the
 * namespace, which never change, and the node of the account the app has
 * now (see SparkServiceAccount.forNamespace).
 */
class DefaultSparkServiceAccount implements ISparkServiceAccount {
  public readonly name = DEFAULT_NAME;

  constructor(public readonly namespace: string, private readonly current: () => SparkServiceAccount) {}

  public get node(): Node {
    return this.current().node;
  }

  public get identity(): WorkloadIdentity | undefined {
    return this.current().identity;
  }
}

