import { Testing } from 'cdk8s';
import { buildApp, NAMESPACE } from '../../examples/thrift/main';
import { expectValidManifests } from '../harness/manifests';

describe('examples/thrift', () => {
  const manifests = Testing.synth(buildApp(Testing.app()).charts[0]);
  const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);

  test('synthesizes valid manifests (snapshot)', () => {
    expectValidManifests(manifests);
    expect(manifests).toMatchSnapshot();
  });

  test('a JDBC endpoint on a MySQL-backed metastore whose password never appears in the output', () => {
    expect(find('ConfigMap', 'spark-sql-connection').data.JDBC_URL).toBe(`jdbc:hive2://spark-sql.${NAMESPACE}.svc:10000/default`);
    const pod = find('Deployment', 'spark-sql').spec.template.spec;
    const init = pod.initContainers.flatMap((c: any) => c.env ?? []);
    expect(init.find((e: any) => /PASSWORD/.test(e.name)).valueFrom.secretKeyRef).toEqual({ name: 'hive-metastore-db', key: 'password' });
    expect(JSON.stringify(manifests)).not.toMatch(/ConnectionPassword=/);
    const args: string[] = pod.containers[0].args ?? pod.containers[0].command;
    expect(args.join(' ')).toContain('org.apache.spark.sql.hive.thriftserver.HiveThriftServer2');
    expect(args).toContain('spark.dynamicAllocation.shuffleTracking.enabled=true');
    // The driver is reachable through its headless Service on fixed ports.
    expect(find('Service', 'spark-sql-driver').spec.clusterIP).toBe('None');
    expect(args).toContain(`spark.driver.host=spark-sql-driver.${NAMESPACE}.svc`);
  });

  test('the Thrift server and the history server share one event-log volume', () => {
    const thriftVolumes = find('Deployment', 'spark-sql').spec.template.spec.volumes;
    const historyVolumes = find('Deployment', 'spark-history-server').spec.template.spec.volumes;
    const claim = (vs: any[]) => vs.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim.claimName;
    expect(claim(thriftVolumes)).toBe('spark-event-logs');
    expect(claim(historyVolumes)).toBe('spark-event-logs');
  });
});
