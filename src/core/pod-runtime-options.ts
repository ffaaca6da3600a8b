import { Duration } from 'cdk8s';

/** An `/etc/hosts` entry of a pod: names that resolve to one address without DNS. */
export interface PodHostAlias {
  /** The IPv4 or IPv6 address, e.g. `10.0.0.15`. */
  readonly ip: string;
  /** The host names that resolve to it (DNS subdomains, e.g. `namenode.example.internal`). */
  readonly hostnames: string[];
}

/**
 * The kernel parameters a pod may set under the Pod Security Standards
 * "baseline" and "restricted": those namespaced per pod and isolated from
 * other pods (kubernetes/kubernetes
 * staging/src/k8s.io/pod-security-admission/policy/check_sysctls.go,
 * `sysctls_allowed_1_0`, allowed on every Kubernetes version). Every other
 * sysctl is refused: admission would refuse the pod.
 */
export enum SafeSysctl {
  /** `kernel.shm_rmid_forced`: remove System V shared memory segments when no process uses them. */
  KERNEL_SHM_RMID_FORCED = 'kernel.shm_rmid_forced',
  /** `net.ipv4.ip_local_port_range`: the range of local ports for outgoing connections, e.g. `1024 65535`. */
  NET_IPV4_IP_LOCAL_PORT_RANGE = 'net.ipv4.ip_local_port_range',
  /** `net.ipv4.tcp_syncookies`: SYN cookies against SYN floods. */
  NET_IPV4_TCP_SYNCOOKIES = 'net.ipv4.tcp_syncookies',
  /** `net.ipv4.ping_group_range`: the groups allowed unprivileged ICMP echo sockets, e.g. `0 2147483647`. */
  NET_IPV4_PING_GROUP_RANGE = 'net.ipv4.ping_group_range',
  /** `net.ipv4.ip_unprivileged_port_start`: the first port a non-root process may listen on. */
  NET_IPV4_IP_UNPRIVILEGED_PORT_START = 'net.ipv4.ip_unprivileged_port_start',
}

/** A kernel parameter set for a pod. */
export interface PodSysctl {
  /** The parameter. */
  readonly name: SafeSysctl;
  /** Its value, as `sysctl` takes it, e.g. `1024 65535`. */
  readonly value: string;
}

/**
 * The SELinux types the Pod Security Standards "baseline" and "restricted"
 * allow a pod or container (kubernetes/kubernetes
 * staging/src/k8s.io/pod-security-admission/policy/check_seLinuxOptions.go,
 * `selinux_allowed_types_1_0`).
 */
export enum SeLinuxType {
  /** `container_t`, the container runtimes' default for containers. */
  CONTAINER = 'container_t',
  /** `container_init_t`, for containers that run an init system. */
  CONTAINER_INIT = 'container_init_t',
  /** `container_kvm_t`, for containers that run KVM guests (e.g. Kata Containers). */
  CONTAINER_KVM = 'container_kvm_t',
}

/**
 * The SELinux labels of a pod's containers. No SELinux user or role: the
 * Pod Security Standards refuse both (check_seLinuxOptions.go).
 */
export interface PodSeLinuxOptions {
  /**
   * The SELinux type.
   * @default - the container runtime's (container_t)
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly type?: SeLinuxType;
  /**
   * The SELinux MCS level, e.g. `s0:c123,c456`: pods with the same level
   * share files on volumes relabelled for them.
   * @default - a level the container runtime picks per pod
   */
  readonly level?: string;
}

/**
 * How a pod runs on its node, beyond placement: `/etc/hosts` entries, the
 * grace period on termination, the scheduler, supplementary groups, kernel
 * parameters, SELinux labels and user namespaces. Only what the restricted
 * Pod Security Standard allows is accepted.
 */
export interface PodRuntimeOptions {
  /**
   * Entries added to the pods' `/etc/hosts`, e.g. a data store whose name
   * no DNS server of the cluster knows.
   * @default - none
   */
  readonly hostAliases?: PodHostAlias[];

  /**
   * How long the pods get to stop after SIGTERM before they are killed
   * (whole seconds). Where the construct sets one itself to stop cleanly,
   * it is the least accepted.
   * @default - the construct's own, else the API server's default (30 seconds)
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * The scheduler that places the pods, e.g. a second kube-scheduler
   * profile. For a SparkApplication with `batchScheduler`, that scheduler
   * places the pods instead, so the two are refused together.
   * @default - the cluster's default scheduler
   */
  readonly schedulerName?: string;

  /**
   * Supplementary group ids of the pods' processes, added to their primary
   * group and `fsGroup`, e.g. the group owning an NFS export.
   * @default - none
   */
  readonly supplementalGroups?: number[];

  /**
   * Kernel parameters of the pods: only those the restricted Pod Security
   * Standard allows ({@link SafeSysctl}).
   * @default - none
   */
  readonly sysctls?: PodSysctl[];

  /**
   * SELinux labels of the pods' containers (pod-wide: every container gets
   * them), on nodes that enforce SELinux.
   * @default - the container runtime's
   */
  readonly seLinuxOptions?: PodSeLinuxOptions;

  /**
   * `false` runs the pods in a user namespace of their own, so that the
   * pod's users are not the node's (KEP-127): a process that breaks out of
   * its container has no privilege on the node. Needs a container runtime
   * and kernel that support user namespaces (e.g. containerd 2.0 or later,
   * Linux 6.3 or later) and the UserNamespacesSupport feature, which is on
   * by default only from Kubernetes 1.33 (beta and off by default in 1.30
   * to 1.32, alpha before: kubernetes/kubernetes
   * pkg/features/kube_features.go). Where it is off the API server drops
   * the field without a word and the pods share the node's users, so it
   * needs `acknowledgeUserNamespaces`. Not on a pod that uses the node's
   * namespaces or host paths (a node system pod).
   * @default - true: the pods share the node's users
   */
  readonly hostUsers?: boolean;

  /**
   * Acknowledges that the cluster runs pods with `hostUsers: false` in user
   * namespaces: Kubernetes 1.33 or later, or the UserNamespacesSupport
   * feature gate enabled on the API servers and kubelets of 1.30 to 1.32,
   * and a container runtime that supports it. Required with
   * `hostUsers: false`, and only then.
   * @default false
   */
  readonly acknowledgeUserNamespaces?: boolean;
}
