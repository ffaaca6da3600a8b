import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check } from './errors';
import type { INamespaceRef, IServiceAccountRef } from './kube-refs';
import { DnsNames } from './names';

/**
 * The namespace a construct runs in when it takes both a name (`namespace`)
 * and an object (`namespaceRef`): the object's name, which the name must
 * then repeat if given too; the object is applied before the construct's
 * objects (see {@link dependOnEmitted}). Undefined when neither is given.
 */
export function resolveNamespace(scope: IConstruct, namespace: string | undefined, ref: INamespaceRef | undefined): string | undefined {
  if (ref === undefined) {
    return namespace;
  }
  const name = namespaceRefName(scope, 'namespaceRef', ref);
  check(namespace === undefined || namespace === name, scope, 'namespace', namespace,
    `unset, or the name of namespaceRef ("${name}", ${ref.node.path}): one namespace`);
  dependOnEmitted(scope, ref);
  return name;
}

/** The name of a Namespace object, checked: cdk8s-plus objects are taken by shape, since any 2.x line may have made them. */
export function namespaceRefName(scope: IConstruct, property: string, ref: INamespaceRef): string {
  check(isConstruct(ref) && ref.kind === 'Namespace' && typeof ref.name === 'string', scope, property, describe(ref),
    'a Namespace object: a cdk8s-plus Namespace (any 2.x line) or a KubeNamespace');
  return DnsNames.validateLabel(scope, `${property}.name`, ref.name);
}

/** The name and namespace of a ServiceAccount object, checked (by shape, as above). */
export function serviceAccountRefSubject(scope: IConstruct, property: string, ref: IServiceAccountRef): { name: string; namespace: string } {
  check(isConstruct(ref) && ref.kind === 'ServiceAccount' && typeof ref.toSubjectConfiguration === 'function', scope, property, describe(ref),
    'a ServiceAccount object: a cdk8s-plus ServiceAccount (any 2.x line), e.g. new ServiceAccount(chart, "Driver") '
    + 'or ServiceAccount.fromServiceAccountName(chart, "Driver", "spark", { namespaceName: "jobs" })');
  const subject = ref.toSubjectConfiguration();
  check(typeof subject?.namespace === 'string' && subject.namespace !== '', scope, `${property} namespace`, subject?.namespace,
    `a namespace for ServiceAccount "${ref.name}" (${ref.node.path}): set its metadata.namespace or its chart's namespace, `
    + 'so that it is applied where the pods look for it');
  return {
    name: DnsNames.validateSubdomain(scope, `${property}.name`, subject.name),
    namespace: DnsNames.validateLabel(scope, `${property} namespace`, subject.namespace!),
  };
}

/**
 * Orders the objects under `scope` after those under `target` when the app
 * emits `target` (cdk8s: later in the same chart; a chart of their own is
 * written after the target's, the files then numbered). An object of another
 * app, or one that emits nothing (a name imported with `fromXxxName`), adds
 * no dependency.
 */
export function dependOnEmitted(scope: IConstruct, target: IConstruct): void {
  if (target.node.root === scope.node.root && target.node.findAll().some((c) => ApiObject.isApiObject(c))) {
    scope.node.addDependency(target);
  }
}

function isConstruct(x: unknown): x is IConstruct {
  return x !== null && typeof x === 'object' && typeof (x as IConstruct).node?.path === 'string';
}

function describe(x: unknown): string {
  if (isConstruct(x)) {
    return `${x.node.path} (a ${(x as any).kind ?? 'construct'})`;
  }
  return x === null ? 'null' : typeof x;
}
