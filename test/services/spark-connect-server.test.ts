// SparkConnectServer: a SparkConnect (sparkoperator.k8s.io/v1alpha1) as the
// Spark operator v2.5.2 reads it (kubeflow/spark-operator api/v1alpha1/sparkconnect_types.go,
// internal/controller/sparkconnect/*, internal/webhook/sparkconnect_validator.go).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { ApiObject, App, Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import { EnvValue, ImagePullPolicy, PersistentVolumeAccessMode, PersistentVolumeClaim, Secret } from 'cdk8s-plus-28';
import {
  ArgoCdSyncWaves, EventLogStore, NetworkPeer, SPARK_CONNECT_PORT, SparkConf, SparkConnectServer, SparkConnectServerProps, SparkConnectServiceType,
  SparkImage, SparkMemory, SparkOperatorInstall, SparkServiceAccount, SparkTenant, TenantApiServerAccess, TenantIngress,
} from '../../src';
import { checkCluster } from '../../src/core/cluster-model';
import { s3Image } from '../harness/images';
import { synthValid } from '../harness/manifests';
import { referencePath } from '../harness/reference';
import { libraryOperatorCrds } from '../harness/spark-operator';
import { upstreamCrds } from '../harness/third-party-crds';
import { parseYamlDocuments } from '../harness/yaml';

// The upstream CRD when the reference data is present (its schema is strict:
// the validator reports every field it does not declare), else the library's own.
function crds(): any[] {
  const upstream = upstreamCrds('spark-operator-v2.5.2/crds', ['sparkoperator.k8s.io_sparkconnects.yaml']);
  if (upstream) {
    return upstream;
  }
  return libraryOperatorCrds();
}

function setup(props: SparkConnectServerProps = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'analytics' });
  const server = new SparkConnectServer(chart, 'Connect', { name: 'connect', ...props });
  return { app, chart, server };
}

function synth(chart: Chart): any[] {
  return synthValid(chart, { crds: crds() });
}

function specOf(chart: Chart): any {
  return synth(chart).find((m) => m.kind === 'SparkConnect').spec;
}

const serverContainer = (spec: any) => spec.server.template.spec.containers.find((c: any) => c.name === 'spark-kubernetes-driver');
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
};

