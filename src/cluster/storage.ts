import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppSlot } from '../core/app-context';
import { brand, isBranded } from '../core/brand';
import { check, pathOf } from '../core/errors';
import { DnsNames } from '../core/names';
import { dnsSubdomain } from '../core/validate';
import { DEFAULT_CLASS_ANNOTATION, LOCAL_PATH_PROVISIONER } from './private/local-path';

enum Origin {
  EXISTING = 'existing',
  CLUSTER_DEFAULT = 'cluster-default',
  EMITTED = 'emitted',
}

/**
 * A StorageClass that claims can bind with: one the cluster already has
 * (stated by you), the cluster's default one (stated by you), or one an app
 * emits (for example {@link LocalPathProvisioner.storageClass}).
 *
 * Constructs that create PersistentVolumeClaims take one of these instead of
 * a bare name. Passing it also tells the app's storage check (see
 * {@link ClusterStorage}) that the class exists.
 */
export class StorageClassRef {
  /** True when `x` is a StorageClassRef (of any copy of this library). */
  public static isStorageClassRef(x: any): x is StorageClassRef {
    return isBranded(x, 'StorageClassRef');
  }

  /**
   * A StorageClass the cluster already has and this app does not emit, such
   * as a cloud provider's `gp3`. You state that it exists.
   * @param name the StorageClass name
   */
  public static existing(name: string): StorageClassRef {
    dnsSubdomain('StorageClassRef.existing', 'name', name);
    return new StorageClassRef(Origin.EXISTING, name);
  }

  /**
   * The cluster's default StorageClass: claims name no class and Kubernetes
   * gives them the default one. You state that the cluster has one (a kubeadm
   * cluster has none; add a {@link LocalPathProvisioner} there instead).
   */
  public static clusterDefault(): StorageClassRef {
    return new StorageClassRef(Origin.CLUSTER_DEFAULT, undefined);
  }

  /**
   * A StorageClass emitted by a construct of this library (the construct's
   * StorageClass object is found by the app's storage check).
   * @internal
   */
  public static _emitted(name: string): StorageClassRef {
    return new StorageClassRef(Origin.EMITTED, name);
  }

  /** The class name claims carry in `spec.storageClassName`; undefined for the cluster's default class. */
  public readonly storageClassName?: string;

  private readonly origin: Origin;

  private constructor(origin: Origin, name: string | undefined) {
    brand(this, 'StorageClassRef');
    this.origin = origin;
    this.storageClassName = name;
  }

  /** True for {@link StorageClassRef.clusterDefault}. */
  public get isClusterDefault(): boolean {
    return this.origin === Origin.CLUSTER_DEFAULT;
  }

  /** A short description for messages and docs. */
  public toString(): string {
    switch (this.origin) {
      case Origin.CLUSTER_DEFAULT: return 'the cluster\'s default StorageClass';
      case Origin.EXISTING: return `the existing StorageClass "${this.storageClassName}"`;
      default: return `the StorageClass "${this.storageClassName}" emitted by the app`;
    }
  }

  /** The `storageClassName` field of a claim spec (none for the cluster's default class). */
  public claimFields(): { [key: string]: string } {
    return this.storageClassName !== undefined ? { storageClassName: this.storageClassName } : {};
  }

  /** @internal */
  public get _origin(): string {
    return this.origin;
  }
}

interface AppStorage {
  /** Classes stated to exist in the cluster (existing ones and the cluster's default). */
  readonly stated: StorageClassRef[];
  checking: boolean;
}

const STORAGE = new AppSlot<AppStorage>('cluster-storage', () => ({ stated: [], checking: false }));

/**
 * The app-wide storage check: every PersistentVolumeClaim the app emits (also
 * the volume claim templates of StatefulSets) can bind.
 *
 * A claim binds only when a StorageClass with a provisioner serves it. A
 * kubeadm cluster has no StorageClass at all, so a claim there stays Pending
 * forever, and so does the pod that mounts it. At synthesis the check fails
 * unless each claim:
 * - names a StorageClass the app emits (a `storage.k8s.io/v1` StorageClass
 *   object, e.g. the one of a {@link LocalPathProvisioner}), or one stated to
 *   exist with {@link StorageClassRef.existing};
 * - names none (the cluster's default class) and the app emits a default
 *   StorageClass or states one exists with {@link StorageClassRef.clusterDefault};
 * - names the empty class `""` and the app emits a PersistentVolume without
 *   a class for it, or binds to a named volume (`volumeName`).
 *
 * Constructs that create claims turn the check on for their app; constructs
 * that take a {@link StorageClassRef} state it for you.
 */
export class ClusterStorage {
  /**
   * States that `storageClass` exists in the cluster the app containing
   * `scope` deploys to, for the storage check. Constructs that take a
   * {@link StorageClassRef} call this themselves; call it for claims you
   * create yourself.
   */
  public static declare(scope: IConstruct, storageClass: StorageClassRef): void {
    check(StorageClassRef.isStorageClassRef(storageClass), scope, 'storageClass', storageClass,
      'a StorageClassRef (StorageClassRef.existing(name), StorageClassRef.clusterDefault() or a LocalPathProvisioner\'s storageClass)');
    const state = STORAGE.of(scope);
    if (storageClass._origin !== Origin.EMITTED
      && !state.stated.some((s) => s._origin === storageClass._origin && s.storageClassName === storageClass.storageClassName)) {
      state.stated.push(storageClass);
    }
    ClusterStorage.checkClaims(scope);
  }

  /**
   * Turns the storage check on for the app containing `scope` (idempotent).
   * Every construct of this library that emits a claim calls it.
   */
  public static checkClaims(scope: IConstruct): void {
    const state = STORAGE.of(scope);
    if (state.checking) {
      return;
    }
    state.checking = true;
    const root = scope.node.root;
    root.node.addValidation({ validate: () => storageProblems(root, state) });
  }

