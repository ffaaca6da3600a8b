import { Testing } from 'cdk8s';
import { buildApp } from '../../examples/standalone/main';
import { expectValidManifests } from '../harness/manifests';

describe('examples/standalone', () => {
  const app = buildApp(Testing.app());
  const manifests = Testing.synth(app.charts[0]);

  test('synthesizes valid manifests (snapshot)', () => {
    expect(app.charts.map((c) => c.node.id)).toEqual(['standalone']);
    expectValidManifests(manifests);
    expect(manifests).toMatchSnapshot();
  });

  test('master, three workers, the notebook and spark-pi share one master URL and the RPC secret', () => {
    const byKindName = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
    const statefulSets = manifests.filter((m) => m.kind === 'StatefulSet');
    expect(statefulSets.map((s) => s.spec.replicas)).toEqual([1, 3]);
    const job = manifests.find((m) => m.kind === 'Job');
    const submit = job.spec.template.spec.containers[0];
    const master = submit.command.indexOf('--master');
    expect(master).toBeGreaterThanOrEqual(0);
    expect(submit.command[master + 1]).toMatch(/^spark:\/\/spark-master\.spark-standalone\.svc\.cluster\.local:7077$/);
    // Every pod that talks Spark RPC reads the secret from the user's Secret, never a literal.
    for (const m of manifests.filter((x) => ['StatefulSet', 'Deployment', 'Job'].includes(x.kind))) {
      const env = m.spec.template.spec.containers.flatMap((c: any) => c.env ?? []);
      const secretEnv = env.find((e: any) => e.name === '_SPARK_AUTH_SECRET');
      expect(secretEnv?.valueFrom?.secretKeyRef?.name).toBe('spark-auth');
    }
    expect(JSON.stringify(manifests)).not.toMatch(/spark\.authenticate\.secret=(?!.*placeholder)/i);
    expect(byKindName('Namespace', 'spark-standalone').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});
