import { describe, matchesSelector, ModelObject, namespaceOf, podTemplateOf, Rule } from './objects';
import { contains, parseCidr, parseIpv4 } from '../cidr';
import { sparkPods } from './spark-pods';

// NetworkPolicy semantics (https://kubernetes.io/docs/concepts/services-networking/network-policies/):
// a pod is isolated for a direction once any policy of its namespace selects it
// for that direction; it then accepts only what some selecting policy allows.
// A connection needs the source's egress and the destination's ingress.

/** A pod as policies see it. */
export interface PodRef {
  readonly namespace: string;
  readonly labels: { readonly [key: string]: string };
  /** The pod's named container ports, which a policy may name instead of a number. */
  readonly ports?: { readonly [name: string]: number };
}

/** One end of an edge that is not a pod (the API server, an address). */
export interface AddressRef {
  readonly ip: string;
}


function ipInCidr(ip: string, cidr: string): boolean {
  const block = parseCidr(cidr);
  const address = parseIpv4(ip);
  return block !== undefined && address !== undefined && contains(block, address);
}

function portMatches(ports: any[] | undefined, port: number, protocol: string, named?: { readonly [name: string]: number }): boolean {
  if (!ports || ports.length === 0) return true;
  // A named port is resolved against the destination pod's container ports.
  return ports.some((p) => (p.protocol ?? 'TCP') === protocol
    && (p.port === undefined
      || (typeof p.port === 'number' && (p.port === port || (p.endPort !== undefined && port >= p.port && port <= p.endPort)))
      || (typeof p.port === 'string' && named?.[p.port] === port)));
}

/** The network of the app: its policies and its namespaces' labels. */
export class PolicyModel {
  private readonly policies: Map<string, any[]> = new Map();
  private readonly namespaceLabels: Map<string, { [key: string]: string }> = new Map();
  private readonly answers: Map<string, boolean> = new Map();

  constructor(objects: readonly ModelObject[]) {
    for (const o of objects) {
      if (o.json?.kind === 'NetworkPolicy') {
        const list = this.policies.get(namespaceOf(o.json)) ?? [];
        list.push(o.json);
        this.policies.set(namespaceOf(o.json), list);
      } else if (o.json?.kind === 'Namespace') {
        this.namespaceLabels.set(o.json.metadata.name, { ...(o.json.metadata.labels ?? {}) });
      }
    }
  }

  /** True when the app isolates some pod of `namespace`. */
  public hasPolicies(namespace: string): boolean {
    return (this.policies.get(namespace) ?? []).length > 0;
  }

  /** Whether `from` may open a connection to `to` on port/protocol. */
  public allows(from: PodRef | AddressRef, to: PodRef | AddressRef, port: number, protocol = 'TCP'): boolean {
    // Many jobs share their pods' labels: the same question is answered once.
    const key = JSON.stringify([from, to, port, protocol]);
    let answer = this.answers.get(key);
    if (answer === undefined) {
      const egressOk = 'namespace' in from ? this.direction(from, 'Egress', to, port, protocol) : true;
      const ingressOk = 'namespace' in to ? this.direction(to, 'Ingress', from, port, protocol) : true;
      answer = egressOk && ingressOk;
      this.answers.set(key, answer);
    }
    return answer;
  }

  /**
   * Whether some egress rule selecting `pod` lets it reach an address block
   * (or every destination) on one of `ports`: how the API server is reached.
   */
  public egressToAddresses(pod: PodRef, ports: number[]): boolean {
    const selecting = (this.policies.get(pod.namespace) ?? [])
      .filter((p) => policyTypes(p).includes('Egress') && matchesSelector(p.spec?.podSelector, pod.labels));
    if (selecting.length === 0) return true;
    // A rule without peers allows every destination, the API server included.
    return selecting.some((p) => (p.spec?.egress ?? []).some((rule: any) =>
      ports.some((port) => portMatches(rule.ports, port, 'TCP'))
      && ((rule.to ?? []).length === 0 || rule.to.some((peer: any) => peer.ipBlock))));
  }

  /**
   * Whether some egress rule selecting `pod` could let it reach a service in
   * `namespace` (undefined: outside the cluster) on `port`. The destination's
   * pod labels and addresses are not known here, so any peer that could match
   * counts: the check only catches an egress that certainly blocks.
   */
  public mayReach(pod: PodRef, namespace: string | undefined, port: number): boolean {
    const selecting = (this.policies.get(pod.namespace) ?? [])
      .filter((p) => policyTypes(p).includes('Egress') && matchesSelector(p.spec?.podSelector, pod.labels));
    if (selecting.length === 0) return true;
    return selecting.some((p) => (p.spec?.egress ?? []).some((rule: any) => portMatches(rule.ports, port, 'TCP')
      && ((rule.to ?? []).length === 0 || rule.to.some((peer: any) => {
        if (peer.ipBlock) return true;
        if (namespace === undefined) return false;
        return peer.namespaceSelector !== undefined
          ? matchesSelector(peer.namespaceSelector, this.labelsOfNamespace(namespace))
          : namespace === pod.namespace;
      }))));
  }

