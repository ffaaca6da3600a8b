// One app with every kind of workload the library runs, for the tests that
// check a pod option reaches each of them (issue #19: one shape for every
// workload): a SparkPlatform (provisioner, registry and its collector,
// operator controller and webhook, history and Thrift servers) given `pod`,
// its jobs chart (the caller adds the jobs), and a standalone cluster with
// Zeppelin given `pod` on each.
import { App, Chart } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  EventLogStore, HiveMetastore, NodeRole, RegistryTls, RegistryUpstream, SparkPlatform, SparkStandaloneCluster, StandaloneAuthentication,
  WorkloadPodOptions, ZeppelinNotebook,
} from '../../src';

/** Builds the workloads into `app`; returns the platform's jobs chart. */
export function everyWorkload(app: App, pod: WorkloadPodOptions): { readonly jobs: Chart } {
  const platform = new SparkPlatform(app, 'platform', {
    pod,
    cluster: {
      kubernetesVersion: '1.34.1',
      network: { nodes: [{ name: 'cp', ip: '192.168.1.10', role: NodeRole.CONTROL_PLANE }, { name: 'w1', ip: '192.168.1.11', role: NodeRole.WORKER }] },
      registryMirrorSetOptions: { insecurePlainHttp: true },
    },
    registries: { mirrors: [{ clusterIp: '10.96.0.50', tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() } }] },
    eventLog: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs'),
    thriftServer: { metastore: HiveMetastore.thrift('thrift://metastore.hive.svc:9083'), warehouseDir: 'hdfs://namenode.hadoop.svc:8020/warehouse' },
    tenants: [{ namespace: 'analytics' }],
  });
  const jobs = platform.jobsChart('jobs');
  const standaloneChart = new Chart(app, 'standalone', { namespace: 'analytics' });
  const cluster = new SparkStandaloneCluster(standaloneChart, 'Cluster', {
    authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(standaloneChart, 'Auth', 'spark-auth') }),
    master: { pod },
    workers: { pod },
  });
  new ZeppelinNotebook(standaloneChart, 'Notebook', { cluster, pod });
  return { jobs };
}

/** Every pod template of a synthesized chart, with where it was found (`Kind/name`). */
export function podsOf(manifests: any[]): Array<[string, any]> {
  const out: Array<[string, any]> = [];
  for (const m of manifests) {
    const where = `${m.kind}/${m.metadata?.name}`;
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(m.kind)) out.push([where, m.spec.template.spec]);
    if (m.kind === 'CronJob') out.push([where, m.spec.jobTemplate.spec.template.spec]);
  }
  return out;
}