describe('SparkConnectServer', () => {
  test('defaults (snapshot)', () => {
    const { chart } = setup();
    expect(synth(chart)).toMatchSnapshot();
  });

  test('defaults: Spark 4 Apache image, a sized and restricted server pod with its ServiceAccount, one restricted executor', () => {
    const { chart, server } = setup();
    const spec = specOf(chart);
    expect(spec.sparkVersion).toBe('4.0.4');
    expect(spec.image).toBe('docker.io/apache/spark:4.0.4');
    expect(spec.server).toMatchObject({ cores: 1, memory: '1g' });
    const container = serverContainer(spec);
    // The operator creates the pod itself: heap 1 GiB + max(10%, 384 MiB) overhead, request = limit, no CPU limit.
    expect(container.resources).toEqual({ requests: { cpu: '1', memory: '1408Mi' }, limits: { memory: '1408Mi' } });
    expect(container.securityContext).toMatchObject({
      runAsUser: 185,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.readinessProbe.tcpSocket.port).toBe(SPARK_CONNECT_PORT);
    expect(spec.server.template.spec.serviceAccountName).toBe(server.serviceAccount.name);
    expect(spec.server.service).toBeUndefined();
    expect(spec.executor).toMatchObject({ instances: 1, cores: 1, memory: '1g' });
    const executorPod = spec.executor.template.spec;
    expect(executorPod.automountServiceAccountToken).toBe(false);
    expect(executorPod.containers[0]).toMatchObject({
      name: 'spark-kubernetes-executor',
      securityContext: { readOnlyRootFilesystem: true, runAsUser: 185 },
    });
    expect(spec.dynamicAllocation).toBeUndefined();
  });

  test('connectUrl names the Service the operator creates, <name>-server, on port 15002', () => {
    const { server } = setup();
    expect(server.serviceName).toBe('connect-server');
    expect(server.serverPodName).toBe('connect-server');
    expect(server.connectUrl).toBe('sc://connect-server.analytics.svc.cluster.local:15002');
    const named = setup({ service: { name: 'spark', type: SparkConnectServiceType.LOAD_BALANCER, annotations: { 'lb.example.com/internal': 'true' } } });
    expect(named.server.connectUrl).toBe('sc://spark.analytics.svc.cluster.local:15002');
    expect(specOf(named.chart).server.service).toEqual({
      metadata: { name: 'spark', annotations: { 'lb.example.com/internal': 'true' } },
      spec: { type: 'LoadBalancer' },
    });
    // Given options without a name still name the Service: the operator creates none without one.
    const unnamed = setup({ service: { labels: { team: 'bi' } } });
    expect(specOf(unnamed.chart).server.service.metadata).toEqual({ name: 'connect-server', labels: { team: 'bi' } });
  });

  test('sizing, placement, labels and environment of the server and the executors', () => {
    const { chart } = setup({
      server: {
        cores: 2,
        coreLimit: '4',
        memory: SparkMemory.gibibytes(4),
        memoryOverhead: SparkMemory.mebibytes(1024),
        labels: { team: 'bi' },
        annotations: { note: 'x' },
        nodeSelector: { pool: 'drivers' },
        tolerations: [{ key: 'spark', operator: 'Exists' }],
        env: { TZ: EnvValue.fromValue('UTC') },
        priorityClassName: 'high',
      },
      executor: {
        instances: 3,
        cores: 4,
        memory: SparkMemory.gibibytes(8),
        memoryOverhead: SparkMemory.gibibytes(2),
        labels: { team: 'bi' },
        nodeSelector: { pool: 'executors' },
        env: { TZ: EnvValue.fromValue('UTC') },
      },
    });
    const spec = specOf(chart);
    expect(spec.server).toMatchObject({ cores: 2, memory: '4g' });
    expect(serverContainer(spec).resources).toEqual({ requests: { cpu: '2', memory: '5Gi' }, limits: { cpu: '4', memory: '5Gi' } });
    expect(serverContainer(spec).env).toEqual([{ name: 'TZ', value: 'UTC' }]);
    expect(spec.server.template.metadata).toEqual({ labels: { team: 'bi' }, annotations: { note: 'x' } });
    expect(spec.server.template.spec).toMatchObject({
      nodeSelector: { pool: 'drivers' },
      priorityClassName: 'high',
      tolerations: [{ key: 'spark', operator: 'Exists' }],
    });
    expect(spec.executor).toMatchObject({ instances: 3, cores: 4, memory: '8g' });
    expect(spec.executor.template.metadata).toEqual({ labels: { team: 'bi' } });
    expect(spec.executor.template.spec.nodeSelector).toEqual({ pool: 'executors' });
    expect(spec.sparkConf['spark.executor.memoryOverhead']).toBe('2g');
  });

  test('dynamic allocation: shuffle tracking on, no fixed instances', () => {
    const { chart } = setup({
      dynamicAllocation: { minExecutors: 1, initialExecutors: 2, maxExecutors: 8, shuffleTrackingTimeout: Duration.minutes(5) },
    });
    const spec = specOf(chart);
    expect(spec.dynamicAllocation).toEqual({
      enabled: true,
      minExecutors: 1,
      initialExecutors: 2,
      maxExecutors: 8,
      shuffleTrackingEnabled: true,
      shuffleTrackingTimeout: 300000,
    });
    expect(spec.executor.instances).toBeUndefined();
  });

  test('event logs: the store\'s conf, and its credentials reach the server only from their Secret', () => {
    const secret = Secret.fromSecretName(new Chart(Testing.app(), 'x'), 'S', 's3-credentials');
    const image = s3Image();
    const store = EventLogStore.s3({
      bucket: 'logs',
      prefix: 'spark',
      endpoint: 'https://s3.example.com',
      credentials: { secret, accessKeyIdKey: 'id', secretAccessKeyKey: 'key' },
    });
    const { chart } = setup({ image, eventLog: store, eventLogOptions: { rollingMaxFileSize: Size.mebibytes(64) } });
    const spec = specOf(chart);
    expect(spec.sparkConf).toMatchObject({
      'spark.eventLog.enabled': 'true',
      'spark.eventLog.dir': 's3a://logs/spark',
      'spark.eventLog.rolling.enabled': 'true',
      'spark.eventLog.rolling.maxFileSize': '64m',
    });
    const env = serverContainer(spec).env;
    expect(env.map((e: any) => e.valueFrom?.secretKeyRef?.name)).toEqual(['s3-credentials', 's3-credentials']);
    expect(spec.executor.template.spec.containers[0].env).toBeUndefined();
  });

  test('a volume event-log store is mounted into the server pod', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'analytics' });
    const claim = new PersistentVolumeClaim(chart, 'Logs', {
      metadata: { name: 'spark-logs' },
      accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY],
      storage: Size.gibibytes(10),
    });
    new SparkConnectServer(chart, 'Connect', { name: 'connect', eventLog: EventLogStore.pvc({ claim }) });
    const spec = specOf(chart);
    expect(spec.server.template.spec.volumes).toEqual([expect.objectContaining({ persistentVolumeClaim: { claimName: 'spark-logs' } })]);
    expect(serverContainer(spec).volumeMounts).toHaveLength(1);
  });

  test('conf values bash would split or expand are single-quoted (the operator runs the --conf words with bash -c)', () => {
    const { chart } = setup({
      sparkConf: SparkConf.of({ 'spark.driver.extraJavaOptions': '-XX:+UseG1GC -Dfile.encoding=UTF-8', 'spark.sql.shuffle.partitions': '64' }),
      hadoopConf: { 'fs.s3a.path.style.access': 'true', 'fs.s3a.user.agent.prefix': 'it\'s $HOME' },
    });
    const spec = specOf(chart);
    expect(spec.sparkConf['spark.driver.extraJavaOptions']).toBe('\'-XX:+UseG1GC -Dfile.encoding=UTF-8\'');
    expect(spec.sparkConf['spark.sql.shuffle.partitions']).toBe('64');
    // bash reads 'it'\''s $HOME' as the word it's $HOME.
    expect(spec.hadoopConf).toEqual({ 'fs.s3a.path.style.access': 'true', 'fs.s3a.user.agent.prefix': '\'it\'\\\'\'s $HOME\'' });
  });

  test('bash reads each rendered --conf as the operator joins them as one literal word', () => {
    const values = ['-XX:+UseG1GC -Dfile.encoding=UTF-8', 'it\'s $HOME `id` $(id) "q" \\ ; | & * ?', 'plain,list:of/values=1'];
    const { chart } = setup({ sparkConf: SparkConf.of(Object.fromEntries(values.map((v, i) => [`spark.test.k${i}`, v]))) });
    const conf = specOf(chart).sparkConf;
    // internal/controller/sparkconnect/options.go sparkConfOption + reconciler.go: words joined by spaces, run by bash -c.
    const words = values.map((_, i) => `--conf spark.test.k${i}=${conf[`spark.test.k${i}`]}`);
    const out = execFileSync('bash', ['-c', `printf '%s\\n' ${words.join(' ')}`], { encoding: 'utf8' });
    expect(out.split('\n').filter((l) => l !== '')).toEqual(values.flatMap((v, i) => ['--conf', `spark.test.k${i}=${v}`]));
  });

  test('pull policy and secrets of the image reach the server container and Spark\'s executors', () => {
    const secret = Secret.fromSecretName(new Chart(Testing.app(), 'x'), 'P', 'registry');
    const { chart } = setup({ image: SparkImage.apache('4.0.4', { pullPolicy: ImagePullPolicy.ALWAYS, pullSecrets: [secret] }) });
    const spec = specOf(chart);
    expect(serverContainer(spec).imagePullPolicy).toBe('Always');
    expect(spec.server.template.spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(spec.sparkConf).toMatchObject({
      'spark.kubernetes.container.image.pullPolicy': 'Always',
      'spark.kubernetes.container.image.pullSecrets': 'registry',
    });
  });

  test('registration: the operator watches the namespace, Argo CD syncs the server with the services', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'analytics' });
    const operator = new SparkOperatorInstall(new Chart(app, 'operator'), 'Operator');
    const server = new SparkConnectServer(chart, 'Connect', { name: 'connect' });
    expect(server.managedByOperator).toBe(true);
    app.synth();
    expect(operator.jobNamespaces).toEqual(['analytics']);
    // What the SparkConnect reconciler does in the namespace (its kubebuilder markers,
    // internal/controller/sparkconnect/reconciler.go), and what the server, a driver, does there.
    const roles = app.charts.flatMap((c) => Testing.synth(c)).filter((m: any) => m.kind === 'Role' && m.metadata.namespace === 'analytics');
    const verbs = (role: any, group: string, resource: string) => role.rules
      .filter((r: any) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r: any) => r.verbs);
    const controller = roles.find((r: any) => r.metadata.name === 'spark-operator-controller-jobs');
    for (const resource of ['pods', 'services', 'configmaps']) {
      expect(verbs(controller, '', resource)).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'update']));
    }
    expect(verbs(controller, 'sparkoperator.k8s.io', 'sparkconnects')).toEqual(expect.arrayContaining(['get', 'list', 'watch']));
    expect(verbs(controller, 'sparkoperator.k8s.io', 'sparkconnects/status')).toContain('update');
    expect(verbs(controller, 'sparkoperator.k8s.io', 'sparkconnects/finalizers')).toContain('update');
    const driver = roles.find((r: any) => r.metadata.name === server.serviceAccount.name);
    expect(verbs(driver, '', 'pods')).toEqual(expect.arrayContaining(['create', 'get', 'list', 'watch', 'delete']));
    expect(verbs(driver, '', 'configmaps')).toContain('create');
  });

  test('Argo CD syncs the server with the services (wave 0), after the operator, skipping the dry run before its CRD exists', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'analytics' });
    new SparkOperatorInstall(new Chart(app, 'operator'), 'Operator');
    new SparkConnectServer(chart, 'Connect', { name: 'connect' });
    ArgoCdSyncWaves.apply(app);
    const annotations = Testing.synth(chart).find((m: any) => m.kind === 'SparkConnect').metadata.annotations;
    expect(annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '0', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
  });

  test('a tenant isolates the server: server and executors reach each other, clients come in through TenantIngress.sparkConnect', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const tenant = new SparkTenant(chart, 'Analytics', { namespace: 'analytics', apiServer: TenantApiServerAccess.toCidrs(['192.168.10.10/32']) });
    tenant.addIngress(TenantIngress.sparkConnect(NetworkPeer.namespace('notebooks')));
    new SparkConnectServer(chart, 'Connect', { name: 'connect', namespace: 'analytics', serviceAccount: tenant.serviceAccount });
    const manifests = synth(chart);
    const policy = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'allow-ingress-spark-connect');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'spark-role': 'connect-server' } });
    expect(policy.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 15002 }]);
    expect(checkCluster(manifests.map((json) => ({ json })))).toEqual([]);
  });
});

