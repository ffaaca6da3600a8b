import { Testing } from 'cdk8s';
import { buildApp } from '../../examples/cloud-event-logs/main';
import { checkCluster } from '../../src/core/cluster-model';
import { expectValidManifests } from '../harness/manifests';

describe('examples/cloud-event-logs', () => {
  test('synthesizes valid manifests (snapshot)', () => {
    const app = buildApp(Testing.app());
    const charts = Object.fromEntries(app.charts.map((chart) => [chart.node.id, Testing.synth(chart)]));
    expect(Object.keys(charts)).toEqual(['spark-operator', 'gke', 'aks']);
    const crds = charts['spark-operator'].filter((m) => m.kind === 'CustomResourceDefinition');
    for (const manifests of Object.values(charts)) {
      expectValidManifests(manifests, { crds });
    }
    // What the cluster would do with the whole output: nothing to report.
    expect(checkCluster(Object.values(charts).flat().map((json) => ({ json })))).toEqual([]);
    for (const [id, dir, writer, reader] of [
      ['gke', 'gs://acme-spark-logs/spark-events', 'iam.gke.io/gcp-service-account', 'iam.gke.io/gcp-service-account'],
      ['aks', 'abfss://events@acmesparklogs.dfs.core.windows.net/spark-events', 'azure.workload.identity/client-id', 'azure.workload.identity/client-id'],
    ]) {
      const manifests = charts[id];
      const job = manifests.find((m) => m.kind === 'SparkApplication');
      expect(job.spec.sparkConf['spark.eventLog.dir']).toBe(dir);
      const account = (name: string) => manifests.find((m) => m.kind === 'ServiceAccount' && m.metadata.name === name);
      // The drivers write as one identity, the history server reads as another.
      expect(account(job.spec.driver.serviceAccount).metadata.annotations[writer]).toBeDefined();
      expect(account('spark-history-server').metadata.annotations[reader]).toBeDefined();
      expect(account(job.spec.driver.serviceAccount).metadata.annotations[writer]).not.toBe(account('spark-history-server').metadata.annotations[reader]);
      expect(manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'spark-history-server-config').data['spark-defaults.conf'])
        .toContain(`spark.history.fs.logDirectory ${dir}`);
    }
    // Azure's webhook acts only on labelled pods: the server's too.
    expect(charts.aks.find((m) => m.kind === 'Deployment').spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
    // The operator watches both namespaces.
    const controller = charts['spark-operator'].find((m) => m.kind === 'Deployment' && m.metadata.name === 'spark-operator-controller');
    expect(controller.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining([expect.stringMatching(/^--namespaces=.*spark-(aks|gke)/)]));
    expect(charts).toMatchSnapshot();
  });
});
