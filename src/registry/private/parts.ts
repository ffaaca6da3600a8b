import { ISecret, k8s } from 'cdk8s-plus-28';
import { REGISTRY_PATHS } from './config';

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

// Shared with the other constructs that emit their own restricted namespace.
export { restrictedNamespace } from '../../core/restricted-namespace';
