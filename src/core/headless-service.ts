import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { StandardLabels } from './labels';

/**
 * The headless Service (child `HeadlessService` of `scope`) that gives each
 * pod of a StatefulSet its DNS name. It publishes pods that are not ready:
 * a daemon (standalone master, Celeborn master) must resolve its own and its
 * peers' names while it starts, before it can pass a readiness probe.
 */
export function headlessService(scope: Construct, namespace: string, name: string, labels: StandardLabels, ports: k8s.ServicePort[]): ApiObject {
  return new k8s.KubeService(scope, 'HeadlessService', {
    metadata: { name, namespace, labels: labels.all() },
    spec: {
      clusterIp: 'None',
      publishNotReadyAddresses: true,
      selector: labels.selector(),
      ports,
    },
  });
}
