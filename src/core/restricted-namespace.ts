import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { check } from './errors';
import { StandardLabels } from './labels';

/** Namespaces every cluster has: a construct that emits one would relabel it. */
export const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** A Namespace labelled for the restricted Pod Security Standard. */
export function restrictedNamespace(scope: Construct, name: string, labels: StandardLabels): k8s.KubeNamespace {
  return new k8s.KubeNamespace(scope, 'Namespace', {
    metadata: {
      name,
      labels: {
        'app.kubernetes.io/part-of': labels.partOf,
        'app.kubernetes.io/managed-by': labels.managedBy,
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      },
    },
  });
}

/** Refuses to emit a namespace the cluster has already (it would be relabelled and owned by the app). */
export function checkOwnNamespace(scope: Construct, name: string): void {
  check(!BUILT_IN_NAMESPACES.includes(name), scope, 'namespace', name,
    `a namespace of its own while createNamespace is true (${BUILT_IN_NAMESPACES.join(', ')} exist in every cluster); `
    + 'or set createNamespace: false');
}
