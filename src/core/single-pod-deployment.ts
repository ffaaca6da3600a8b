import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { StandardLabels } from './labels';

/**
 * The `Resource` Deployment of one pod that must never run twice at once:
 * `Recreate` stops the old pod before the new one starts (a ReadWriteOnce
 * claim, a driver whose executors and metastore a second copy would share).
 */
export function singlePodDeployment(scope: Construct, name: string, namespace: string, labels: StandardLabels,
  template: k8s.PodTemplateSpec): k8s.KubeDeployment {
  return new k8s.KubeDeployment(scope, 'Resource', {
    metadata: { name, namespace, labels: labels.all() },
    spec: {
      replicas: 1,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: labels.selector() },
      template,
    },
  });
}
