import { ApiObject, App, Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import { ConfigMap, EmptyDirMedium, EnvValue, ImagePullPolicy, k8s, Secret, Volume } from 'cdk8s-plus-28';
import {
  BatchScheduler, DeployMode, ImageRegistryOverride, RestartPolicy, SparkApplication, SparkApplicationProps, SparkApplicationType,
  SparkConf, SparkImage, SparkJobs, SparkMemory, SparkServiceAccount, SparkUiServiceType,
} from '../../src';
import { SPARK_APPLICATION_SPEC } from '../../src/operator/model/spark-application-model';
import { Field, walkFields } from '../../src/operator/model/types';
import { validateAgainstModel } from '../../src/operator/model/validate';
import { synthValid } from '../harness/manifests';
import { libraryOperatorCrds } from '../harness/spark-operator';

const crds = libraryOperatorCrds;

const PI: SparkApplicationProps = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

function setup(props: Partial<SparkApplicationProps> = {}, chartNamespace?: string) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: chartNamespace });
  const job = new SparkApplication(chart, 'Pi', { ...PI, ...props });
  return { app, chart, job };
}

function synth(chart: Chart): any[] {
  return synthValid(chart, { crds: crds() });
}

function specOf(chart: Chart): any {
  return synth(chart).find((m) => m.kind === 'SparkApplication').spec;
}