  private labelsOfNamespace(namespace: string): { [key: string]: string } {
    // The API server labels every namespace with its name (NamespaceDefaultLabelName, Kubernetes 1.22+).
    return { ...(this.namespaceLabels.get(namespace) ?? {}), 'kubernetes.io/metadata.name': namespace };
  }

  private direction(pod: PodRef, type: 'Ingress' | 'Egress', peer: PodRef | AddressRef, port: number, protocol: string): boolean {
    const selecting = (this.policies.get(pod.namespace) ?? []).filter((p) => {
      return policyTypes(p).includes(type) && matchesSelector(p.spec?.podSelector, pod.labels);
    });
    if (selecting.length === 0) return true;
    const key = type === 'Ingress' ? 'from' : 'to';
    const destination = type === 'Ingress' ? pod : peer;
    const named = 'namespace' in destination ? destination.ports : undefined;
    return selecting.some((p) => (p.spec?.[type === 'Ingress' ? 'ingress' : 'egress'] ?? []).some((rule: any) =>
      portMatches(rule.ports, port, protocol, named)
      && (!rule[key] || rule[key].length === 0 || rule[key].some((peerRule: any) => this.peerMatches(peerRule, pod.namespace, peer)))));
  }

  private peerMatches(rule: any, policyNamespace: string, peer: PodRef | AddressRef): boolean {
    if (rule.ipBlock) {
      if (!('ip' in peer)) return false;
      return ipInCidr(peer.ip, rule.ipBlock.cidr) && !(rule.ipBlock.except ?? []).some((c: string) => ipInCidr(peer.ip, c));
    }
    if (!('namespace' in peer)) return false;
    const nsOk = rule.namespaceSelector !== undefined
      ? matchesSelector(rule.namespaceSelector, this.labelsOfNamespace(peer.namespace))
      : peer.namespace === policyNamespace;
    return nsOk && matchesSelector(rule.podSelector, peer.labels);
  }
}

/**
 * The policy's types as the API server stores them (kubernetes/kubernetes
 * pkg/apis/networking/v1/defaults.go SetDefaults_NetworkPolicy): none given
 * means Ingress, plus Egress when the egress list is not empty.
 */