  /**
   * Checks `storageClass` given to `scope` as `property` and states it exists.
   * @returns the class
   */
  public static use(scope: IConstruct, property: string, storageClass: StorageClassRef): StorageClassRef {
    check(StorageClassRef.isStorageClassRef(storageClass), scope, property, storageClass,
      'a StorageClassRef (StorageClassRef.existing(name), StorageClassRef.clusterDefault() or a LocalPathProvisioner\'s storageClass)');
    ClusterStorage.declare(scope, storageClass);
    if (storageClass.storageClassName !== undefined) {
      DnsNames.validateSubdomain(scope, property, storageClass.storageClassName);
    }
    return storageClass;
  }

  private constructor() {}
}

interface Claim {
  readonly owner: ApiObject;
  readonly what: string;
  readonly spec: any;
}

/** The problems of every claim in the app under `root`. */
function storageProblems(root: IConstruct, state: AppStorage): string[] {
  const emitted = new Map<string, ApiObject>();
  const defaults: ApiObject[] = [];
  let classlessVolume = false;
  const claims: Claim[] = [];
  for (const child of root.node.findAll()) {
    if (!(child instanceof ApiObject)) {
      continue;
    }
    if (child.kind === 'StorageClass' && child.apiVersion === 'storage.k8s.io/v1') {
      emitted.set(child.name, child);
      if (child.metadata.toJson().annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true') {
        defaults.push(child);
      }
    } else if (child.kind === 'PersistentVolume' && child.apiVersion === 'v1') {
      const spec = child.toJson().spec ?? {};
      classlessVolume ||= spec.storageClassName === undefined || spec.storageClassName === '';
    } else if (child.kind === 'PersistentVolumeClaim' && child.apiVersion === 'v1') {
      const json = child.toJson();
      claims.push({ owner: child, what: `PersistentVolumeClaim ${json.metadata?.namespace ?? '(no namespace)'}/${child.name}`, spec: json.spec ?? {} });
    } else if (child.kind === 'StatefulSet' && child.apiVersion === 'apps/v1') {
      const json = child.toJson();
      for (const template of json.spec?.volumeClaimTemplates ?? []) {
        claims.push({
          owner: child,
          what: `StatefulSet ${json.metadata?.namespace ?? '(no namespace)'}/${child.name} volume claim template "${template.metadata?.name}"`,
          spec: template.spec ?? {},
        });
      }
    }
  }
  const stated = new Set(state.stated.filter((s) => !s.isClusterDefault).map((s) => s.storageClassName));
  const defaultStated = state.stated.some((s) => s.isClusterDefault);
  const fixes = 'Add a LocalPathProvisioner (kubeadm clusters have no StorageClass), or, when the cluster has the class, '
    + 'state it with StorageClassRef.existing(name) (ClusterStorage.declare for claims of your own)';

  const problems: string[] = [];
  for (const claim of claims) {
    const where = `${pathOf(claim.owner)}: ${claim.what}`;
    const name: unknown = claim.spec.storageClassName;
    if (typeof claim.spec.volumeName === 'string' && claim.spec.volumeName !== '') {
      continue; // bound to a named PersistentVolume
    }
    if (name === undefined || name === null) {
      if (defaults.length === 0 && !defaultStated) {
        problems.push(`${where} names no StorageClass, and the app neither emits a default StorageClass nor states that the `
          + 'cluster has one, so the claim would stay Pending. Add a LocalPathProvisioner (its class is the default one unless '
          + 'defaultClass is false), give the construct a storageClass, or state the cluster\'s default class with '
          + 'StorageClassRef.clusterDefault() (ClusterStorage.declare for claims of your own)');
      }
    } else if (name === '') {
      if (!classlessVolume) {
        problems.push(`${where} asks for no StorageClass (storageClassName ""), so it only binds to a PersistentVolume without `
          + 'a class, and the app emits none. Emit the PersistentVolume, or give the claim a StorageClass');
      }
    } else if (!emitted.has(String(name)) && !stated.has(String(name))) {
      problems.push(`${where} asks for StorageClass "${name}", which the app neither emits nor states to exist, so the claim `
        + `would stay Pending on a cluster without it. ${fixes}`);
    }
    const serving = name === undefined || name === null ? (defaults.length === 1 ? defaults[0] : undefined) : emitted.get(String(name));
    const refusal = serving ? localPathRefusal(serving, claim.spec) : undefined;
    if (refusal) {
      problems.push(`${where}: ${refusal}, so the claim would stay Pending. Use a StorageClass with shared storage `
        + '(NFS, CephFS, a cloud file service) for it');
    }
  }
  return problems;
}

/**
 * Why the local-path provisioner refuses the claim, if it does: with node
 * paths it provisions only ReadWriteOnce and ReadWriteOncePod volumes, without
 * a selector (rancher/local-path-provisioner v0.0.37 provisioner.go, provisionFor).
 */
function localPathRefusal(storageClass: ApiObject, spec: any): string | undefined {
  const json = storageClass.toJson();
  if (json.provisioner !== LOCAL_PATH_PROVISIONER) {
    return undefined;
  }
  const modes: string[] = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  const bad = modes.filter((m) => m !== 'ReadWriteOnce' && m !== 'ReadWriteOncePod');
  const what = `StorageClass "${storageClass.name}" (${LOCAL_PATH_PROVISIONER}) provisions node-local volumes`;
  if (bad.length > 0) {
    return `asks for access modes ${bad.join(', ')}, but ${what}: ReadWriteOnce and ReadWriteOncePod only`;
  }
  if (spec.selector !== undefined) {
    return `has a selector, which ${what} do not support`;
  }
  return undefined;
}