describe('SparkApplication', () => {
  test('defaults (snapshot)', () => {
    const { chart } = setup();
    expect(synth(chart)).toMatchSnapshot();
  });

  test('defaults: cluster mode, Apache image, 1 core / 512m, restricted contexts, never restarted, own ServiceAccount', () => {
    const { chart, job } = setup();
    const manifests = synth(chart);
    const app = manifests.find((m) => m.kind === 'SparkApplication');
    expect(app.apiVersion).toBe('sparkoperator.k8s.io/v1beta2');
    expect(app.metadata).toEqual({ name: job.name, namespace: 'default' });
    expect(job.name).toMatch(/^test-pi-[0-9a-f]{8}$/);
    const spec = app.spec;
    expect(spec).toMatchObject({
      type: 'Scala',
      mode: 'cluster',
      image: 'docker.io/apache/spark:4.0.4',
      imagePullPolicy: 'IfNotPresent',
      sparkVersion: '4.0.4',
      restartPolicy: { type: 'Never' },
    });
    for (const role of ['driver', 'executor']) {
      expect(spec[role]).toMatchObject({ cores: 1, memory: '512m' });
      expect(spec[role].securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 185,
        runAsGroup: 185,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec[role].podSecurityContext).toEqual({
        runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185, seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    expect(spec.executor.instances).toBe(1);
    expect(spec.driver.serviceAccount).toBe('spark-driver');
    expect(spec.executor.serviceAccount).toBeUndefined();
    expect(manifests.filter((m) => m.metadata.name === 'spark-driver').map((m) => m.kind).sort())
      .toEqual(['Role', 'RoleBinding', 'ServiceAccount']);
    expect(job.jobNamespace).toBe('default');
    expect(job.managedByOperator).toBe(true);
    expect(SparkJobs.all(chart)).toEqual([job]);
  });

  test('namespace comes from the chart, or the prop', () => {
    expect(setup({}, 'analytics').job.namespace).toBe('analytics');
    expect(setup({ namespace: 'etl' }, 'analytics').job.namespace).toBe('etl');
  });

  test('every prop reaches the spec', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const data = Volume.fromEmptyDir(chart, 'Data', 'data', { medium: EmptyDirMedium.MEMORY, sizeLimit: Size.gibibytes(2) });
    const conf = Volume.fromConfigMap(chart, 'Conf', ConfigMap.fromConfigMapName(chart, 'Cm', 'job-conf'), { name: 'conf' });
    const secret = Secret.fromSecretName(chart, 'S', 'creds');
    const sa = new SparkServiceAccount(chart, 'Sa', { namespace: 'etl', name: 'etl-driver' });
    const pod = {
      coreRequest: '500m',
      coreLimit: '2',
      memory: SparkMemory.gibibytes(2),
      memoryOverhead: SparkMemory.mebibytes(512),
      memoryLimit: SparkMemory.mebibytes(2560),
      javaOptions: '-XX:+UseG1GC',
      env: { MODE: EnvValue.fromValue('batch'), TOKEN: EnvValue.fromSecretValue({ secret, key: 'token' }) },
      envFromSecrets: [secret],
      envFromConfigMaps: [ConfigMap.fromConfigMapName(chart, 'Env', 'job-env')],
      volumeMounts: [{ volume: data, path: '/data' }, { volume: conf, path: '/etc/job', readOnly: true, subPath: 'conf' }],
      labels: { team: 'etl' },
      annotations: { note: 'x' },
      nodeSelector: { pool: 'spark' },
      tolerations: [{ key: 'spark', operator: 'Exists', effect: 'NoSchedule' }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }] } } },
      priorityClassName: 'batch',
      hostAliases: [{ ip: '10.0.0.15', hostnames: ['namenode.example.internal'] }],
      terminationGracePeriod: Duration.seconds(45),
      template: { metadata: { labels: { tpl: 'yes' } } },
    };
    const job = new SparkApplication(chart, 'Job', {
      name: 'etl-daily',
      namespace: 'etl',
      type: SparkApplicationType.JAVA,
      mode: DeployMode.CLUSTER,
      image: SparkImage.apache('3.5.7', { pullPolicy: ImagePullPolicy.ALWAYS, pullSecrets: [Secret.fromSecretName(chart, 'P', 'regcred')] }),
      mainClass: 'com.example.Etl',
      mainApplicationFile: 'https://repo.example.com/etl.jar',
      arguments: ['--day', '2024-01-01'],
      sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '64' }),
      hadoopConf: { 'fs.s3a.endpoint': 'http://minio:9000' },
      deps: {
        jars: ['https://repo.example.com/a.jar'],
        files: ['f'],
        pyFiles: ['p.py'],
        packages: ['g:a:1'],
        excludePackages: ['g:b'],
        repositories: ['https://repo.example.com/maven'],
        archives: ['a.zip'],
      },
      driver: pod,
      executor: { ...pod, instances: 3, deleteOnTermination: false },
      volumes: [data],
      dynamicAllocation: { minExecutors: 1, initialExecutors: 2, maxExecutors: 10, shuffleTrackingTimeout: Duration.minutes(5) },
      restartPolicy: RestartPolicy.onFailure({ retries: 2, retryInterval: Duration.seconds(30) }),
      timeToLive: Duration.hours(1),
      monitoring: {
        prometheus: { jmxExporterJar: '/prometheus/jmx.jar', port: 8090, portName: 'metrics', configuration: 'rules: []', configFile: '/p.yaml' },
        metricsProperties: '*.sink.x=y',
        metricsPropertiesFile: '/m.properties',
      },
      batchScheduler: BatchScheduler.volcano({ queue: 'etl', priorityClassName: 'high', resources: { cpu: '8', memory: '32Gi' } }),
      serviceAccount: sa,
      memoryOverheadFactor: 0.2,
      proxyUser: 'etl',
      suspend: true,
      uiService: { type: SparkUiServiceType.NODE_PORT, port: 80, portName: 'http-ui', labels: { team: 'etl' }, annotations: { note: 'ui' } },
      uiIngress: { annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' }, tls: [{ hosts: ['*.spark.example.com'], secretName: 'spark-ui-tls' }] },
    });
    const spec = specOf(chart);
    expect(job.serviceAccount).toBe(sa);
    // Field names of kubeflow/spark-operator v2.5.2 api/v1beta2 SparkUIConfiguration.
    expect(spec.sparkUIOptions).toEqual({
      serviceType: 'NodePort',
      servicePort: 80,
      servicePortName: 'http-ui',
      serviceLabels: { team: 'etl' },
      serviceAnnotations: { note: 'ui' },
      ingressAnnotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' },
      ingressTLS: [{ hosts: ['*.spark.example.com'], secretName: 'spark-ui-tls' }],
    });
    expect(spec).toMatchObject({
      type: 'Java',
      image: 'docker.io/apache/spark:3.5.7',
      imagePullPolicy: 'Always',
      imagePullSecrets: ['regcred'],
      sparkVersion: '3.5.7',
      mainClass: 'com.example.Etl',
      arguments: ['--day', '2024-01-01'],
      proxyUser: 'etl',
      memoryOverheadFactor: '0.2',
      sparkConf: { 'spark.sql.shuffle.partitions': '64' },
      hadoopConf: { 'fs.s3a.endpoint': 'http://minio:9000' },
      restartPolicy: { type: 'OnFailure', onFailureRetries: 2, onFailureRetryInterval: 30, onSubmissionFailureRetries: 3, onSubmissionFailureRetryInterval: 20 },
      timeToLiveSeconds: 3600,
      suspend: true,
      volumes: [{ name: 'data', emptyDir: { medium: 'Memory', sizeLimit: '2048Mi' } }, { name: 'conf', configMap: { name: 'job-conf' } }],
      dynamicAllocation: {
        enabled: true, minExecutors: 1, initialExecutors: 2, maxExecutors: 10, shuffleTrackingEnabled: true, shuffleTrackingTimeout: 300000,
      },
      monitoring: { exposeDriverMetrics: true, exposeExecutorMetrics: true, prometheus: { jmxExporterJar: '/prometheus/jmx.jar', port: 8090 } },
      batchScheduler: 'volcano',
      batchSchedulerOptions: { queue: 'etl', priorityClassName: 'high', resources: { cpu: '8', memory: '32Gi' } },
    });
    expect(spec.driver).toMatchObject({
      serviceAccount: 'etl-driver',
      cores: 1,
      coreRequest: '500m',
      coreLimit: '2',
      memory: '2g',
      memoryOverhead: '512m',
      memoryLimit: '2560Mi',
      env: [{ name: 'MODE', value: 'batch' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }],
      envFrom: [{ configMapRef: { name: 'job-env' } }, { secretRef: { name: 'creds' } }],
      volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'conf', mountPath: '/etc/job', readOnly: true, subPath: 'conf' }],
      tolerations: [{ key: 'spark', operator: 'Exists', effect: 'NoSchedule' }],
      hostAliases: [{ ip: '10.0.0.15', hostnames: ['namenode.example.internal'] }],
      terminationGracePeriodSeconds: 45,
      template: { metadata: { labels: { tpl: 'yes' } } },
    });
    expect(spec.executor).toMatchObject({ instances: 3, deleteOnTermination: false });

    // Every field of the model is set by some prop above, or documented as not exposed.
    // (A Python job in a second chart sets the fields that exclude the ones above.)
    const other = new Chart(app, 'other');
    new SparkApplication(other, 'Py', {
      type: SparkApplicationType.PYTHON,
      mainApplicationFile: 'local:///app/main.py',
      nodeSelector: { pool: 'spark' },
      // Not with batchScheduler, which sets the pods' scheduler itself.
      driver: { schedulerName: 'spark-scheduler' },
      executor: { schedulerName: 'spark-scheduler' },
    });
    const otherSpec = specOf(other);
    expect(otherSpec).toMatchObject({
      pythonVersion: '3', nodeSelector: { pool: 'spark' }, driver: { schedulerName: 'spark-scheduler' }, executor: { schedulerName: 'spark-scheduler' },
    });
    const emitted = new Set<string>();
    collectPaths(spec, SPARK_APPLICATION_SPEC, 'spec', emitted);
    collectPaths(otherSpec, SPARK_APPLICATION_SPEC, 'spec', emitted);
    const missing: string[] = [];
    const hidden: string[] = [];
    walkFieldsWithAncestry(SPARK_APPLICATION_SPEC, 'spec', false, (p, notExposed) => {
      if (notExposed) hidden.push(p); else if (!emitted.has(p)) missing.push(p);
    });
    expect(missing).toEqual([]);
    expect(hidden.length).toBeGreaterThan(0);
    // And the rendered spec conforms to the model.
    expect(validateAgainstModel(spec, SPARK_APPLICATION_SPEC, 'spec')).toEqual([]);
  });

  test('restart policies', () => {
    expect(RestartPolicy.never()._toSpec()).toEqual({ type: 'Never' });
    expect(RestartPolicy.always({ retryInterval: Duration.minutes(1) })._toSpec()).toEqual({
      type: 'Always', onFailureRetryInterval: 60, onSubmissionFailureRetries: 3, onSubmissionFailureRetryInterval: 20,
    });
    expect(() => RestartPolicy.onFailure({ retryInterval: Duration.millis(1500) }))
      .toThrow('RestartPolicy.onFailure: invalid retryInterval "1500 ms": a whole number of seconds, at least 1');
    expect(() => RestartPolicy.onFailure({ retries: -1 }))
      .toThrow('RestartPolicy.onFailure: invalid retries -1: an integer of at least 0');
  });

  test('a Python application gets pythonVersion 3 and no main class', () => {
    const { chart } = setup({ type: SparkApplicationType.PYTHON, mainClass: undefined, mainApplicationFile: 'local:///app/main.py' });
    const spec = specOf(chart);
    expect(spec.pythonVersion).toBe('3');
    expect(spec.mainClass).toBeUndefined();
  });

  test('the image goes through the registry override', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    ImageRegistryOverride.apply(chart, ImageRegistryOverride.mirror('mirror.example.com'));
    new SparkApplication(chart, 'Pi', PI);
    expect(specOf(chart).image).toMatch(/^mirror\.example\.com\//);
  });

  test('one ServiceAccount per namespace, shared by the jobs of that namespace', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    const j1 = new SparkApplication(a, 'J1', { ...PI, namespace: 'etl' });
    const j2 = new SparkApplication(b, 'J2', { ...PI, namespace: 'etl' });
    const j3 = new SparkApplication(b, 'J3', { ...PI, namespace: 'ml' });
    expect(j1.serviceAccount).toBe(j2.serviceAccount);
    expect(j3.serviceAccount).not.toBe(j1.serviceAccount);
    expect(Chart.of(j1.serviceAccount)).toBe(a);
    expect(SparkJobs.operatorNamespaces(a)).toEqual(['etl', 'ml']);
  });

  test('escape-hatch patches are validated at synth', () => {
    const { chart, job } = setup({ name: 'pi' });
    job.apiObject.addJsonPatch(JsonPatch.add('/spec/driver/cores', 0));
    job.apiObject.addJsonPatch(JsonPatch.add('/spec/sparkConf', { 'spark.master': 'local' }));
    job.apiObject.addJsonPatch(JsonPatch.add('/spec/driver/coress', 1));
    expect(() => Testing.synth(chart)).toThrow(/test\/Pi: invalid spec\.driver\.cores 0: an integer of at least 1/);
    expect(() => Testing.synth(chart)).toThrow(/invalid sparkConf key "spark\.master": the key is managed by the library/);
    expect(() => Testing.synth(chart)).toThrow(/invalid spec\.driver\.coress 1: no such field in the operator's API/);
  });

  describe('refuses bad input', () => {
    const emptyDir = () => Volume.fromEmptyDir(new App(), 'x', 'x');
    test.each<[string, Partial<SparkApplicationProps>, string]>([
      ['a name too long for -ui-svc', { name: 'a'.repeat(57) },
        `test/Pi: invalid name "${'a'.repeat(57)}": a DNS-1035 label of 1 to 56 characters is required`],
      ['a name starting with a digit', { name: '1pi' }, 'test/Pi: invalid name "1pi": a DNS-1035 label consists of lowercase letters'],
      ['spark.master in sparkConf', { sparkConf: SparkConf.of({ 'spark.master': 'local[*]' }) },
        'test/Pi: invalid sparkConf key "spark.master": the key is managed by the library; set it through nothing: the operator points Spark at the cluster it runs in'],
      ['the image in sparkConf', { sparkConf: SparkConf.of({ 'spark.kubernetes.container.image': 'x:1' }) }, 'set it through the image prop (SparkImage)'],
      ['the driver image in sparkConf', { sparkConf: SparkConf.of({ 'spark.kubernetes.driver.container.image': 'x:1' }) },
        'set it through the image prop (SparkImage)'],
      ['the executor image in sparkConf', { sparkConf: SparkConf.of({ 'spark.kubernetes.executor.container.image': 'x:1' }) },
        'set it through the image prop (SparkImage)'],
      ['the driver ServiceAccount in sparkConf', { sparkConf: SparkConf.of({ 'spark.kubernetes.authenticate.driver.serviceAccountName': 'x' }) },
        'set it through the serviceAccount prop (SparkServiceAccount)'],
      ['the namespace in sparkConf', { sparkConf: SparkConf.of({ 'spark.kubernetes.namespace': 'x' }) }, 'set it through the namespace prop'],
      ['the app name in sparkConf', { sparkConf: SparkConf.of({ 'spark.app.name': 'x' }) }, 'set it through the name prop'],
      ['the executor count in sparkConf', { sparkConf: SparkConf.of({ 'spark.executor.instances': '3' }) }, 'set it through executor.instances'],
      ['a node selector at both levels', { nodeSelector: { pool: 'a' }, executor: { nodeSelector: { pool: 'b' } } },
        'test/Pi: invalid executor.nodeSelector {"pool":"b"}: a node selector on the application and on the driver or executor at once; the operator refuses that, set one of them'],
      ['min executors above initial', { dynamicAllocation: { minExecutors: 3, initialExecutors: 2, maxExecutors: 5 } },
        'test/Pi: invalid dynamicAllocation {"min":3,"initial":2,"max":5}: minExecutors <= initialExecutors <= maxExecutors; minExecutors 3 exceeds initialExecutors 2'],
      ['initial executors above max', { dynamicAllocation: { initialExecutors: 6, maxExecutors: 5 } }, 'initialExecutors 6 exceeds maxExecutors 5'],
      ['no max executors', { dynamicAllocation: { maxExecutors: 0 } }, 'test/Pi: invalid dynamicAllocation.maxExecutors 0: at least 1 executor'],
      ['fractional min executors', { dynamicAllocation: { minExecutors: 1.5, maxExecutors: 3 } },
        'test/Pi: invalid dynamicAllocation.minExecutors 1.5: a whole number of executors'],
      ['a driver limit below memory + overhead', { driver: { memory: SparkMemory.gibibytes(4), memoryLimit: SparkMemory.gibibytes(4) } },
        'test/Pi: invalid driver.memoryLimit "4Gi": at least the container memory Spark requests, memory + overhead = 4505Mi; a lower limit gets the pod OOM-killed'],
      ['an executor limit below memory + overhead',
        { executor: { memory: SparkMemory.gibibytes(1), memoryOverhead: SparkMemory.gibibytes(1), memoryLimit: SparkMemory.mebibytes(2000) } },
        'test/Pi: invalid executor.memoryLimit "2000Mi": at least the container memory Spark requests, memory + overhead = 2Gi'],
      // A Python job is checked with the non-JVM overhead factor (0.4).
      ['a Python executor limit below memory + 40 %',
        {
          type: SparkApplicationType.PYTHON,
          mainClass: undefined,
          executor: { memory: SparkMemory.gibibytes(10), memoryLimit: SparkMemory.gibibytes(12) },
        },
        'memory + overhead = 14Gi'],
      ['no driver cores', { driver: { cores: 0 } }, 'test/Pi: invalid driver.cores 0: a whole number of cores, at least 1'],
      ['fractional executor cores', { executor: { cores: 1.5 } }, 'test/Pi: invalid executor.cores 1.5: a whole number of cores, at least 1'],
      ['no executors', { executor: { instances: 0 } }, 'test/Pi: invalid executor.instances 0: a whole number of executors, at least 1'],
      ['a bad CPU limit', { driver: { coreLimit: '1 core' } }, 'test/Pi: invalid driver.coreLimit "1 core": a Kubernetes CPU quantity'],
      ['a blank application file', { mainApplicationFile: ' ' }, 'test/Pi: invalid mainApplicationFile " ": the application jar, Python or R file'],
      ['a bad class name', { mainClass: 'org..Pi' }, 'test/Pi: invalid mainClass "org..Pi": a fully qualified class name'],
      ['an overhead factor above 1', { memoryOverheadFactor: 1.5 }, 'test/Pi: invalid memoryOverheadFactor 1.5: a fraction greater than 0 and less than 1'],
      ['a prefixed hadoopConf key', { hadoopConf: { 'spark.hadoop.fs.defaultFS': 'x' } },
        'test/Pi: invalid hadoopConf key "spark.hadoop.fs.defaultFS": a Hadoop key without the "spark.hadoop." prefix'],
      ['a fractional time to live', { timeToLive: Duration.millis(500) }, 'test/Pi: invalid timeToLive "500 ms": a whole number of seconds, at least 1'],
      ['a privileged exporter port', { monitoring: { prometheus: { jmxExporterJar: '/j.jar', port: 80 } } },
        'test/Pi: invalid monitoring.prometheus.port 80: a port from 1024 to 65535'],
      ['a bad env name', { driver: { env: { '1X': EnvValue.fromValue('a') } } }, 'test/Pi: invalid driver.env "1X": an environment variable name'],
      ['a relative mount path', { driver: { volumeMounts: [{ volume: emptyDir(), path: 'rel' }] } },
        'test/Pi: invalid driver.volumeMounts "rel": an absolute mount path'],
      ['eventLogOptions without eventLog', { eventLogOptions: {} }, 'test/Pi: invalid eventLogOptions {}: options of an event log: set eventLog'],
      ['an ExternalName UI Service', { uiService: { type: 'ExternalName' as SparkUiServiceType } },
        'test/Pi: invalid uiService.type "ExternalName": one of ClusterIP, NodePort, LoadBalancer'],
      ['UI Service port 0', { uiService: { port: 0 } }, 'test/Pi: invalid uiService.port 0: a port number from 1 to 65535'],
      ['a UI Service port name with capitals', { uiService: { portName: 'HTTP_UI' } }, 'test/Pi: invalid uiService.portName "HTTP_UI": a DNS-1123 label'],
      ['a UI Service label key with a blank', { uiService: { labels: { 'a b': 'x' } } }, 'test/Pi: invalid uiService.labels key "a b": a label key'],
      ['a UI Service annotation that is no string', { uiService: { annotations: { note: 1 as any } } },
        'test/Pi: invalid uiService.annotations["note"] 1: a string'],
      ['a UI Ingress annotation key with a leading dash', { uiIngress: { annotations: { '-x': 'y' } } },
        'test/Pi: invalid uiIngress.annotations key "-x": a label key'],
      ['UI Ingress TLS without hosts', { uiIngress: { tls: [{ hosts: [] }] } }, 'test/Pi: invalid uiIngress.tls[0].hosts []: at least one host name'],
      ['a UI Ingress TLS host with capitals', { uiIngress: { tls: [{ hosts: ['Spark.example.com'] }] } },
        'test/Pi: invalid uiIngress.tls[0].hosts "Spark.example.com": a host name'],
      ['a UI Ingress TLS Secret name with a blank', { uiIngress: { tls: [{ hosts: ['ui.example.com'], secretName: 'ui tls' }] } },
        'test/Pi: invalid uiIngress.tls[0].secretName "ui tls": a DNS-1123 subdomain'],
    ])('%s', (_case, props, message) => {
      expect(() => setup(props)).toThrow(message);
    });

    test('the longest name fits', () => {
      expect(setup({ name: 'a'.repeat(56) }).job.name).toHaveLength(56);
      expect(setup({ driver: { memory: SparkMemory.gibibytes(4), memoryLimit: SparkMemory.mebibytes(4505) } }).job).toBeDefined();
    });

    test('a bad quantity in a batch scheduler', () => {
      expect(() => BatchScheduler.volcano({ resources: { cpu: 'lots' } }))
        .toThrow('BatchScheduler.volcano: invalid resources.cpu "lots": a Kubernetes quantity');
    });

    test('namespace consistency with the ServiceAccount', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'test');
      const sa = new SparkServiceAccount(chart, 'Sa', { namespace: 'ml' });
      expect(() => new SparkApplication(chart, 'Pi', { ...PI, namespace: 'etl', serviceAccount: sa }))
        .toThrow('test/Pi: invalid serviceAccount "test/Sa": a SparkServiceAccount in the application\'s namespace "etl" (it is in "ml")');
      expect(() => new SparkApplication(chart, 'Bad', { ...PI, namespace: 'Etl' }))
        .toThrow('test/Bad: invalid namespace "Etl": a DNS-1123 label consists of lowercase letters');
    });

    test('two different volumes with one name', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'test');
      const a = Volume.fromEmptyDir(chart, 'A', 'data');
      const b = Volume.fromEmptyDir(chart, 'B', 'data');
      expect(() => new SparkApplication(chart, 'Pi', { ...PI, volumes: [a], driver: { volumeMounts: [{ volume: b, path: '/d' }] } }))
        .toThrow('test/Pi: invalid driver.volumeMounts "data": volumes with distinct names; "data" names two different volumes');
    });
  });
});