describe('the runtime-truth model reads SparkConnects', () => {
  // The objects as written, without cdk8s's validation (which runs the same model and would throw).
  const objects = (chart: Chart) => chart.node.findAll().filter(ApiObject.isApiObject).map((o) => ({ json: o.toJson() }));

  test('the defaults pass', () => {
    const { chart } = setup();
    expect(checkCluster(objects(chart))).toEqual([]);
  });

  test('a server pod too small for its heap, or without a ServiceAccount, is found', () => {
    const { chart, server } = setup();
    server.apiObject.addJsonPatch(JsonPatch.replace('/spec/server/template/spec/containers/0/resources/limits/memory', '1Gi'));
    server.apiObject.addJsonPatch(JsonPatch.remove('/spec/server/template/spec/serviceAccountName'));
    const found = checkCluster(objects(chart));
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/SparkConnect analytics\/connect: the server container's memory \(1024 MiB\) does not hold the driver's heap \(1024 MiB/),
      expect.stringMatching(/SparkConnect analytics\/connect: .*default ServiceAccount/),
    ]));
  });

  test('a tenant without pod traffic between Spark pods blocks the executors from the server', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new SparkTenant(chart, 'Analytics', { namespace: 'analytics', apiServer: TenantApiServerAccess.toCidrs(['192.168.10.10/32']) });
    const server = new SparkConnectServer(chart, 'Connect', { name: 'connect', namespace: 'analytics' });
    // Labels that the tenant's pod-traffic policy does not select: the model sees the server as the operator labels it.
    server.apiObject.addJsonPatch(JsonPatch.add('/spec/server/template/metadata', { labels: { a: 'b' } }));
    expect(checkCluster(objects(chart)).filter((f) => /SparkConnect/.test(f))).toEqual([]);
    const blocked = objects(chart).filter((o) => !(o.json.kind === 'NetworkPolicy' && /allow-(spark|all)-pods/.test(o.json.metadata.name)));
    expect(checkCluster(blocked)).toEqual(expect.arrayContaining([expect.stringMatching(/SparkConnect analytics\/connect.*executor to driver on port 7078/)]));
  });

  const upstreamExample = referencePath('spark-connect-server.test.ts', 'spark-operator-v2.5.2', 'examples', 'sparkconnect', 'spark-connect.yaml');
  (upstreamExample ? test : test.skip)('the operator\'s own example sizes its server pod below its default 1 GiB heap', () => {
    const example = parseYamlDocuments(fs.readFileSync(upstreamExample!, 'utf8'));
    expect(checkCluster(example.map((json) => ({ json })))).toEqual(expect.arrayContaining([
      expect.stringMatching(/server container's memory \(1024 MiB\) does not hold the driver's heap \(1024 MiB/),
    ]));
  });
});

