import { Testing } from 'cdk8s';
import { buildApp, NAMESPACE } from '../../examples/registry-object-storage/main';
import { checkCluster } from '../../src/core/cluster-model';
import { expectValidManifests } from '../harness/manifests';

describe('examples/registry-object-storage', () => {
  const app = buildApp(Testing.app());
  const manifests = Testing.synth(app.charts[0]);
  const find = (kind: string, name: string) => manifests.find((m: any) => m.kind === kind && m.metadata.name === name);

  test('synthesizes valid manifests (snapshot)', () => {
    expectValidManifests(manifests);
    expect(manifests).toMatchSnapshot();
  });

  test('the runtime-truth model finds nothing', () => {
    expect(checkCluster(manifests.map((json: any) => ({ json })))).toEqual([]);
  });

  test('three replicas on S3: no claim, one shared upload secret, rolling without a gap, a budget of one pod', () => {
    expect(manifests.filter((m: any) => m.kind === 'PersistentVolumeClaim')).toEqual([]);
    const deployment = find('Deployment', 'spark-images');
    expect(deployment.metadata.namespace).toBe(NAMESPACE);
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    const env = deployment.spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'REGISTRY_HTTP_SECRET').valueFrom).toEqual({ secretKeyRef: { name: 'spark-images-http', key: 'secret' } });
    // IRSA: no access key in the environment or the configuration.
    expect(env.map((e: any) => e.name)).not.toContain('REGISTRY_STORAGE_S3_ACCESSKEY');
    expect(find('ConfigMap', 'spark-images-config').data['config.yml']).not.toMatch(/accesskey|secretkey/);
    expect(find('PodDisruptionBudget', 'spark-images').spec.minAvailable).toBe(2);
  });

  test('the collector runs weekly as its own account with the same role, allowed only to roll this Deployment', () => {
    const cron = find('CronJob', 'spark-images-gc');
    expect(cron.spec.schedule).toBe('0 3 * * 0');
    expect(cron.spec.jobTemplate.spec.template.spec.serviceAccountName).toBe('spark-images-gc');
    expect(find('ServiceAccount', 'spark-images-gc').metadata.annotations)
      .toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/spark-images' });
    const rules = find('Role', 'spark-images-gc').rules;
    expect(rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['spark-images'], verbs: ['get', 'patch', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    ]);
  });
});
