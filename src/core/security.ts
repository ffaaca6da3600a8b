import { k8s } from 'cdk8s-plus-28';
import { check } from './errors';

/**
 * Options for the restricted security contexts.
 */
export interface RestrictedSecurityOptions {
  /**
   * The numeric user the containers run as. Set it whenever the image names
   * its user (`USER spark`): the kubelet cannot prove a named user is not root
   * and refuses to start such a container under `runAsNonRoot`.
   * @default - the image's user (which must then be numeric and non-zero)
   */
  readonly runAsUser?: number;

  /**
   * The numeric primary group of the containers.
   * @default - same as runAsUser when that is set, else the image's group
   */
  readonly runAsGroup?: number;

  /**
   * The group that owns mounted volumes (`fsGroup`).
   * @default - same as runAsGroup, when known
   */
  readonly fsGroup?: number;

  /**
   * Mount the root filesystem read-only. Give writable paths as volumes.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;

  /**
   * Capabilities to add back after dropping all. Only `NET_BIND_SERVICE` is
   * allowed under the restricted Pod Security Standard.
   * @default - none
   */
  readonly addCapabilities?: string[];
}

/**
 * The security contexts every workload of this library gets by default: the
 * restricted Pod Security Standard (non-root, no privilege escalation, all
 * capabilities dropped, RuntimeDefault seccomp), plus a read-only root
 * filesystem. Constructs apply them unless told otherwise, and the escape
 * hatches of each construct can override any field.
 */
export class SecurityDefaults {
  /** The pod-level security context. */
  public static restrictedPod(options: RestrictedSecurityOptions = {}): k8s.PodSecurityContext {
    const { group, ...ids } = identity(options);
    return {
      ...ids,
      ...((options.fsGroup ?? group) !== undefined ? { fsGroup: options.fsGroup ?? group } : {}),
      seccompProfile: { type: 'RuntimeDefault' },
    };
  }

  /** The container-level security context. */
  public static restrictedContainer(options: RestrictedSecurityOptions = {}): k8s.SecurityContext {
    const { group, ...ids } = identity(options);
    return {
      ...ids,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: options.readOnlyRootFilesystem ?? true,
      capabilities: {
        drop: ['ALL'],
        ...(options.addCapabilities?.length ? { add: options.addCapabilities } : {}),
      },
      seccompProfile: { type: 'RuntimeDefault' },
    };
  }

  private constructor() {}
}

function validate(options: RestrictedSecurityOptions) {
  const where = 'SecurityDefaults';
  for (const [property, id] of [['runAsUser', options.runAsUser], ['runAsGroup', options.runAsGroup], ['fsGroup', options.fsGroup]] as const) {
    if (id !== undefined) {
      check(Number.isInteger(id) && id > 0 && id < 2 ** 31, where, property, id,
        'a positive integer id; 0 (root) is not allowed under the restricted Pod Security Standard');
    }
  }
  for (const cap of options.addCapabilities ?? []) {
    check(cap === 'NET_BIND_SERVICE', where, 'addCapabilities', cap,
      'only NET_BIND_SERVICE may be added under the restricted Pod Security Standard');
  }
}

/** The checked options' user and group fields, shared by both contexts (the group defaults to the user). */
function identity(options: RestrictedSecurityOptions) {
  validate(options);
  const group = options.runAsGroup ?? options.runAsUser;
  return {
    group,
    runAsNonRoot: true,
    ...(options.runAsUser !== undefined ? { runAsUser: options.runAsUser } : {}),
    ...(group !== undefined ? { runAsGroup: group } : {}),
  };
}
