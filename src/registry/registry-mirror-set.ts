import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RegistryMirror, RegistryMirrorProps } from './registry-mirror';
import { RegistryUpstream } from './registry-upstream';
import { ClusterNetwork } from '../cluster/cluster-network';
import { ContainerdMirror, ContainerdMirrorOptions, IContainerdMirrorSource } from '../cluster/containerd';
import { check } from '../core/errors';
import { DnsNames } from '../core/names';


/**
 * Properties of {@link RegistryMirrorSet}.
 */
export interface RegistryMirrorSetProps {
  /**
   * Namespace of every mirror in the set.
   * @default 'registry-mirrors'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * Emit the Namespace (labelled for the restricted Pod Security Standard).
   * @default true
   */
  readonly createNamespace?: boolean;

  /**
   * The cluster's addressing, passed to every mirror.
   * @default - none
   */
  readonly network?: ClusterNetwork;
}

/**
 * Several registries in one namespace, typically one pull-through cache per
 * upstream (Docker Hub, registry.k8s.io, ghcr.io, quay.io): the set knows
 * which upstream host maps to which mirror, and gives the nodes one
 * hosts.toml per upstream. Pass the set itself to
 * `KubeadmClusterPrereqs` (`registryMirrorSets`) so that mirrors added later
 * reach the nodes; a list taken earlier with `containerdMirrors()` and a
 * mirror added after it fail synth.
 *
 * @example
 * const mirrors = new RegistryMirrorSet(registries, 'Mirrors', { namespace: 'registry', network });
 * const storageClass = StorageClassRef.existing('standard'); // a class of your cluster
 * mirrors.addMirror('DockerHub', { tls, storageClass, clusterIp: '10.96.0.50', proxy: { upstream: RegistryUpstream.dockerHub() } });
 * mirrors.addMirror('Ghcr', { tls, storageClass, clusterIp: '10.96.0.52', proxy: { upstream: RegistryUpstream.ghcr() } });
 * // Every node's containerd tries the caches first.
 * new KubeadmClusterPrereqs(cluster, 'Nodes', { network, kubernetesVersion: '1.34.1', registryMirrorSets: [mirrors] });
 */
export class RegistryMirrorSet extends Construct implements IContainerdMirrorSource {
  /**
   * Namespace of the mirrors.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The Namespace, when emitted. */
  public readonly namespaceObject?: k8s.KubeNamespace;
  private readonly network?: ClusterNetwork;
  private readonly members: RegistryMirror[] = [];
  /** How many mirrors the set had each time containerdMirrors() copied them. */
  private readonly copiedCounts: number[] = [];

  constructor(scope: Construct, id: string, props: RegistryMirrorSetProps = {}) {
    super(scope, id);
    // A copy taken before the last addMirror would leave that mirror off the nodes.
    this.node.addValidation({
      validate: () => {
        const stale = this.copiedCounts.find((n) => n !== this.members.length);
        return stale === undefined ? [] : [
          `${this.node.path}: containerdMirrors() was called when the set had ${stale} of its ${this.members.length} mirrors, `
          + `so ${this.members.slice(stale).map((m) => m.node.id).join(', ')} would be missing from the nodes' hosts.toml: `
          + 'pass the set to KubeadmClusterPrereqs as registryMirrorSets (or addRegistryMirrorSet), which reads it at synth',
        ];
      },
    });
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? 'registry-mirrors');
    this.network = props.network;
    if (props.createNamespace ?? true) {
      this.namespaceObject = new k8s.KubeNamespace(this, 'Namespace', {
        metadata: {
          name: this.namespace,
          labels: {
            'app.kubernetes.io/part-of': 'cdk8s-spark',
            'app.kubernetes.io/managed-by': 'cdk8s',
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/enforce-version': 'latest',
          },
        },
      });
    }
  }

  /** The mirrors, in the order they were added. */
  public get mirrors(): RegistryMirror[] {
    return [...this.members];
  }

  /**
   * Adds a registry to the set (in the set's namespace). A second mirror for
   * an upstream already in the set is an error.
   */
  public addMirror(id: string, props: RegistryMirrorProps): RegistryMirror {
    check(props.namespace === undefined || props.namespace === this.namespace, this, `${id}.namespace`, props.namespace,
      `unset or "${this.namespace}": every mirror of a set lives in the set's namespace`);
    check(props.createNamespace !== true, this, `${id}.createNamespace`, props.createNamespace,
      'unset: the set emits the namespace');
    const upstream = props.proxy?.upstream;
    if (RegistryUpstream.isRegistryUpstream(upstream)) {
      const taken = this.members.find((m) => m.upstream?.host === upstream.host);
      check(taken === undefined, this, `${id}.proxy.upstream`, upstream.host,
        `an upstream not mirrored twice in one set (${taken?.node.id} mirrors it already)`);
    }
    const mirror = new RegistryMirror(this, id, {
      ...props,
      namespace: this.namespace,
      createNamespace: false,
      network: props.network ?? this.network,
    });
    this.members.push(mirror);
    return mirror;
  }

  /** The mirror of an upstream host (e.g. `docker.io`), if the set has one. */
  public mirrorFor(upstreamHost: string): RegistryMirror | undefined {
    return this.members.find((m) => m.upstream?.host === upstreamHost);
  }

  /** The upstream host → mirror endpoint mapping of the pull-through caches. */
  public get hostMapping(): { [upstreamHost: string]: string } {
    return Object.fromEntries(this.members.filter((m) => m.upstream).map((m) => [m.upstream!.host, m.endpoint]));
  }

  /**
   * containerd host configurations for every mirror in the set, for
   * `KubeadmClusterPrereqs.registryMirrors`. The options (CA, opt-ins) apply
   * to each.
   */
  public containerdMirrors(options: ContainerdMirrorOptions = {}): ContainerdMirror[] {
    this.copiedCounts.push(this.members.length);
    return this.currentContainerdMirrors(options);
  }

  /**
   * The same as `containerdMirrors`, for a reader that reads again at synth
   * (`KubeadmClusterPrereqs`): not a copy that a later `addMirror` outdates.
   */
  public currentContainerdMirrors(options: ContainerdMirrorOptions = {}): ContainerdMirror[] {
    return this.members.map((m) => m.containerdMirror(options));
  }
}