describe('SparkConnectServer refusals', () => {
  const chart = () => new Chart(Testing.app(), 'test', { namespace: 'analytics' });
  const make = (props: SparkConnectServerProps) => () => new SparkConnectServer(chart(), 'Connect', { name: 'connect', ...props });
  const otherNamespace = () => SparkServiceAccount.forNamespace(new Chart(Testing.app(), 'o'), 'other');

  test.each<[string, () => unknown, string]>([
    ['a Spark 3 image', make({ image: SparkImage.apache('3.5.7') }),
      'test/Connect: invalid image "3.5.7": a Spark 4.0 or later image'],
    ['a name longer than 47 characters', () => new SparkConnectServer(chart(), 'Connect', { name: 'a'.repeat(48) }),
      'test/Connect: invalid name'],
    ['a key the server props set', make({ sparkConf: SparkConf.of({ 'spark.driver.memory': '8g' }) }),
      'test/Connect: invalid sparkConf key "spark.driver.memory": the key is managed by the library; set it through server.memory'],
    ['a key the operator sets', make({ sparkConf: SparkConf.of({ 'spark.driver.host': 'x' }) }),
      'test/Connect: invalid sparkConf key "spark.driver.host": a key the library manages, which cannot be set'],
    ['the gRPC port', make({ sparkConf: SparkConf.of({ 'spark.connect.grpc.binding.port': '15003' }) }),
      'invalid sparkConf key "spark.connect.grpc.binding.port"'],
    ['a credential in sparkConf', make({ sparkConf: SparkConf.of({ 'spark.hadoop.fs.s3a.secret.key': 'x' }) }),
      'test/Connect: invalid sparkConf key "spark.hadoop.fs.s3a.secret.key"'],
    ['a credential in hadoopConf', make({ hadoopConf: { 'fs.s3a.secret.key': 'x' } }), 'test/Connect: invalid hadoopConf key'],
    ['a prefixed hadoopConf key', make({ hadoopConf: { 'spark.hadoop.fs.defaultFS': 'x' } }),
      'test/Connect: invalid hadoopConf key "spark.hadoop.fs.defaultFS"'],
    ['instances with dynamic allocation', make({ executor: { instances: 2 }, dynamicAllocation: { maxExecutors: 4 } }),
      'test/Connect: invalid executor.instances 2: no fixed number of executors together with dynamicAllocation'],
    ['minExecutors above maxExecutors', make({ dynamicAllocation: { minExecutors: 5, maxExecutors: 4 } }),
      'test/Connect: invalid dynamicAllocation'],
    ['initialExecutors below minExecutors', make({ dynamicAllocation: { minExecutors: 2, initialExecutors: 1, maxExecutors: 4 } }),
      'minExecutors <= initialExecutors <= maxExecutors; minExecutors 2 exceeds initialExecutors 1'],
    ['no executor at most', make({ dynamicAllocation: { maxExecutors: 0 } }), 'test/Connect: invalid dynamicAllocation.maxExecutors 0'],
    ['zero server cores', make({ server: { cores: 0 } }), 'test/Connect: invalid server.cores 0'],
    ['fractional executor cores', make({ executor: { cores: 1.5 } }), 'test/Connect: invalid executor.cores 1.5'],
    ['a bad CPU limit', make({ server: { coreLimit: 'lots' } }), 'test/Connect: invalid server.coreLimit "lots"'],
    ['a literal credential in env', make({ server: { env: { AWS_SECRET_ACCESS_KEY: EnvValue.fromValue('x') } } }),
      'test/Connect: invalid server.env "AWS_SECRET_ACCESS_KEY"'],
    ['eventLogOptions without eventLog', make({ eventLogOptions: { rollingMaxFileSize: Size.mebibytes(64) } }),
      'test/Connect: invalid eventLogOptions'],
    ['a ServiceAccount of another namespace', make({ serviceAccount: otherNamespace() }), 'test/Connect: invalid serviceAccount'],
    ['a bad label', make({ executor: { labels: { 'bad key!': 'x' } } }), 'test/Connect: invalid executor.labels key'],
    ['a label the operator sets', make({ server: { labels: { 'spark-role': 'driver' } } }), 'test/Connect: invalid server.labels key "spark-role"'],
    ['an operator label on executors', make({ executor: { labels: { 'sparkoperator.k8s.io/connect-name': 'x' } } }),
      'test/Connect: invalid executor.labels key "sparkoperator.k8s.io/connect-name"'],
    ['a bad Service name', make({ service: { name: 'Bad_Name' } }), 'test/Connect: invalid service.name "Bad_Name"'],
    ['a string for memory', make({ server: { memory: '4g' as any } }), 'test/Connect: invalid server.memory'],
  ])('%s', (_what, build, message) => {
    expect(errorOf(build)).toContain(message);
  });

  test.each<[string, JsonPatch, string]>([
    ['a Service without a name', JsonPatch.add('/spec/server/service', { spec: { type: 'ClusterIP' } }),
      'test/Connect: invalid spec.server.service.metadata.name'],
    ['an unquoted value with a space', JsonPatch.add('/spec/sparkConf/spark.executor.extraJavaOptions', '-Xss4m -Da=b'),
      'test/Connect: invalid sparkConf "spark.executor.extraJavaOptions" "-Xss4m -Da=b": a value bash reads as one literal word'],
    ['a webhook-denied key', JsonPatch.add('/spec/sparkConf/spark.master', 'local'), 'test/Connect: invalid sparkConf key "spark.master"'],
    ['a memory the webhook refuses', JsonPatch.replace('/spec/executor/memory', '1.5g'), 'test/Connect: invalid spec.executor.memory "1.5g"'],
    ['no sparkVersion', JsonPatch.remove('/spec/sparkVersion'), 'test/Connect: invalid spec.sparkVersion'],
  ])('escape hatch: %s fails synthesis', (_what, patch, message) => {
    const { app, server } = setup();
    server.apiObject.addJsonPatch(patch);
    expect(errorOf(() => app.synth())).toContain(message);
  });

  test('a changed collection after construction fails synthesis', () => {
    const executor = { labels: { team: 'bi' } as { [key: string]: string } };
    const { app } = setup({ executor });
    executor.labels.extra = 'late';
    expect(errorOf(() => app.synth())).toContain('props.executor');
  });
});