function policyTypes(policy: any): string[] {
  const given: string[] = policy.spec?.policyTypes ?? [];
  if (given.length > 0) return given;
  return (policy.spec?.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

const DNS: PodRef = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };


/**
 * Under the NetworkPolicies the app emits, every Spark pod resolves names
 * (cluster DNS, 53/UDP and TCP), drivers and executors reach each other (the
 * driver's RPC and block-manager ports, and back), and the drivers reach the
 * API server. Standalone drivers reach the master and the workers reach them.
 */
export const networkPolicyRule: Rule = (objects) => {
  const model = new PolicyModel(objects);
  const out: string[] = [];
  const report = (what: string, edge: string, fix: string) => out.push(`${what}: ${edge} is blocked by the NetworkPolicies of the app. Fix: ${fix}`);

  for (const pod of sparkPods(objects)) {
    if (!model.hasPolicies(pod.namespace) || pod.role !== 'driver') continue;
    const spec = pod.owner.json.kind === 'ScheduledSparkApplication' ? pod.owner.json.spec?.template : pod.owner.json.spec;
    // The ports Spark opens and names (apache/spark BasicDriverFeatureStep, BasicExecutorFeatureStep,
    // Constants.scala): spark.driver.port (7078) as driver-rpc-port; the block manager,
    // spark.driver.blockManager.port or spark.blockManager.port (7079), as blockmanager.
    const conf = pod.conf;
    const driverPort = Number(conf['spark.driver.port'] ?? 7078);
    const executorBlockManager = Number(conf['spark.blockManager.port'] ?? 7079);
    const driverBlockManager = Number(conf['spark.driver.blockManager.port'] ?? executorBlockManager);
    const driver: PodRef = {
      namespace: pod.namespace,
      labels: pod.networkLabels?.driver ?? { ...(spec?.driver?.labels ?? {}), 'spark-role': 'driver' },
      ports: { 'driver-rpc-port': driverPort, 'blockmanager': driverBlockManager },
    };
    const executor: PodRef = {
      namespace: pod.namespace,
      labels: pod.networkLabels?.executor ?? { ...(spec?.executor?.labels ?? {}), 'spark-role': 'executor' },
      ports: { blockmanager: executorBlockManager },
    };
    const what = describe(pod.owner);
    for (const [who, ref] of [['driver', driver], ['executor', executor]] as const) {
      if (!model.allows(ref, DNS, 53, 'UDP')) report(what, `${who} to cluster DNS (kube-system, k8s-app=kube-dns, 53/UDP)`, 'allow egress to DNS');
    }
    for (const port of [driverPort, driverBlockManager]) {
      if (port !== 0 && !model.allows(executor, driver, port)) {
        report(what, `executor to driver on port ${port}`, 'allow Spark pods to reach each other (TenantPodTraffic)');
      }
    }
    for (const store of storesOf({ ...conf, ...prefixed(spec?.hadoopConf) })) {
      if (!model.mayReach(driver, store.namespace, store.port)) {
        report(what, `driver to ${store.what} ${store.host}:${store.port}`,
          `allow egress to it (${store.namespace !== undefined ? 'TenantEgress.toEventLogStore / toMetastore with a NetworkPeer in namespace ' + store.namespace : 'an address block'})`);
      }
    }
    const repositories = packageRepositoriesOf(pod.owner.json, spec, conf);
    if (repositories.length > 0 && !repositories.some((r) => model.mayReach(driver, r.namespace, r.port))) {
      const hosts = [...new Set(repositories.map((r) => `${r.host}:${r.port}`))];
      report(what, `driver to the repositories of its packages (deps.packages: ${hosts.join(', ')})`,
        'allow egress to one of them (TenantEgress.toCidr, or toNamespace for a mirror in the cluster), or build the packages into the image');
    }
    // Port 0: a random port, which a policy cannot name; not checked.
    if (executorBlockManager !== 0 && !model.allows(driver, executor, executorBlockManager)) {
      report(what, `driver to executor block managers on port ${executorBlockManager}`, 'allow Spark pods to reach each other');
    }
    if (!model.egressToAddresses(driver, [443, 6443])) report(what, 'driver to the Kubernetes API server (443/6443)', 'give the tenant its apiServer access');
  }

  // Standalone clusters: client-mode drivers (pods that run spark-submit against spark://) and the cluster's pods.
  for (const o of objects) {
    const template = podTemplateOf(o.json);
    const namespace = namespaceOf(o.json);
    if (!template || !model.hasPolicies(namespace)) continue;
    for (const c of template.spec?.containers ?? []) {
      const args: unknown[] = [...(c.command ?? []), ...(c.args ?? [])];
      const master = args.find((a) => typeof a === 'string' && a.startsWith('spark://'))
        ?? (c.env ?? []).find((e: any) => e.name === 'SPARK_MASTER')?.value;
      if (typeof master !== 'string' || !master.startsWith('spark://')) continue;
      const driver: PodRef = { namespace, labels: template.metadata?.labels ?? {} };
      const masterHost = /^spark:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc/.exec(master);
      const masterService = objects.find((s) => s.json?.kind === 'Service' && masterHost
        && s.json.metadata?.name === masterHost[1] && namespaceOf(s.json) === masterHost[2]);
      if (!masterService) continue;
      const selector = masterService.json.spec?.selector ?? {};
      // The master pod's own labels: those of the pod template the Service selects.
      const masterTemplate = objects.map((x) => podTemplateOf(x.json)).find((t) => t && namespaceOf(masterService.json) === masterHost![2]
        && Object.entries(selector).every(([k, v]) => t.metadata?.labels?.[k] === v));
      const masterPod: PodRef = { namespace: masterHost![2], labels: masterTemplate?.metadata?.labels ?? selector };
      const port = Number(/:(\d+)/.exec(master.slice(8))?.[1] ?? 7077);
      const what = `${describe(o)} (container ${c.name})`;
      const role = driver.labels['spark-role'] ?? driver.labels['app.kubernetes.io/component'] ?? 'pod';
      if (!model.allows(driver, masterPod, port)) report(what, `${role} to the standalone master on port ${port}`, 'label the pods spark-role, or allow the cluster\'s pods to reach each other');
      if (role === 'worker' || role === 'master') continue;
      for (const w of objects) {
        if (w.json?.kind !== 'StatefulSet' && w.json?.kind !== 'Deployment') continue;
        const labels = w.json.spec?.template?.metadata?.labels ?? {};
        if (labels['app.kubernetes.io/component'] !== 'worker' || labels['app.kubernetes.io/instance'] !== masterPod.labels['app.kubernetes.io/instance']) continue;
        const worker: PodRef = { namespace: namespaceOf(w.json), labels };
        if (!model.allows(worker, driver, 7078)) report(what, `executors on the workers (${describe(w)}) to the driver on port 7078`, 'label the pods spark-role, or allow the cluster\'s pods to reach each other');
      }
    }
  }
  return out;
};


/** `spark.hadoop.`-prefixed copies of a SparkApplication's hadoopConf (how the operator passes them). */
function prefixed(hadoopConf: any): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const [k, v] of Object.entries(hadoopConf ?? {})) out[`spark.hadoop.${k}`] = String(v);
  return out;
}

