import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, EnvValue, ImagePullPolicy, PersistentVolumeAccessMode, PersistentVolumeClaim, Secret } from 'cdk8s-plus-28';
import {
  EventLogStore, HiveMetastore, ImageRegistryOverride, SparkConf, SparkImage, SparkJobs, SparkMemory, SparkServiceAccount,
  SparkThriftServer, SparkThriftServerProps, ThriftServerAuthentication, ThriftTransportMode,
} from '../../src';
import { s3Image } from '../harness/images';
import { synthValid, validateManifests } from '../harness/manifests';
import { checkScript } from '../harness/scripts';
import { pairsAfter } from '../harness/spark-operator';
import { parseYamlDocuments } from '../harness/yaml';

const THRIFT_METASTORE = HiveMetastore.thrift('thrift://hive-metastore.hive.svc:9083');
const WAREHOUSE = 'hdfs://namenode.hadoop.svc:8020/warehouse';

function setup(props: Partial<SparkThriftServerProps> = {}, chartNamespace: string | null = 'analytics') {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: chartNamespace ?? undefined });
  const server = new SparkThriftServer(chart, 'Sql', { metastore: THRIFT_METASTORE, warehouseDir: WAREHOUSE, ...props });
  return { app, chart, server };
}

function parts(manifests: any[]) {
  const deployment = manifests.find((m) => m.kind === 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  return {
    deployment,
    pod,
    container,
    args: container.args as string[],
    conf: confOf(container.args),
    hive: hiveOf(container.args),
    services: manifests.filter((m) => m.kind === 'Service'),
    template: parseYamlDocuments(manifests.find((m) => m.kind === 'ConfigMap').data['executor.yaml'])[0],
  };
}

/** The `--conf key=value` pairs of spark-submit arguments. */
function confOf(args: string[]): { [key: string]: string } {
  return pairsAfter(args, '--conf');
}

/** The `--hiveconf key=value` pairs. */
function hiveOf(args: string[]): { [key: string]: string } {
  return pairsAfter(args, '--hiveconf');
}


function mysqlMetastore(chart: Chart, extra: { driverJar?: string } = {}) {
  const secret = Secret.fromSecretName(chart, 'MetastoreDb', 'metastore-db');
  return HiveMetastore.jdbc({
    url: 'jdbc:mysql://mysql.metastore.svc:3306/hive?useSSL=true',
    driver: 'com.mysql.cj.jdbc.Driver',
    user: 'hive',
    password: { secret, key: 'password' },
    ...extra,
  });
}

describe('SparkThriftServer', () => {
  test('defaults (snapshot)', () => {
    const { chart } = setup();
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('a one-replica Recreate Deployment running the Thrift server in the foreground in client mode', () => {
    const { chart, server } = setup({ name: 'sql' });
    const { deployment, pod, container, args, conf } = parts(synthValid(chart));
    expect(deployment.metadata).toMatchObject({ name: 'sql', namespace: 'analytics' });
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(container.command).toEqual(['/opt/spark/bin/spark-submit']);
    expect(args.slice(0, 4)).toEqual(['--class', 'org.apache.spark.sql.hive.thriftserver.HiveThriftServer2', '--name', 'sql']);
    expect(args[args.length - 1]).toBe('spark-internal');
    expect(conf).toMatchObject({
      'spark.master': 'k8s://https://kubernetes.default.svc:443',
      'spark.submit.deployMode': 'client',
      'spark.kubernetes.namespace': 'analytics',
      'spark.driver.host': 'sql-driver.analytics.svc',
      'spark.driver.bindAddress': '0.0.0.0',
      'spark.driver.port': '7078',
      'spark.blockManager.port': '7079',
      'spark.ui.port': '4040',
      'spark.kubernetes.driver.pod.name': '$(SPARK_DRIVER_POD_NAME)',
      'spark.kubernetes.container.image': 'docker.io/apache/spark:4.0.4',
      'spark.kubernetes.executor.podNamePrefix': 'sql',
      'spark.kubernetes.executor.podTemplateFile': '/opt/spark/pod-templates/executor.yaml',
      'spark.kubernetes.executor.podTemplateContainerName': 'spark-kubernetes-executor',
      'spark.driver.memory': '2g',
      'spark.executor.instances': '2',
      'spark.executor.cores': '1',
      'spark.executor.memory': '2g',
      'spark.sql.catalogImplementation': 'hive',
    });
    // The executors are owned by the driver pod, whose name comes from the downward API.
    expect(container.env).toContainEqual({ name: 'SPARK_DRIVER_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    // Driver identity: the namespace's driver ServiceAccount with its API token.
    expect(pod.serviceAccountName).toBe('spark-driver');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(server.serviceAccount).toBe(SparkServiceAccount.forNamespace(chart, 'analytics'));
    expect(server.managedByOperator).toBe(false);
    expect(SparkJobs.all(chart)).toContain(server);
    expect(server.sparkConf.get('spark.driver.port')).toBe('7078');
  });

  test('Services: headless for the driver, client Service on the Thrift port and the UI', () => {
    const { chart, server } = setup({ name: 'sql' });
    const { services, container } = parts(synthValid(chart));
    const headless = services.find((s) => s.metadata.name === 'sql-driver');
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(headless.spec.ports.map((p: any) => p.port)).toEqual([7078, 7079, 4040]);
    const client = services.find((s) => s.metadata.name === 'sql');
    expect(client.spec.type).toBe('ClusterIP');
    expect(client.spec.ports).toEqual([
      { name: 'thrift-binary', port: 10000, targetPort: 10000, protocol: 'TCP' },
      { name: 'spark-ui', port: 4040, targetPort: 4040, protocol: 'TCP' },
    ]);
    // Both select the driver pod and only it (executors carry component=executor).
    expect(client.spec.selector).toEqual(headless.spec.selector);
    expect(client.spec.selector['app.kubernetes.io/component']).toBe('driver');
    expect(container.ports.map((p: any) => p.containerPort)).toEqual([10000, 4040, 7078, 7079]);
    expect(server.jdbcUrl).toBe('jdbc:hive2://sql.analytics.svc:10000/default');
    expect(server.serviceName).toBe('sql');
    expect(server.thriftPort).toBe(10000);
  });

  test('Hive settings as --hiveconf: binary transport, bind address, authentication, metastore', () => {
    const { chart, server } = setup();
    const { hive } = parts(synthValid(chart));
    expect(hive).toEqual({
      'hive.server2.transport.mode': 'binary',
      'hive.server2.thrift.port': '10000',
      'hive.server2.thrift.bind.host': '0.0.0.0',
      'hive.server2.authentication': 'NONE',
      'hive.metastore.uris': 'thrift://hive-metastore.hive.svc:9083',
    });
    expect(server.hiveConf).toEqual(hive);
  });

  test('HTTP transport: port 10001, path cliservice, JDBC URL with transportMode and httpPath', () => {
    const { chart, server } = setup({ name: 'sql', transportMode: ThriftTransportMode.HTTP });
    const { hive, container, services } = parts(synthValid(chart));
    expect(hive).toMatchObject({
      'hive.server2.transport.mode': 'http',
      'hive.server2.thrift.http.port': '10001',
      'hive.server2.thrift.http.path': 'cliservice',
    });
    expect(hive['hive.server2.thrift.port']).toBeUndefined();
    expect(container.readinessProbe.tcpSocket.port).toBe(10001);
    expect(services.find((s) => s.metadata.name === 'sql').spec.ports[0]).toMatchObject({ name: 'thrift-http', port: 10001 });
    expect(server.jdbcUrl).toBe('jdbc:hive2://sql.analytics.svc:10001/default;transportMode=http;httpPath=cliservice');
  });

  test('authentication: NOSASL adds auth=noSasl to the binary URL; LDAP settings', () => {
    const nosasl = setup({ name: 'sql', authentication: ThriftServerAuthentication.noSasl() }).server;
    expect(nosasl.jdbcUrl).toBe('jdbc:hive2://sql.analytics.svc:10000/default;auth=noSasl');
    expect(nosasl.hiveConf['hive.server2.authentication']).toBe('NOSASL');
    const { chart } = setup({
      authentication: ThriftServerAuthentication.ldap({ url: 'ldaps://ldap.example.com:636', baseDn: 'ou=people,dc=example,dc=com' }),
    });
    expect(parts(synthValid(chart)).hive).toMatchObject({
      'hive.server2.authentication': 'LDAP',
      'hive.server2.authentication.ldap.url': 'ldaps://ldap.example.com:636',
      'hive.server2.authentication.ldap.baseDN': 'ou=people,dc=example,dc=com',
    });
  });

  test('probes on the Thrift port, resources covering heap + overhead, restricted read-only container with emptyDirs', () => {
    const { chart } = setup();
    const { pod, container } = parts(synthValid(chart));
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(container[probe].tcpSocket).toEqual({ port: 10000 });
    }
    // A generous startup: SparkSession and metastore connection come first.
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    // 2g heap + max(10%, 384m) overhead = 2432Mi.
    expect(container.resources).toEqual({ requests: { cpu: '1000m', memory: '2432Mi' }, limits: { cpu: '2000m', memory: '2432Mi' } });
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/opt/spark/work-dir', '/opt/spark/pod-templates']);
    expect(pod.volumes.filter((v: any) => v.emptyDir).map((v: any) => v.name)).toEqual(['tmp', 'work-dir']);
    expect(pod.initContainers).toBeUndefined();
  });

  test('driver memory sizes the container; a memory limit below heap + overhead is refused', () => {
    const { chart } = setup({
      driver: { memory: SparkMemory.gibibytes(8), resources: { memory: { limit: Size.gibibytes(10) } } },
    });
    const { container, conf } = parts(synthValid(chart));
    expect(conf['spark.driver.memory']).toBe('8g');
    // 8g + 819m (10%) = 9011Mi requested, the larger limit kept.
    expect(container.resources).toMatchObject({ requests: { memory: '9011Mi' }, limits: { memory: '10Gi' } });
    const tooSmall = { memory: SparkMemory.gibibytes(4), resources: { memory: { limit: Size.gibibytes(4) } } };
    expect(() => setup({ driver: tooSmall })).toThrow('test/Sql: invalid driver.resources.memory.limit "4096 MiB": '
      + 'at least the driver heap 4g plus overhead 409m (4505Mi): the driver runs in this container');
  });

  test('executors: restricted pod template without API token, sizing, checksum rolls the driver on change', () => {
    const { chart } = setup({
      executor: {
        cores: 4,
        memory: SparkMemory.gibibytes(8),
        memoryOverhead: SparkMemory.gibibytes(1),
        memoryLimit: SparkMemory.gibibytes(9),
        coreRequest: Cpu.millis(3500),
        coreLimit: Cpu.units(4),
        instances: 3,
        javaOptions: '-XX:+UseG1GC',
        nodeSelector: { 'node-role/spark': 'executor' },
        tolerations: [{ key: 'spark', operator: 'Exists', effect: 'NoSchedule' }],
      },
    });
    const manifests = synthValid(chart);
    const { conf, template, deployment, pod } = parts(manifests);
    expect(conf).toMatchObject({
      'spark.executor.instances': '3',
      'spark.executor.cores': '4',
      'spark.executor.memory': '8g',
      'spark.executor.memoryOverhead': '1g',
      'spark.kubernetes.executor.request.cores': '3500m',
      'spark.kubernetes.executor.limit.cores': '4',
      'spark.executor.extraJavaOptions': '-XX:+UseG1GC',
    });
    expect(template.spec.automountServiceAccountToken).toBe(false);
    expect(template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 185, seccompProfile: { type: 'RuntimeDefault' } });
    expect(template.spec.containers[0]).toMatchObject({
      name: 'spark-kubernetes-executor',
      securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    });
    expect(template.spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/opt/spark/work-dir']);
    expect(template.spec.nodeSelector).toEqual({ 'node-role/spark': 'executor' });
    expect(template.spec.tolerations).toHaveLength(1);
    expect(template.metadata.labels['app.kubernetes.io/component']).toBe('executor');
    // The template is a valid Pod (given a name, which Spark supplies).
    expect(validateManifests([{ ...template, metadata: { ...template.metadata, name: 'x' } }])).toEqual([]);
    const configMap = manifests.find((m) => m.kind === 'ConfigMap');
    expect(configMap.metadata.name).toMatch(/^test-sql-[0-9a-f]{8}-executor-pod-template$/);
    expect(pod.volumes).toContainEqual({ name: 'executor-pod-template', configMap: { name: configMap.metadata.name } });
    expect(parts(manifests).container.volumeMounts)
      .toContainEqual({ name: 'executor-pod-template', mountPath: '/opt/spark/pod-templates', readOnly: true });
    // The template's checksum on the driver pod: a changed template restarts the driver, which reads it at start.
    const checksumOf = (p: Partial<SparkThriftServerProps>) =>
      parts(synthValid(setup(p).chart)).deployment.spec.template.metadata.annotations['checksum/executor-pod-template'];
    expect(deployment.spec.template.metadata.annotations['checksum/executor-pod-template']).toMatch(/^[0-9a-f]{64}$/);
    expect(checksumOf({ executor: { cores: 4 } })).toBe(checksumOf({})); // sizing is conf, not template
    expect(checksumOf({ executor: { nodeSelector: { a: 'b' } } })).not.toBe(checksumOf({}));
  });

  test.each<[string, Partial<SparkThriftServerProps>, string]>([
    ['an executor memory limit equal to the heap', { executor: { memory: SparkMemory.gibibytes(4), memoryLimit: SparkMemory.gibibytes(4) } },
      'test/Sql: invalid executor.memoryLimit "4Gi": heap 4g + overhead 409m = 4505Mi: Spark sets the executor pods\' memory request and limit to that sum itself'],
    ['an executor memory limit above heap + overhead', { executor: { memory: SparkMemory.gibibytes(4), memoryLimit: SparkMemory.gibibytes(8) } },
      'test/Sql: invalid executor.memoryLimit "8Gi"'],
    ['no executor cores', { executor: { cores: 0 } }, 'test/Sql: invalid executor.cores 0: a whole number of cores, at least 1'],
    ['an executor core limit below its cores', { executor: { cores: 2, coreLimit: Cpu.units(1) } },
      'test/Sql: invalid executor.coreLimit "1": at least the CPU request (2000m)'],
    ['no executors', { executor: { instances: 0 } }, 'test/Sql: invalid executor.instances 0'],
  ])('executor sizing: refuses %s', (_name, props, message) => {
    expect(() => setup(props)).toThrow(message);
  });

  test('seed tuning: AQE and dynamic allocation with shuffle tracking', () => {
    const { chart } = setup({
      adaptiveExecution: { enabled: true, coalescePartitions: true, skewJoin: true, advisoryPartitionSize: Size.mebibytes(128) },
      dynamicAllocation: { minExecutors: 1, initialExecutors: 2, maxExecutors: 10, executorIdleTimeout: Duration.seconds(60) },
    });
    const { conf } = parts(synthValid(chart));
    expect(conf).toMatchObject({
      'spark.sql.adaptive.enabled': 'true',
      'spark.sql.adaptive.coalescePartitions.enabled': 'true',
      'spark.sql.adaptive.skewJoin.enabled': 'true',
      'spark.sql.adaptive.advisoryPartitionSizeInBytes': '128m',
      'spark.dynamicAllocation.enabled': 'true',
      'spark.dynamicAllocation.shuffleTracking.enabled': 'true',
      'spark.dynamicAllocation.minExecutors': '1',
      'spark.dynamicAllocation.initialExecutors': '2',
      'spark.dynamicAllocation.maxExecutors': '10',
      'spark.dynamicAllocation.executorIdleTimeout': '1min',
    });
    expect(conf['spark.executor.instances']).toBeUndefined();
    expect(() => setup({ dynamicAllocation: { maxExecutors: 4 }, executor: { instances: 2 } }))
      .toThrow('test/Sql: invalid executor.instances 2: left out with dynamicAllocation');
  });

  test('JDBC metastore: password from the Secret through an init container into hive-site.xml, never in the manifests', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'analytics' });
    new SparkThriftServer(chart, 'Sql', { warehouseDir: WAREHOUSE, metastore: mysqlMetastore(chart, { driverJar: 'local:///opt/spark/extra/mysql-connector-j.jar' }) });
    const manifests = synthValid(chart);
    const { pod, container, conf, hive } = parts(manifests);
    expect(hive).toMatchObject({
      'javax.jdo.option.ConnectionURL': 'jdbc:mysql://mysql.metastore.svc:3306/hive?useSSL=true',
      'javax.jdo.option.ConnectionDriverName': 'com.mysql.cj.jdbc.Driver',
      'javax.jdo.option.ConnectionUserName': 'hive',
    });
    expect(JSON.stringify(manifests)).not.toMatch(/ConnectionPassword=/);
    expect(Object.keys(hive).some((k) => /password/i.test(k))).toBe(false);
    // The server container has neither the Secret nor its variable; it reads hive-site.xml from its class path.
    expect(JSON.stringify(container)).not.toContain('secretKeyRef');
    expect(conf['spark.driver.extraClassPath']).toBe('/opt/spark/thrift-conf:/opt/spark/extra/mysql-connector-j.jar');
    expect(conf['spark.jars']).toBeUndefined();
    expect(container.volumeMounts).toContainEqual({ name: 'hive-conf', mountPath: '/opt/spark/thrift-conf', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'hive-conf', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } });
    const init = pod.initContainers.find((c: any) => c.name === 'hive-site');
    expect(init.env).toEqual([{
      name: 'HIVE_SITE_JAVAX_JDO_OPTION_CONNECTIONPASSWORD',
      valueFrom: { secretKeyRef: { name: 'metastore-db', key: 'password' } },
    }]);
    expect(init.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
    expect(init.volumeMounts).toEqual([{ name: 'hive-conf', mountPath: '/opt/spark/thrift-conf' }]);
    expect(init.command.slice(0, 2)).toEqual(['bash', '-c']);
    const script = init.command[2];
    expect(script).toContain('readonly ENTRIES=\'javax.jdo.option.ConnectionPassword HIVE_SITE_JAVAX_JDO_OPTION_CONNECTIONPASSWORD\'');
    expect(script).toContain('readonly OUT=\'/opt/spark/thrift-conf/hive-site.xml\'');
    checkScript(script, 'hive-site.sh');
  });

  test('a remote driver jar and extra jars go to spark.jars; hiveSecrets join the generated hive-site.xml', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'analytics' });
    const keystore = Secret.fromSecretName(chart, 'Tls', 'thrift-tls');
    new SparkThriftServer(chart, 'Sql', {
      warehouseDir: WAREHOUSE,
      metastore: mysqlMetastore(chart, { driverJar: 'https://repo1.maven.org/maven2/com/mysql/mysql-connector-j/8.4.0/mysql-connector-j-8.4.0.jar' }),
      jars: ['s3a://libs/udfs.jar'],
      image: s3Image(),
      hiveSecrets: [{ key: 'hive.server2.keystore.password', value: { secret: keystore, key: 'keystore-password' } }],
    });
    const { conf, pod } = parts(synthValid(chart));
    expect(conf['spark.jars']).toBe('https://repo1.maven.org/maven2/com/mysql/mysql-connector-j/8.4.0/mysql-connector-j-8.4.0.jar,s3a://libs/udfs.jar');
    expect(conf['spark.driver.extraClassPath']).toBe('/opt/spark/thrift-conf');
    const init = pod.initContainers[0];
    expect(init.env.map((e: any) => e.valueFrom.secretKeyRef)).toEqual([
      { name: 'metastore-db', key: 'password' },
      { name: 'thrift-tls', key: 'keystore-password' },
    ]);
    expect(init.command[2]).toContain('\nhive.server2.keystore.password HIVE_SITE_HIVE_SERVER2_KEYSTORE_PASSWORD');
  });

  test('event log: rolling by default, credentials and volumes in the driver pod, the directory created first', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'analytics' });
    const keys = Secret.fromSecretName(chart, 'Keys', 's3-keys');
    new SparkThriftServer(chart, 'Sql', {
      warehouseDir: WAREHOUSE,
      metastore: THRIFT_METASTORE,
      eventLog: EventLogStore.s3({ bucket: 'spark-logs', endpoint: 'http://minio.storage.svc:9000', pathStyleAccess: true, credentials: { secret: keys } }),
      image: s3Image(),
    });
    const { conf, container, pod, template } = parts(synthValid(chart));
    expect(conf).toMatchObject({
      'spark.eventLog.enabled': 'true',
      'spark.eventLog.dir': 's3a://spark-logs/spark-events',
      'spark.eventLog.rolling.enabled': 'true',
      'spark.eventLog.rolling.maxFileSize': '128m',
      'spark.hadoop.fs.s3a.endpoint': 'http://minio.storage.svc:9000',
      'spark.hadoop.fs.s3a.path.style.access': 'true',
    });
    expect(container.env.map((e: any) => e.name)).toEqual(['SPARK_DRIVER_POD_NAME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    const mkdir = pod.initContainers.find((c: any) => c.name === 'event-log-dir');
    expect(mkdir.command.slice(-3)).toEqual(['-mkdir', '-p', 's3a://spark-logs/spark-events']);
    expect(mkdir.env.map((e: any) => e.name)).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    // Executors do not write the event log.
    expect(JSON.stringify(template)).not.toContain('AWS_');

    const pvcChart = new Chart(Testing.app(), 'test', { namespace: 'analytics' });
    const claim = new PersistentVolumeClaim(pvcChart, 'Logs', { accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY], storage: Size.gibibytes(10) });
    new SparkThriftServer(pvcChart, 'Sql', {
      warehouseDir: WAREHOUSE,
      metastore: THRIFT_METASTORE,
      eventLog: EventLogStore.pvc({ claim }),
      eventLogRollingMaxFileSize: Size.mebibytes(64),
    });
    const pvc = parts(synthValid(pvcChart));
    expect(pvc.conf['spark.eventLog.rolling.maxFileSize']).toBe('64m');
    expect(pvc.pod.volumes).toContainEqual({ name: 'spark-event-logs', persistentVolumeClaim: { claimName: claim.name } });
    expect(pvc.container.volumeMounts).toContainEqual({ name: 'spark-event-logs', mountPath: '/var/spark-events' });

    // A local store is an emptyDir of the pod: nothing to create first.
    const local = parts(synthValid(setup({ eventLog: EventLogStore.local() }).chart));
    expect(local.pod.initContainers).toBeUndefined();
    expect(local.container.volumeMounts).toContainEqual({ name: 'spark-event-logs', mountPath: '/tmp/spark-events' });
    expect(local.conf['spark.eventLog.dir']).toBe('file:///tmp/spark-events');
    expect(() => setup({ eventLogRollingMaxFileSize: Size.mebibytes(64) }))
      .toThrow('test/Sql: invalid eventLogRollingMaxFileSize "set": left out unless eventLog is set');
  });

  test('NodePort opt-in, warehouse, extra conf merged, image from the registry override, pull secrets', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'analytics' });
    ImageRegistryOverride.apply(chart, ImageRegistryOverride.mirror('mirror.local:5000'));
    const pull = Secret.fromSecretName(chart, 'Pull', 'regcred');
    new SparkThriftServer(chart, 'Sql', {
      name: 'sql',
      metastore: THRIFT_METASTORE,
      nodePort: 30100,
      uiNodePort: 30140,
      warehouseDir: 's3a://lake/warehouse',
      image: s3Image('4.0.4', { pullSecrets: [pull], pullPolicy: ImagePullPolicy.ALWAYS }),
      sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '64' }),
      hiveConf: { 'hive.server2.idle.session.timeout': '3600000' },
    });
    const { services, conf, hive, container, pod } = parts(synthValid(chart));
    const client = services.find((s) => s.metadata.name === 'sql');
    expect(client.spec.type).toBe('NodePort');
    expect(client.spec.ports.map((p: any) => p.nodePort)).toEqual([30100, 30140]);
    expect(conf).toMatchObject({
      'spark.sql.warehouse.dir': 's3a://lake/warehouse',
      'spark.sql.shuffle.partitions': '64',
      'spark.kubernetes.container.image': 'mirror.local:5000/data/spark-s3:4.0.4',
      'spark.kubernetes.container.image.pullPolicy': 'Always',
      'spark.kubernetes.container.image.pullSecrets': 'regcred',
    });
    expect(hive['hive.server2.idle.session.timeout']).toBe('3600000');
    expect(container.image).toBe('mirror.local:5000/data/spark-s3:4.0.4');
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  test('environment of the driver and the executors, credentials only from Secrets', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'analytics' });
    const keys = Secret.fromSecretName(chart, 'Keys', 'lake-keys');
    new SparkThriftServer(chart, 'Sql', {
      metastore: THRIFT_METASTORE,
      warehouseDir: 's3a://lake/warehouse',
      image: s3Image(),
      env: {
        AWS_ACCESS_KEY_ID: EnvValue.fromSecretValue({ secret: keys, key: 'id' }),
        AWS_SECRET_ACCESS_KEY: EnvValue.fromSecretValue({ secret: keys, key: 'secret' }),
        TZ: EnvValue.fromValue('UTC'),
      },
    });
    const { container, template } = parts(synthValid(chart));
    const expected = [
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'lake-keys', key: 'id' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'lake-keys', key: 'secret' } } },
      { name: 'TZ', value: 'UTC' },
    ];
    expect(container.env.slice(1)).toEqual(expected);
    expect(template.spec.containers[0].env).toEqual(expected);
    expect(() => setup({ env: { DB_PASSWORD: EnvValue.fromValue('hunter2') } }))
      .toThrow('test/Sql: invalid env DB_PASSWORD "(a literal value)": a value from a Secret (EnvValue.fromSecretValue)');
    expect(() => setup({ env: { SPARK_DRIVER_POD_NAME: EnvValue.fromValue('x') } }))
      .toThrow('test/Sql: invalid env "SPARK_DRIVER_POD_NAME": a variable the server does not set itself');
    expect(() => setup({ env: { '1X': EnvValue.fromValue('x') } })).toThrow('test/Sql: invalid env "1X"');
  });

  test('arguments are taken literally by the kubelet: $ is doubled, except the pod name reference', () => {
    const { chart } = setup({ driver: { javaOptions: '-Dx=$(HOME) -Dy=$$' } });
    const { args } = parts(synthValid(chart));
    expect(args).toContain('spark.driver.extraJavaOptions=-Dx=$$(HOME) -Dy=$$$$');
    expect(args).toContain('spark.kubernetes.driver.pod.name=$(SPARK_DRIVER_POD_NAME)');
  });

  test('namespace and name: chart namespace else default; a generated name fits the executor prefix limit', () => {
    const { server } = setup({}, null);
    expect(server.namespace).toBe('default');
    expect(server.name.length).toBeLessThanOrEqual(47);
    expect(setup({ namespace: 'bi' }).server.jdbcUrl).toMatch(/^jdbc:hive2:\/\/test-sql-[0-9a-f]{8}\.bi\.svc:10000\/default$/);
  });

  const pw = () => {
    const chart = new Chart(Testing.app(), 'c');
    return { secret: Secret.fromSecretName(chart, 'S', 's'), key: 'password' };
  };

  test.each<[string, () => unknown, string]>([
    // Literal credentials.
    ['a metastore password in sparkConf', () => setup({ sparkConf: SparkConf.of({ 'spark.hadoop.javax.jdo.option.ConnectionPassword': 'hunter2' }) }),
      'test/Sql: invalid sparkConf key "spark.hadoop.javax.jdo.option.ConnectionPassword": a key that carries no credential: '
        + 'give the metastore password as HiveMetastore.jdbc({ password: { secret, key } })'],
    ['an S3 secret key in sparkConf', () => setup({ sparkConf: SparkConf.of({ 'spark.hadoop.fs.s3a.secret.key': 'abc' }) }),
      'invalid sparkConf key "spark.hadoop.fs.s3a.secret.key"'],
    ['a metastore password in hiveConf', () => setup({ hiveConf: { 'javax.jdo.option.ConnectionPassword': 'hunter2' } }),
      'test/Sql: invalid hiveConf key "javax.jdo.option.ConnectionPassword": a key that carries no credential'],
    ['a password in the JDBC URL',
      () => HiveMetastore.jdbc({ url: 'jdbc:mysql://db:3306/hive?user=hive&password=hunter2', driver: 'com.mysql.cj.jdbc.Driver', user: 'hive', password: pw() }),
      'HiveMetastore.jdbc: invalid url "jdbc:mysql://db:3306/hive?user=hive&password=***": a JDBC URL without credentials'],
    ['a Hive setting in sparkConf', () => setup({ sparkConf: SparkConf.of({ 'spark.hadoop.hive.server2.thrift.port': '10005' }) }),
      'test/Sql: invalid sparkConf key "spark.hadoop.hive.server2.thrift.port": a Spark key: Hive settings go in hiveConf'],
    // Conflicts with what the construct sets.
    ['a sparkConf driver port', () => setup({ sparkConf: SparkConf.of({ 'spark.driver.port': '9999' }) }),
      'test/Sql: invalid sparkConf key "spark.driver.port": the key is managed by the library; set it through ports.driver'],
    ['a hiveConf Thrift port other than the transport\'s', () => setup({ hiveConf: { 'hive.server2.thrift.port': '10005' } }),
      'test/Sql: invalid hiveConf key "hive.server2.thrift.port" "10005": it is set to "10000" by the transport settings and to "10005" by hiveConf'],
    // Ports.
    ['a driver port on the Thrift port', () => setup({ ports: { driver: 10000 } }),
      'test/Sql: invalid ports.driver 10000: a port not already used by ports.thrift'],
    ['a block manager port on the HTTP Thrift port', () => setup({ transportMode: ThriftTransportMode.HTTP, ports: { blockManager: 10001 } }),
      'test/Sql: invalid ports.blockManager 10001: a port not already used by ports.thrift'],
    ['a privileged UI port', () => setup({ ports: { ui: 80 } }), 'test/Sql: invalid ports.ui 80: a port from 1024 to 65535 (the pods run as non-root'],
    ['a nodePort below the NodePort range', () => setup({ nodePort: 10000 }), 'test/Sql: invalid nodePort 10000: a NodePort from 30000 to 32767'],
    ['a uiNodePort above the NodePort range', () => setup({ uiNodePort: 32768 }), 'test/Sql: invalid uiNodePort 32768: a NodePort from 30000 to 32767'],
    ['a uiNodePort equal to nodePort', () => setup({ nodePort: 30100, uiNodePort: 30100 }), 'test/Sql: invalid uiNodePort 30100: a NodePort other than nodePort'],
    // Identity and image.
    ['a name too long', () => setup({ name: 'a'.repeat(48) }), 'test/Sql: invalid name'],
    ['a name starting with a digit', () => setup({ name: '1sql' }), 'test/Sql: invalid name "1sql": a DNS-1035 label'],
    ['a ServiceAccount of another namespace', () => {
      const other = new Chart(Testing.app(), 'o');
      return new SparkThriftServer(other, 'Sql', { metastore: THRIFT_METASTORE, warehouseDir: WAREHOUSE, serviceAccount: SparkServiceAccount.forNamespace(other, 'etl') });
    }, 'o/Sql: invalid serviceAccount "o/SparkServiceAccount-etl": a SparkServiceAccount in the server\'s namespace "default"'],
    ['a Spark 2 image', () => setup({ image: SparkImage.of({ repository: 'registry.example.com/spark', tag: '2.4.8' }) }),
      'SparkImage: invalid sparkVersion "2.4.8": a Spark release 3.0.0 up to (not including) 5.0.0'],
    ['no metastore (JavaScript callers)', () => setup({ metastore: undefined as any }), 'test/Sql: invalid metastore (undefined): a HiveMetastore'],
    ['a hiveSecrets key the metastore sets', () => setup({ hiveSecrets: [{ key: 'hive.metastore.uris', value: pw() }] }),
      'test/Sql: invalid hiveSecrets key "hive.metastore.uris": a key set in one place only'],
    ['a JDBC URL in hiveConf with the embedded metastore',
      () => setup({ metastore: HiveMetastore.embedded(), hiveConf: { 'javax.jdo.option.ConnectionURL': 'jdbc:derby:x' } }),
      'test/Sql: invalid hiveConf key "javax.jdo.option.ConnectionURL"'],
    ['a relative warehouseDir', () => setup({ warehouseDir: 'warehouse' }), 'test/Sql: invalid warehouseDir "warehouse"'],
    // Pod-local warehouses lose tables with the pod (each executor writes to its own disk).
    ['a pod-local warehouseDir path', () => setup({ warehouseDir: '/tmp/warehouse' }), 'test/Sql: invalid warehouseDir "/tmp/warehouse": a URI of shared storage'],
    ['a pod-local file:// warehouseDir', () => setup({ warehouseDir: 'file:///tmp/warehouse' }), 'test/Sql: invalid warehouseDir "file:///tmp/warehouse"'],
    ['no warehouseDir (JavaScript callers)', () => setup({ warehouseDir: undefined as any }), 'test/Sql: invalid warehouseDir (undefined)'],
    ['two jars in one entry', () => setup({ jars: ['a.jar,b.jar'] }), 'test/Sql: invalid jars "a.jar,b.jar"'],
    ['a bad executor nodeSelector key', () => setup({ executor: { nodeSelector: { 'bad key!': 'x' } } }), 'test/Sql: invalid executor.nodeSelector key "bad key!"'],
  ])('refuses %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('accepts Secret references in sparkConf, and a pod-local warehouse with the embedded metastore', () => {
    expect(() => setup({ sparkConf: SparkConf.of({ 'spark.kubernetes.executor.secretKeyRef.AWS_SECRET_ACCESS_KEY': 'lake-keys:secret' }) })).not.toThrow();
    expect(() => setup({ metastore: HiveMetastore.embedded(), warehouseDir: '/tmp/warehouse' })).not.toThrow();
  });

  test('embedded metastore for tests: Derby in the working directory emptyDir', () => {
    const { chart } = setup({ metastore: HiveMetastore.embedded() });
    const { hive, container } = parts(synthValid(chart));
    expect(Object.keys(hive).filter((k) => k.startsWith('javax.jdo') || k.startsWith('hive.metastore'))).toEqual([]);
    expect(container.volumeMounts).toContainEqual({ name: 'work-dir', mountPath: '/opt/spark/work-dir' });
  });
});

describe('SparkThriftServer: secret Hive settings and their variables', () => {
  // Each secret setting reaches the hive-site writer as HIVE_SITE_<KEY> (upper case, punctuation as '_').
  const ref = (key: string) => ({ secret: Secret.fromSecretName(Testing.chart(), `S-${key}`, 'hive-secrets'), key });
  test.each<[string, string, string]>([
    ['keys that differ in case', 'hive.server2.keystore.password', 'hive.server2.keystore.PASSWORD'],
    ['keys that differ in punctuation', 'hive.server2.keystore.password', 'hive.server2.keystore-password'],
  ])('refuses %s (one variable would shadow the other)', (_name, first, second) => {
    expect(() => setup({ hiveSecrets: [{ key: first, value: ref('a') }, { key: second, value: ref('b') }] })).toThrow(
      `test/Sql: invalid hiveSecrets key "${second}": a key whose variable HIVE_SITE_HIVE_SERVER2_KEYSTORE_PASSWORD `
      + `no other secret setting uses ("${first}" does)`);
  });
});
