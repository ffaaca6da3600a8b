import { IConstruct } from 'constructs';

/**
 * A Namespace object: a cdk8s-plus `Namespace` of any 2.x line (cdk8s-plus-28
 * up to cdk8s-plus-33), or a `KubeNamespace` (e.g. a tenant's
 * `namespaceObject`). Constructs given one run in it and, when the app emits
 * it, are ordered after it (cdk8s dependencies: earlier in the chart, or in
 * an earlier-numbered chart file).
 */
export interface INamespaceRef extends IConstruct {
  /** The Namespace's name. */
  readonly name: string;
  /** The object's kind: `Namespace`. */
  readonly kind: string;
}

/**
 * A ServiceAccount object: a cdk8s-plus `ServiceAccount` of any 2.x line,
 * made in the app or named with `ServiceAccount.fromServiceAccountName`.
 * Its namespace is read from its subject configuration, as a RoleBinding
 * would name it.
 */
export interface IServiceAccountRef extends IConstruct {
  /** The ServiceAccount's name. */
  readonly name: string;
  /** The object's kind: `ServiceAccount`. */
  readonly kind: string;
  /** The account as a RoleBinding subject: its kind, name and namespace. */
  toSubjectConfiguration(): ServiceAccountSubject;
}

/** A ServiceAccount as a RoleBinding subject (what cdk8s-plus `ISubject.toSubjectConfiguration` returns). */
export interface ServiceAccountSubject {
  /** The subject's kind: `ServiceAccount`. */
  readonly kind: string;
  /** The account's name. */
  readonly name: string;
  /**
   * The account's namespace.
   * @default - none: the account's chart has no namespace
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;
  /**
   * The API group of the kind (empty for ServiceAccounts).
   * @default - the core group
   */
  readonly apiGroup?: string;
}