interface Store { readonly what: string; readonly host: string; readonly port: number; readonly namespace?: string }

// Default ports of the schemes the stores use: HDFS's NameNode RPC (8020),
// the Hive metastore's Thrift service (9083), HTTP(S) for S3, GCS and ABFS endpoints.
const DEFAULT_PORTS: { readonly [scheme: string]: number } = { hdfs: 8020, thrift: 9083, http: 80, https: 443 };

function endpoint(what: string, url: string): Store | undefined {
  // User information (user:password@) is not part of the host.
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^/@\s]*@)?([^/:@\s]+)(?::(\d+))?/.exec(url);
  if (!match || DEFAULT_PORTS[match[1]] === undefined) return undefined;
  const svc = /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(match[2]);
  return { what, host: match[2], port: Number(match[3] ?? DEFAULT_PORTS[match[1]]), namespace: svc ? svc[1] : undefined };
}

/**
 * The repositories the driver of an operator job resolves its packages
 * from, when it has any (`deps.packages`): the driver resolves them again
 * itself in cluster mode (apache/spark SparkSubmit.scala). Ivy's chain
 * (apache/spark common/utils MavenUtils.scala, createRepoResolvers and
 * processRemoteRepoArg): Maven Central and repos.spark-packages.org, or
 * DEFAULT_ARTIFACT_REPOSITORY for both, then `spark.jars.repositories`
 * (`deps.repositories`). A repository host of two labels (`nexus.nexus`) may
 * be a Service of the cluster: both readings are candidates. None when the
 * repositories are not known here: an Ivy settings file, or the driver's
 * DEFAULT_ARTIFACT_REPOSITORY taken from a ConfigMap or Secret.
 */
function packageRepositoriesOf(owner: any, spec: any, conf: { readonly [key: string]: string }): Store[] {
  if (owner?.apiVersion !== 'sparkoperator.k8s.io/v1beta2' || (spec?.deps?.packages ?? []).length === 0
    || conf['spark.jars.ivySettings'] !== undefined) {
    return [];
  }
  const env: any[] = spec?.driver?.env ?? [];
  const internal = env.find((e) => e?.name === 'DEFAULT_ARTIFACT_REPOSITORY');
  if ((internal !== undefined && typeof internal.value !== 'string') || (spec?.driver?.envFrom ?? []).length > 0) {
    return [];
  }
  const urls = [
    ...(internal !== undefined ? [internal.value] : ['https://repo1.maven.org/maven2/', 'https://repos.spark-packages.org/']),
    ...(spec?.deps?.repositories ?? []),
    ...(conf['spark.jars.repositories'] ?? '').split(','),
  ];
  return urls.flatMap((url) => {
    const store = endpoint('a package repository', String(url).trim());
    const short = store && store.namespace === undefined ? /^[a-z0-9-]+\.([a-z0-9-]+)$/.exec(store.host) : null;
    return store === undefined ? [] : short ? [store, { ...store, namespace: short[1] }] : [store];
  });
}

/** The event-log store and the metastore a driver's conf names. */
function storesOf(conf: { readonly [key: string]: string }): Store[] {
  const out: Array<Store | undefined> = [];
  const dir = conf['spark.eventLog.dir'];
  if (conf['spark.eventLog.enabled'] === 'true' && typeof dir === 'string') {
    const abfs = /^abfss:\/\/[^@/]+@([^/:]+)/.exec(dir);
    if (dir.startsWith('s3a://')) {
      // Without an endpoint, S3A talks to AWS over HTTPS.
      out.push(endpoint('the event-log store', conf['spark.hadoop.fs.s3a.endpoint'] ?? 'https://s3.amazonaws.com'));
    } else if (dir.startsWith('gs://')) {
      // The Cloud Storage connector's JSON API endpoint (fs.gs.storage.root.url, default https://storage.googleapis.com/).
      out.push(endpoint('the event-log store', conf['spark.hadoop.fs.gs.storage.root.url'] ?? 'https://storage.googleapis.com'));
    } else if (abfs) {
      // abfss://<container>@<account host>: TLS to the account's endpoint.
      out.push(endpoint('the event-log store', `https://${abfs[1]}`));
    } else {
      out.push(endpoint('the event-log store', dir));
    }
  }
  for (const uri of (conf['spark.hadoop.hive.metastore.uris'] ?? '').split(',').filter((u) => u !== '')) {
    out.push(endpoint('the Hive metastore', uri.trim()));
  }
  return out.filter((x): x is Store => x !== undefined);
}