function collectPaths(value: any, field: Field, at: string, out: Set<string>): void {
  if (value === undefined) return;
  out.add(at);
  if (field.kind === 'object' || (field.kind === 'opaque' && field.properties)) {
    for (const [k, f] of Object.entries(field.properties ?? {})) collectPaths(value[k], f, `${at}.${k}`, out);
  } else if (field.kind === 'array' && Array.isArray(value)) {
    for (const item of value) collectPaths(item, field.items!, `${at}[]`, out);
  } else if (field.kind === 'map' && value && typeof value === 'object') {
    for (const item of Object.values(value)) collectPaths(item, field.items!, `${at}{}`, out);
  }
}

function walkFieldsWithAncestry(field: Field, at: string, hidden: boolean, visit: (p: string, notExposed: boolean) => void): void {
  const notExposed = hidden || field.notExposed !== undefined;
  visit(at, notExposed);
  if (field.kind === 'object' || field.kind === 'opaque') {
    for (const [k, f] of Object.entries(field.properties ?? {})) walkFieldsWithAncestry(f, `${at}.${k}`, notExposed, visit);
  } else if (field.items) {
    walkFieldsWithAncestry(field.items, `${at}${field.kind === 'array' ? '[]' : '{}'}`, notExposed, visit);
  }
}

// walkFields is the model's own traversal; keep it exercised.
test('walkFields visits nested fields with their paths', () => {
  const paths: string[] = [];
  walkFields(SPARK_APPLICATION_SPEC, 'spec', (p) => paths.push(p));
  expect(paths).toEqual(expect.arrayContaining(['spec.driver.cores', 'spec.volumes[]', 'spec.sparkConf{}', 'spec.deps.jars[]']));
  expect(ApiObject).toBeDefined();
  expect(k8s).toBeDefined();
});
