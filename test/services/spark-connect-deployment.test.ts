// SparkConnectDeployment: the Spark Connect server without the operator, from the props of
// SparkConnectServer (what kubeflow/spark-operator v2.5.2 internal/controller/sparkconnect does,
// done in a Deployment).
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import {
  SparkConf, SparkConnectDeployment, SparkConnectServer, SparkConnectServerProps, SparkImage, SparkJobs, SparkMemory, SparkTenant,
  TenantApiServerAccess,
} from '../../src';
import { checkCluster } from '../../src/core/cluster-model';
import { synthValid } from '../harness/manifests';
import { parseYamlDocuments } from '../harness/yaml';

function setup(props: SparkConnectServerProps = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'analytics' });
  const server = new SparkConnectDeployment(chart, 'Connect', { name: 'connect', ...props });
  return { chart, server };
}
const byKind = (m: any[], kind: string, name: string) => m.find((x) => x.kind === kind && x.metadata.name === name);
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
};

describe('SparkConnectDeployment', () => {
  test('defaults (snapshot)', () => {
    expect(synthValid(setup().chart)).toMatchSnapshot();
  });

  test('start-connect-server.sh in the foreground as a client-mode driver, reachable back through its headless Service', () => {
    const { chart, server } = setup();
    const m = synthValid(chart);
    const pod = byKind(m, 'Deployment', 'connect').spec.template;
    const container = pod.spec.containers[0];
    expect(container.command).toEqual(['/opt/spark/sbin/start-connect-server.sh']);
    expect(container.args.slice(0, 2)).toEqual(['--master', 'k8s://https://kubernetes.default.svc:443']);
    expect(container.args).toEqual(expect.arrayContaining([
      'spark.submit.deployMode=client', 'spark.driver.host=connect-driver.analytics.svc', 'spark.driver.port=7078',
      'spark.kubernetes.executor.podTemplateFile=/opt/spark/executor-template/executor-pod-template.yaml',
      'spark.kubernetes.executor.podNamePrefix=connect', 'spark.kubernetes.container.image=docker.io/apache/spark:4.0.4',
      'spark.driver.memory=1g', 'spark.executor.instances=1', 'spark.kubernetes.driver.pod.name=$(SPARK_DRIVER_POD_NAME)',
    ]));
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'SPARK_NO_DAEMONIZE', value: 'true' },
      { name: 'SPARK_DRIVER_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]));
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.resources).toEqual({ requests: { cpu: '1', memory: '1408Mi' }, limits: { memory: '1408Mi' } });
    expect(pod.spec.serviceAccountName).toBe(server.serviceAccount.name);
    expect(pod.metadata.labels['spark-role']).toBe('connect-server');
    expect(byKind(m, 'Service', 'connect-driver').spec.clusterIP).toBe('None');
    expect(byKind(m, 'Service', 'connect').spec.ports.map((p: any) => p.port)).toEqual([15002, 4040]);
    expect(server.connectUrl).toBe('sc://connect.analytics.svc.cluster.local:15002');
    expect(server.managedByOperator).toBe(false);
    expect(SparkJobs.all(chart)).toContain(server);
  });

  test('the executor pod template file is a restricted Pod without an API token', () => {
    const { chart } = setup({ executor: { labels: { team: 'bi' } } });
    const file = byKind(synthValid(chart), 'ConfigMap', 'connect-executor-template').data['executor-pod-template.yaml'];
    const pod = parseYamlDocuments(file)[0];
    expect(pod).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { labels: { team: 'bi' } },
      spec: { automountServiceAccountToken: false, containers: [{ name: 'spark-kubernetes-executor', securityContext: { readOnlyRootFilesystem: true } }] },
    });
  });

  test('shares the job model with SparkConnectServer: the same pods from the same props', () => {
    const props: SparkConnectServerProps = {
      name: 'connect', server: { cores: 2, memory: SparkMemory.gibibytes(4) }, executor: { cores: 2, memory: SparkMemory.gibibytes(8) },
    };
    const native = setup(props);
    const operatorChart = new Chart(Testing.app(), 'test', { namespace: 'analytics' });
    new SparkConnectServer(operatorChart, 'Connect', props);
    const spec = Testing.synth(operatorChart).find((m: any) => m.kind === 'SparkConnect').spec;
    const m = synthValid(native.chart);
    const container = byKind(m, 'Deployment', 'connect').spec.template.spec.containers[0];
    expect(container.resources).toEqual(spec.server.template.spec.containers[0].resources);
    const template = parseYamlDocuments(byKind(m, 'ConfigMap', 'connect-executor-template').data['executor-pod-template.yaml'])[0];
    expect(template.spec).toEqual(spec.executor.template.spec);
    expect(container.args).toEqual(expect.arrayContaining(['spark.executor.cores=2', 'spark.executor.memory=8g', 'spark.driver.memory=4g']));
  });

  test('dynamic allocation, hadoop conf and literal dollars reach spark-submit unexpanded', () => {
    const { chart } = setup({
      dynamicAllocation: { minExecutors: 0, maxExecutors: 4 },
      hadoopConf: { 'fs.s3a.path.style.access': 'true' },
      sparkConf: SparkConf.of({ 'spark.sql.warehouse.dir': '/tmp/$warehouse' }),
    });
    const args = byKind(synthValid(chart), 'Deployment', 'connect').spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining(['spark.dynamicAllocation.enabled=true', 'spark.dynamicAllocation.maxExecutors=4',
      'spark.dynamicAllocation.shuffleTracking.enabled=true', 'spark.hadoop.fs.s3a.path.style.access=true', 'spark.sql.warehouse.dir=/tmp/$$warehouse']));
    expect(args.some((a: string) => a.startsWith('spark.executor.instances='))).toBe(false);
  });

  test('the runtime-truth model passes it, alone and in a tenant; it finds a driver host nobody resolves', () => {
    const { chart } = setup();
    const objects = (c: Chart) => c.node.findAll().filter(ApiObject.isApiObject).map((o) => ({ json: o.toJson() }));
    expect(checkCluster(objects(chart))).toEqual([]);
    const tenantChart = new Chart(Testing.app(), 'test');
    const tenant = new SparkTenant(tenantChart, 'T', { namespace: 'analytics', apiServer: TenantApiServerAccess.toCidrs(['192.168.10.10/32']) });
    new SparkConnectDeployment(tenantChart, 'Connect', { name: 'connect', namespace: 'analytics', serviceAccount: tenant.serviceAccount });
    expect(checkCluster(objects(tenantChart))).toEqual([]);
    const broken = setup();
    broken.server.driverService.addJsonPatch(JsonPatch.replace('/metadata/name', 'elsewhere'));
    expect(checkCluster(objects(broken.chart))).toEqual([expect.stringMatching(/executors cannot dial it back at "connect-driver.analytics.svc"/)]);
  });

  test.each<[string, SparkConnectServerProps, string]>([
    ['a Spark 3 image', { image: SparkImage.apache('3.5.7') }, 'test/Connect: invalid image "3.5.7"'],
    ['a key the library sets', { sparkConf: SparkConf.of({ 'spark.kubernetes.executor.podTemplateFile': '/x' }) },
      'test/Connect: invalid sparkConf key "spark.kubernetes.executor.podTemplateFile"'],
    ['the driver Service\'s name for the client Service', { service: { name: 'connect-driver' } }, 'test/Connect: invalid service.name "connect-driver"'],
    ['instances with dynamic allocation', { executor: { instances: 2 }, dynamicAllocation: { maxExecutors: 3 } }, 'test/Connect: invalid executor.instances 2'],
  ])('refuses %s', (_what, props, message) => {
    expect(errorOf(() => setup(props))).toContain(message);
  });
});