describe('every field of the operator\'s SparkConnect example is expressible', () => {
  const file = referencePath('spark-connect-server.test.ts', 'spark-operator-v2.5.2', 'examples', 'sparkconnect', 'spark-connect.yaml');
  (file ? test : test.skip)('server and executor templates, image, pull policy, resources, identity, security, sizing', () => {
    const upstream = parseYamlDocuments(fs.readFileSync(file!, 'utf8'))[0].spec;
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'default' });
    const account = SparkServiceAccount.fromName(chart, 'Account', 'spark-operator-spark', 'default');
    new SparkConnectServer(chart, 'Connect', {
      name: 'spark-connect',
      image: SparkImage.apache('4.0.4', { pullPolicy: ImagePullPolicy.ALWAYS }),
      serviceAccount: account,
      // 1 core requested and limited, 1 GiB for the pod (heap + overhead).
      server: {
        cores: 1,
        coreLimit: '1',
        memory: SparkMemory.mebibytes(640),
        memoryOverhead: SparkMemory.mebibytes(384),
        labels: { key1: 'value1', key2: 'value2' },
        annotations: { key3: 'value3', key4: 'value4' },
      },
      executor: {
        instances: 2,
        cores: 1,
        memory: SparkMemory.mebibytes(512),
        labels: { key1: 'value1', key2: 'value2' },
        annotations: { key3: 'value3', key4: 'value4' },
      },
    });
    const spec = synthValid(chart, { crds: crds() }).find((m) => m.kind === 'SparkConnect').spec;
    expect(spec.sparkVersion).toBe(upstream.sparkVersion);
    const theirs = upstream.server.template.spec.containers[0];
    const ours = serverContainer(spec);
    expect(ours.image).toBe(theirs.image);
    expect(ours.imagePullPolicy).toBe(theirs.imagePullPolicy);
    const quantity = (q: any) => String(q).replace(/^1Gi$/, '1024Mi');
    expect(quantity(ours.resources.requests.memory)).toBe(quantity(theirs.resources.requests.memory));
    expect(quantity(ours.resources.limits.memory)).toBe(quantity(theirs.resources.limits.memory));
    expect(ours.resources.requests.cpu).toBe(String(theirs.resources.requests.cpu));
    expect(ours.resources.limits.cpu).toBe(String(theirs.resources.limits.cpu));
    // Upstream names the account with the deprecated `serviceAccount` alias.
    expect(spec.server.template.spec.serviceAccountName).toBe(upstream.server.template.spec.serviceAccount);
    // Their securityContext (pod level) mixes pod and container fields: ours puts each where Kubernetes reads it.
    const theirSecurity = upstream.server.template.spec.securityContext;
    expect(spec.server.template.spec.securityContext).toMatchObject({
      runAsUser: theirSecurity.runAsUser,
      runAsGroup: theirSecurity.runAsGroup,
      runAsNonRoot: true,
      seccompProfile: theirSecurity.seccompProfile,
    });
    expect(ours.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: theirSecurity.capabilities });
    for (const role of ['server', 'executor']) {
      expect(spec[role].template.metadata).toEqual(upstream[role].template.metadata);
    }
    expect(spec.executor).toMatchObject({ instances: upstream.executor.instances, cores: upstream.executor.cores, memory: upstream.executor.memory });
    expect(spec.executor.template.spec.containers[0].name).toBe(upstream.executor.template.spec.containers[0].name);
    // Their executor template names the image again; ours leaves it to spec.image (the operator passes it to Spark).
    expect(spec.image).toBe(upstream.executor.template.spec.containers[0].image);
  });
});

test('the app synthesizes with a server and an operator in one app', () => {
  const app = new App({ outdir: fs.mkdtempSync('/tmp/connect-') });
  const chart = new Chart(app, 'test', { namespace: 'analytics' });
  new SparkConnectServer(chart, 'Connect');
  new SparkOperatorInstall(new Chart(app, 'operator'), 'Operator');
  expect(() => app.synth()).not.toThrow();
  expect(ApiObject.of(chart.node.findChild('Connect').node.findChild('Resource')).kind).toBe('SparkConnect');
});
