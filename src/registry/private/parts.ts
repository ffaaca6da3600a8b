import { ISecret, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { REGISTRY_PATHS } from './config';
import { StandardLabels } from '../../core/labels';

/** Checked htpasswd settings. */
export interface CheckedAuth { readonly secret: ISecret; readonly htpasswdKey: string; readonly realm: string }
/** Checked upstream credentials. */
export interface CheckedCredentials { readonly secret: ISecret; readonly usernameKey: string; readonly passwordKey: string }
/** Checked garbage-collection settings. */
export interface CheckedGarbageCollection {
  readonly enabled: boolean; readonly schedule: string; readonly seconds: number; readonly deleteUntagged: boolean;
}

/** The environment both the registry and its garbage collection read. */
export function commonEnv(objectStorage = false): k8s.EnvVar[] {
  return [
    { name: 'REGISTRY_CONFIG', value: REGISTRY_PATHS.config },
    { name: 'MAINTENANCE_DIR', value: objectStorage ? REGISTRY_PATHS.podMaintenance : REGISTRY_PATHS.maintenance },
    // distribution 3.x exports traces over OTLP unless told not to.
    { name: 'OTEL_TRACES_EXPORTER', value: 'none' },
  ];
}

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
