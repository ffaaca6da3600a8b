import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, EnvValue, k8s, PersistentVolumeAccessMode, PersistentVolumeClaim, Secret, Volume } from 'cdk8s-plus-28';
import {
  DeployMode, EventLogStore, SparkApplicationType, SparkConf, SparkImage, SparkJobs, SparkMemory, SparkServiceAccount, SparkSubmitJob,
  SparkSubmitJobProps,
} from '../../src';
import { s3Image } from '../harness/images';
import { synthValid } from '../harness/manifests';
import { checkScript } from '../harness/scripts';
import { pairsAfter } from '../harness/spark-operator';
import { parseYamlDocuments } from '../harness/yaml';

const PI: SparkSubmitJobProps = {
  type: SparkApplicationType.SCALA,
  image: SparkImage.apache(),
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.13-4.0.4.jar',
};

function setup(props: Partial<SparkSubmitJobProps> = {}, chartNamespace?: string) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: chartNamespace });
  const job = new SparkSubmitJob(chart, 'Pi', { ...PI, ...props } as SparkSubmitJobProps);
  return { app, chart, job };
}

/** The `--conf` pairs of spark-submit arguments. */
const confOf = (args: string[]) => pairsAfter(args, '--conf');

function parts(chart: Chart) {
  const manifests = synthValid(chart);
  const job = manifests.find((m) => m.kind === 'Job');
  const configMap = manifests.find((m) => m.kind === 'ConfigMap');
  const pod = job.spec.template.spec;
  const container = pod.containers[0];
  const template = (file: string) => (configMap.data[file] === undefined ? undefined : parseYamlDocuments(configMap.data[file])[0]);
  return {
    manifests,
    job,
    configMap,
    pod,
    container,
    conf: confOf(container.args),
    driverTemplate: template('driver-pod-template.yaml'),
    executorTemplate: template('executor-pod-template.yaml'),
  };
}

describe('SparkSubmitJob', () => {
  test('defaults (snapshot): cluster-mode spark-pi on the Apache image', () => {
    const { chart } = setup({ arguments: ['1000'] });
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('a Job whose one pod runs spark-submit in cluster mode against the in-cluster API server', () => {
    const { chart, job } = setup({ arguments: ['1000'] });
    const { manifests, job: kubeJob, pod, container, conf } = parts(chart);
    expect(manifests.map((m) => m.kind).sort()).toEqual(
      ['ConfigMap', 'Job', 'Role', 'Role', 'RoleBinding', 'RoleBinding', 'ServiceAccount', 'ServiceAccount']);
    expect(job.name).toMatch(/^test-pi-[0-9a-f]{8}$/);
    expect(kubeJob.metadata).toMatchObject({ name: job.name, namespace: 'default' });
    expect(kubeJob.spec).toMatchObject({ backoffLimit: 0, template: { spec: { restartPolicy: 'Never' } } });
    expect(kubeJob.spec.parallelism ?? 1).toBe(1);
    expect(kubeJob.spec.activeDeadlineSeconds).toBeUndefined();
    expect(kubeJob.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(pod.containers).toHaveLength(1);
    expect(container.image).toBe('docker.io/apache/spark:4.0.4');
    expect(container.command).toEqual(['/bin/bash', '/etc/spark-submit/spark-submit.sh']);
    expect(container.args.slice(0, 8)).toEqual([
      '--master', 'k8s://https://kubernetes.default.svc:443', '--deploy-mode', 'cluster',
      '--conf', 'spark.kubernetes.driver.pod.name=$(SPARK_DRIVER_POD_NAME)',
      '--class', 'org.apache.spark.examples.SparkPi',
    ]);
    expect(container.args.slice(-2)).toEqual(['local:///opt/spark/examples/jars/spark-examples_2.13-4.0.4.jar', '1000']);
    expect(conf).toMatchObject({
      'spark.app.name': job.name,
      'spark.kubernetes.namespace': 'default',
      'spark.kubernetes.container.image': 'docker.io/apache/spark:4.0.4',
      'spark.kubernetes.container.image.pullPolicy': 'IfNotPresent',
      'spark.kubernetes.authenticate.driver.serviceAccountName': 'spark-driver',
      'spark.kubernetes.submission.waitAppCompletion': 'true',
      'spark.kubernetes.driver.podTemplateFile': '/tmp/spark-submit/driver-pod-template.yaml',
      'spark.kubernetes.executor.podTemplateFile': '/etc/spark-submit/executor-pod-template.yaml',
      'spark.driver.cores': '1',
      'spark.driver.memory': '512m',
      'spark.executor.cores': '1',
      'spark.executor.memory': '512m',
      'spark.executor.instances': '1',
    });
    // The exposed conf is what spark-submit gets (master and deploy mode as flags).
    const { ['spark.kubernetes.driver.pod.name']: perRun, ...fixed } = conf;
    expect(perRun).toBe('$(SPARK_DRIVER_POD_NAME)');
    expect({ ...fixed, 'spark.master': container.args[1], 'spark.submit.deployMode': container.args[3] }).toEqual(job.conf.toRecord());
    // The driver pod is named after the submit pod, so every run (and retry) has its own.
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom.fieldRef.fieldPath]));
    expect(env).toMatchObject({
      SPARK_SUBMIT_POD_NAME: 'metadata.name',
      SPARK_SUBMIT_POD_UID: 'metadata.uid',
      SPARK_SUBMIT_NAMESPACE: 'metadata.namespace',
      SPARK_DRIVER_POD_NAME: '$(SPARK_SUBMIT_POD_NAME)-driver',
      HOME: '/tmp',
    });
    expect(job.managedByOperator).toBe(false);
    expect(job.jobNamespace).toBe('default');
    expect(SparkJobs.all(chart)).toEqual([job]);
    expect(SparkJobs.operatorNamespaces(chart)).toEqual([]);
    expect(job.mode).toBe(DeployMode.CLUSTER);
  });

  test('the submit pod: own ServiceAccount with the API token, restricted, read-only root, small default resources', () => {
    const { chart, job } = setup();
    const { pod, container } = parts(chart);
    expect(pod.serviceAccountName).toBe(`${job.name}-submit`);
    expect(job.submitterServiceAccount!.name).toBe(`${job.name}-submit`);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true, runAsUser: 185, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'spark-submit', mountPath: '/etc/spark-submit', readOnly: true },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'spark-submit', configMap: { name: `${job.name}-submit`, defaultMode: 0o444 } },
    ]);
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
    const sized = setup({
      submitterResources: { cpu: { request: Cpu.millis(250) }, memory: { limit: Size.gibibytes(1), request: Size.gibibytes(1) } },
    });
    expect(parts(sized.chart).container.resources)
      .toEqual({ requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1Gi' } });
  });

  test('least-privilege RBAC for the submitter; the driver keeps its own SparkServiceAccount', () => {
    const rulesOf = (chart: Chart, job: SparkSubmitJob) => {
      const role = synthValid(chart).find((m) => m.kind === 'Role' && m.metadata.name === `${job.name}-submit`);
      return Object.fromEntries(role.rules.map((r: any) => [r.resources.join(','), r.verbs.join(',')]));
    };
    const { chart, job } = setup();
    expect(rulesOf(chart, job)).toEqual({
      'pods': 'create,delete,get,list,watch',
      'configmaps,services': 'create,delete,get,patch',
    });
    const manifests = synthValid(chart);
    const binding = manifests.find((m) => m.kind === 'RoleBinding' && m.metadata.name === `${job.name}-submit`);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: `${job.name}-submit`, namespace: 'default' }]);
    for (const role of manifests.filter((m) => m.kind === 'Role')) {
      for (const rule of role.rules) {
        expect(rule.apiGroups).toEqual(['']);
        expect(rule.resources).not.toContain('secrets');
        expect(rule.verbs).not.toContain('*');
      }
    }
    expect(job.driverServiceAccount).toBe(SparkServiceAccount.forNamespace(chart, 'default'));
    // Spark 3 replaces the driver's ConfigMaps and Service (update); on-demand driver claims need PVC rights.
    const spark3 = setup({
      image: SparkImage.apache('3.5.7'),
      sparkConf: SparkConf.of({ 'spark.kubernetes.driver.volumes.persistentVolumeClaim.data.options.claimName': 'OnDemand' }),
    });
    expect(rulesOf(spark3.chart, spark3.job)).toEqual({
      'pods': 'create,delete,get,list,watch',
      'configmaps,services': 'create,delete,get,patch,update',
      'persistentvolumeclaims': 'create,delete,get,patch,update',
    });
  });

  test('driver and executor pods are restricted through pod templates; the driver is owned by the submit pod', () => {
    const { chart, job } = setup();
    const { driverTemplate, executorTemplate } = parts(chart);
    const restrictedPod = { runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185, seccompProfile: { type: 'RuntimeDefault' } };
    const restrictedContainer = {
      runAsNonRoot: true,
      runAsUser: 185,
      runAsGroup: 185,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
    expect(driverTemplate).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
    expect(driverTemplate.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: '@SUBMIT_POD_NAME@', uid: '@SUBMIT_POD_UID@' }]);
    expect(driverTemplate.metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': job.name, 'app.kubernetes.io/component': 'driver' });
    expect(driverTemplate.spec.securityContext).toEqual(restrictedPod);
    expect(driverTemplate.spec.containers).toEqual([{ name: 'spark-kubernetes-driver', securityContext: restrictedContainer }]);
    expect(driverTemplate.spec.automountServiceAccountToken).toBeUndefined();
    expect(executorTemplate.metadata.ownerReferences).toBeUndefined();
    expect(executorTemplate.metadata.labels['app.kubernetes.io/component']).toBe('executor');
    expect(executorTemplate.spec).toEqual({
      containers: [{ name: 'spark-kubernetes-executor', securityContext: restrictedContainer }],
      securityContext: restrictedPod,
      automountServiceAccountToken: false,
    });
  });

  test('driver and executor props: Spark resources in the conf, the rest in the pod templates', () => {
    const data = Volume.fromEmptyDir(new Chart(Testing.app(), 'v'), 'Data', 'data');
    const secret = Secret.fromSecretName(new Chart(Testing.app(), 's'), 'S', 'db');
    const { chart } = setup({
      driver: {
        cores: 2,
        coreRequest: '500m',
        coreLimit: '2',
        memory: SparkMemory.gibibytes(2),
        memoryOverhead: SparkMemory.mebibytes(512),
        javaOptions: '-XX:+UseG1GC',
        env: { MODE: EnvValue.fromValue('batch') },
        envFromSecrets: [secret],
        volumeMounts: [{ volume: data, path: '/data', readOnly: true }],
        labels: { team: 'etl' },
        annotations: { note: 'x' },
        nodeSelector: { pool: 'spark' },
        tolerations: [{ key: 'spark', operator: 'Exists', effect: 'NoSchedule' }],
        priorityClassName: 'batch',
      },
      executor: {
        instances: 3,
        cores: 4,
        memory: SparkMemory.gibibytes(8),
        deleteOnTermination: false,
        template: {
          metadata: { labels: { sidecar: 'yes' } },
          spec: { containers: [{ name: 'log-shipper', image: 'example/shipper:1.0' }], terminationGracePeriodSeconds: 60 },
        },
      },
      memoryOverheadFactor: 0.2,
    });
    const { conf, driverTemplate, executorTemplate } = parts(chart);
    expect(conf).toMatchObject({
      'spark.driver.cores': '2',
      'spark.kubernetes.driver.request.cores': '500m',
      'spark.kubernetes.driver.limit.cores': '2',
      'spark.driver.memory': '2g',
      'spark.driver.memoryOverhead': '512m',
      'spark.driver.extraJavaOptions': '-XX:+UseG1GC',
      'spark.executor.instances': '3',
      'spark.executor.cores': '4',
      'spark.executor.memory': '8g',
      'spark.kubernetes.executor.deleteOnTermination': 'false',
      'spark.driver.memoryOverheadFactor': '0.2',
      'spark.executor.memoryOverheadFactor': '0.2',
    });
    expect(driverTemplate.metadata.labels.team).toBe('etl');
    expect(driverTemplate.metadata.annotations).toEqual({ note: 'x' });
    expect(driverTemplate.spec).toMatchObject({
      nodeSelector: { pool: 'spark' },
      tolerations: [{ key: 'spark', operator: 'Exists', effect: 'NoSchedule' }],
      priorityClassName: 'batch',
      volumes: [{ name: 'data', emptyDir: {} }],
    });
    expect(driverTemplate.spec.containers[0]).toMatchObject({
      env: [{ name: 'MODE', value: 'batch' }],
      envFrom: [{ secretRef: { name: 'db' } }],
      volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
    });
    // The user's template is the base: its sidecar and settings stay, Spark's container is added by name.
    expect(executorTemplate.metadata.labels).toMatchObject({ 'sidecar': 'yes', 'app.kubernetes.io/component': 'executor' });
    expect(executorTemplate.spec.terminationGracePeriodSeconds).toBe(60);
    expect(executorTemplate.spec.containers.map((c: any) => c.name)).toEqual(['spark-kubernetes-executor', 'log-shipper']);
    expect(conf['spark.kubernetes.executor.podTemplateContainerName']).toBe('spark-kubernetes-executor');
  });

  test('dependencies, dynamic allocation and Python applications', () => {
    const { chart } = setup({
      type: SparkApplicationType.PYTHON,
      mainClass: undefined,
      mainApplicationFile: 's3a://jobs/etl/main.py',
      deps: {
        pyFiles: ['s3a://jobs/etl/lib.zip'],
        jars: ['local:///opt/spark/jars-extra/pg.jar'],
        files: ['https://example.com/a.conf'],
        archives: ['s3a://jobs/env.tar.gz#env'],
        packages: ['org.apache.hadoop:hadoop-aws:3.4.1'],
        excludePackages: ['com.amazonaws:aws-java-sdk-bundle'],
        repositories: ['https://repo.example.com/maven'],
      },
      dynamicAllocation: { minExecutors: 1, initialExecutors: 2, maxExecutors: 10, shuffleTrackingTimeout: Duration.minutes(30) },
    });
    const { conf, container } = parts(chart);
    expect(container.args).not.toContain('--class');
    expect(container.args[container.args.length - 1]).toBe('s3a://jobs/etl/main.py');
    expect(conf).toMatchObject({
      'spark.submit.pyFiles': 's3a://jobs/etl/lib.zip',
      'spark.jars': 'local:///opt/spark/jars-extra/pg.jar',
      'spark.files': 'https://example.com/a.conf',
      'spark.archives': 's3a://jobs/env.tar.gz#env',
      'spark.jars.packages': 'org.apache.hadoop:hadoop-aws:3.4.1',
      'spark.jars.excludes': 'com.amazonaws:aws-java-sdk-bundle',
      'spark.jars.repositories': 'https://repo.example.com/maven',
      'spark.dynamicAllocation.enabled': 'true',
      'spark.dynamicAllocation.shuffleTracking.enabled': 'true',
      'spark.dynamicAllocation.minExecutors': '1',
      'spark.dynamicAllocation.initialExecutors': '2',
      'spark.dynamicAllocation.maxExecutors': '10',
      'spark.dynamicAllocation.shuffleTracking.timeout': '30min',
    });
    expect(conf['spark.executor.instances']).toBeUndefined();
  });

  test('event log on S3: Spark conf plus credentials as Secret references into the driver', () => {
    const secret = Secret.fromSecretName(new Chart(Testing.app(), 's'), 'S', 's3-keys');
    const store = EventLogStore.s3({ bucket: 'logs', endpoint: 'http://minio.storage.svc:9000', pathStyleAccess: true, credentials: { secret } });
    const { chart, job } = setup({ eventLog: store, image: s3Image() });
    const { conf, container, configMap } = parts(chart);
    expect(conf).toMatchObject({
      'spark.eventLog.enabled': 'true',
      'spark.eventLog.dir': 's3a://logs/spark-events',
      'spark.hadoop.fs.s3a.endpoint': 'http://minio.storage.svc:9000',
      'spark.hadoop.fs.s3a.path.style.access': 'true',
      'spark.kubernetes.driver.secretKeyRef.AWS_ACCESS_KEY_ID': 's3-keys:AWS_ACCESS_KEY_ID',
      'spark.kubernetes.driver.secretKeyRef.AWS_SECRET_ACCESS_KEY': 's3-keys:AWS_SECRET_ACCESS_KEY',
    });
    expect(job.eventLog).toBe(store);
    // Never a literal credential anywhere, and none in the submit pod.
    expect(JSON.stringify(synthValid(chart))).not.toMatch(/driverEnv\.AWS|fs\.s3a\.(access|secret)\.key/);
    expect(container.env.map((e: any) => e.name)).not.toContain('AWS_ACCESS_KEY_ID');
    expect(configMap.data['driver-pod-template.yaml']).not.toContain('AWS_');
  });

  test('event log on a PVC: the claim is mounted into the driver through Spark volume conf', () => {
    const claim = new PersistentVolumeClaim(new Chart(Testing.app(), 'p'), 'Logs', {
      metadata: { name: 'spark-logs' }, accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY], storage: Size.gibibytes(10),
    });
    const { chart } = setup({ eventLog: EventLogStore.pvc({ claim, subPath: 'events' }) });
    expect(parts(chart).conf).toMatchObject({
      'spark.eventLog.dir': 'file:///var/spark-events',
      'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-event-logs.options.claimName': 'spark-logs',
      'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-event-logs.mount.path': '/var/spark-events',
      'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-event-logs.mount.subPath': 'events',
      'spark.kubernetes.driver.volumes.persistentVolumeClaim.spark-event-logs.mount.readOnly': 'false',
    });
  });

  test('event log on a local store: an emptyDir at the log directory of the driver', () => {
    const { chart } = setup({ eventLog: EventLogStore.local('/tmp/spark-events') });
    const conf = parts(chart).conf;
    expect(conf).toMatchObject({
      'spark.eventLog.dir': 'file:///tmp/spark-events',
      'spark.kubernetes.driver.volumes.emptyDir.spark-event-logs.mount.path': '/tmp/spark-events',
    });
    expect(Object.keys(conf).filter((k) => k.includes('persistentVolumeClaim'))).toEqual([]);
  });

  test('typed sparkConf is merged, and may override the defaults the construct leaves open', () => {
    const { chart } = setup({ sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '64', 'spark.kubernetes.report.interval': '5s' }) });
    expect(parts(chart).conf).toMatchObject({ 'spark.sql.shuffle.partitions': '64', 'spark.kubernetes.report.interval': '5s' });
    expect(parts(setup().chart).conf['spark.kubernetes.report.interval']).toBe('30s');
  });

  test.each<[string, SparkConf, string]>([
    ['a key a typed prop sets', SparkConf.of({ 'spark.executor.memory': '4g' }, 'team conf'),
      'test/Pi: invalid sparkConf key "spark.executor.memory": a key no typed prop sets: set it through the executor.memory prop'],
    ['a key the construct manages', SparkConf.of({ 'spark.kubernetes.submission.waitAppCompletion': 'false' }),
      'test/Pi: invalid sparkConf key "spark.kubernetes.submission.waitAppCompletion": the key is managed by the construct'],
    ['the per-run driver pod name', SparkConf.of({ 'spark.kubernetes.driver.pod.name': 'fixed' }),
      'invalid sparkConf key "spark.kubernetes.driver.pod.name": the key is managed by the construct; set it through nothing: each run names'],
    ['the driver pod template', SparkConf.of({ 'spark.kubernetes.driver.podTemplateFile': '/x.yaml' }),
      'invalid sparkConf key "spark.kubernetes.driver.podTemplateFile": the key is managed by the construct; set it through the driver props'],
  ])('sparkConf refuses %s', (_case, sparkConf, message) => {
    expect(() => setup({ sparkConf })).toThrow(message);
  });

  test('arguments reach the application verbatim: $(VAR) is protected from kubelet expansion', () => {
    const { chart } = setup({ arguments: ['$(HOME)', 'plain'], sparkConf: SparkConf.of({ 'spark.executorEnv.X': '$(Y)' }) });
    const { container } = parts(chart);
    expect(container.args.slice(-2)).toEqual(['$$(HOME)', 'plain']);
    expect(container.args).toContain('spark.executorEnv.X=$$(Y)');
    expect(container.args).toContain('spark.kubernetes.driver.pod.name=$(SPARK_DRIVER_POD_NAME)');
  });

  test('Job settings: retries, deadline, TTL, pod failure policy, namespace, image pull secrets', () => {
    const pull = Secret.fromSecretName(new Chart(Testing.app(), 's'), 'S', 'registry');
    const { chart } = setup({
      namespace: 'etl',
      image: SparkImage.apache('4.0.4', { pullSecrets: [pull] }),
      backoffLimit: 2,
      activeDeadline: Duration.hours(2),
      ttlAfterFinished: Duration.days(1),
      podFailurePolicy: {
        rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [SparkSubmitJob.EXIT_DRIVER_FAILED] }, onPodConditions: [] }],
      },
    });
    const { job, pod, conf, manifests } = parts(chart);
    expect(job.metadata.namespace).toBe('etl');
    expect(job.spec).toMatchObject({
      backoffLimit: 2,
      activeDeadlineSeconds: 7200,
      ttlSecondsAfterFinished: 86400,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [3] } }] },
    });
    expect(pod.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(conf['spark.kubernetes.container.image.pullSecrets']).toBe('registry');
    expect(conf['spark.kubernetes.namespace']).toBe('etl');
    expect(manifests.every((m) => m.metadata.namespace === 'etl')).toBe(true);
    expect(SparkSubmitJob.EXIT_OUTCOME_UNKNOWN).toBe(4);
  });

  test('client mode: the submit pod is the driver, behind a headless Service, with the driver\'s ServiceAccount', () => {
    const secret = Secret.fromSecretName(new Chart(Testing.app(), 's'), 'S', 's3-keys');
    const { chart, job } = setup({
      mode: DeployMode.CLIENT,
      clientMode: { driverPort: 17078 },
      driver: { memory: SparkMemory.gibibytes(1), coreRequest: '500m' },
      eventLog: EventLogStore.s3({ bucket: 'logs', credentials: { secret } }),
      image: s3Image(),
    });
    const { manifests, pod, container, conf, configMap } = parts(chart);
    expect(job.mode).toBe(DeployMode.CLIENT);
    expect(job.submitterServiceAccount).toBeUndefined();
    expect(manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => m.metadata.name)).toEqual(['spark-driver']);
    expect(pod.serviceAccountName).toBe('spark-driver');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(container.command).toEqual(['/opt/spark/bin/spark-submit']);
    expect(container.args.slice(0, 6)).toEqual([
      '--master', 'k8s://https://kubernetes.default.svc:443', '--deploy-mode', 'client',
      '--conf', 'spark.kubernetes.driver.pod.name=$(SPARK_DRIVER_POD_NAME)',
    ]);
    const service = manifests.find((m) => m.kind === 'Service');
    expect(service.metadata.name).toBe(`${job.name}-driver`);
    expect(service.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(service.spec.ports.map((p: any) => p.port)).toEqual([17078, 7079, 4040]);
    expect(pod.containers[0].ports.map((p: any) => p.containerPort)).toEqual([17078, 7079, 4040]);
    // The Service selects exactly the submit pods of this job.
    expect(Object.entries(service.spec.selector).every(([k, v]) => job.driverService && pod && (manifests.find((m) => m.kind === 'Job')
      .spec.template.metadata.labels[k] === v))).toBe(true);
    expect(conf).toMatchObject({
      'spark.driver.host': `${job.name}-driver.default.svc`,
      'spark.driver.bindAddress': '0.0.0.0',
      'spark.driver.port': '17078',
      'spark.blockManager.port': '7079',
      'spark.ui.port': '4040',
      'spark.driver.memory': '1g',
    });
    expect(conf['spark.kubernetes.submission.waitAppCompletion']).toBeUndefined();
    expect(conf['spark.kubernetes.driver.podTemplateFile']).toBeUndefined();
    expect(conf['spark.driver.cores']).toBeUndefined();
    expect(Object.keys(configMap.data)).toEqual(['executor-pod-template.yaml']);
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.valueFrom ?? e.value]));
    expect(env.SPARK_DRIVER_POD_NAME).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(env.AWS_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: 's3-keys', key: 'AWS_ACCESS_KEY_ID' } });
    // Heap + Spark's overhead rule (max(10%, 384 MiB)); no CPU limit unless asked.
    expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '1408Mi' }, limits: { memory: '1408Mi' } });
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    const noUi = setup({ mode: DeployMode.CLIENT, clientMode: { ui: false } });
    expect(parts(noUi.chart).conf['spark.ui.enabled']).toBe('false');
  });

  test.each<[string, Partial<SparkSubmitJobProps>, string]>([
    ['a driver overhead above its heap', { driver: { memory: SparkMemory.mebibytes(512), memoryOverhead: SparkMemory.gibibytes(1) } },
      'test/Pi: invalid driver.memoryOverhead "1g": an overhead no larger than the heap (driver.memory = 512m)'],
    ['an executor overhead above its heap', { executor: { memoryOverhead: SparkMemory.gibibytes(1) } }, 'test/Pi: invalid executor.memoryOverhead "1g"'],
    ['negative retries', { backoffLimit: -1 }, 'test/Pi: invalid backoffLimit -1: a whole number of retries, at least 0'],
    ['fractional retries', { backoffLimit: 1.5 }, 'invalid backoffLimit 1.5'],
    ['a relative application file', { mainApplicationFile: 'examples/spark-examples.jar' },
      'test/Pi: invalid mainApplicationFile "examples/spark-examples.jar": an absolute URI with a scheme'],
    ['local:// with a relative path', { mainApplicationFile: 'local://opt/x.jar' }, 'local:// takes an absolute path'],
    ['file:// in cluster mode', { mainApplicationFile: 'file:///work/x.jar' }, 'file:// names the submit pod\'s own filesystem'],
    ['a jar for a Python application', { type: SparkApplicationType.PYTHON, mainClass: undefined, mainApplicationFile: 'local:///app/main.jar' },
      'invalid mainApplicationFile "local:///app/main.jar": a Python file ending in .py'],
    ['no main class for a jar', { mainClass: undefined }, 'test/Pi: invalid mainClass (undefined): the entry class of the jar'],
    ['a main class for a Python application', { type: SparkApplicationType.PYTHON, mainApplicationFile: 'local:///app/main.py' },
      'invalid mainClass "org.apache.spark.examples.SparkPi": no main class for a Python application'],
    ['a relative jar', { deps: { jars: ['lib.jar'] } }, 'invalid deps.jars "lib.jar"'],
    ['a package without a version', { deps: { packages: ['org.postgresql:postgresql'] } }, 'invalid deps.packages "org.postgresql:postgresql": Maven coordinates'],
    ['Python files for a Scala application', { deps: { pyFiles: ['local:///a.py'] } }, 'invalid deps.pyFiles'],
    ['a driver memory limit', { driver: { memoryLimit: SparkMemory.gibibytes(2) } }, 'invalid driver.memoryLimit "2Gi": no memory limit'],
    ['no driver cores', { driver: { cores: 0 } }, 'invalid driver.cores 0'],
    ['no executors', { executor: { instances: 0 } }, 'invalid executor.instances 0'],
    ['min executors above max', { dynamicAllocation: { minExecutors: 5, maxExecutors: 2 } }, 'invalid dynamicAllocation'],
    ['a fractional deadline', { activeDeadline: Duration.millis(1500) }, 'invalid activeDeadline "1500 ms": a whole number of seconds, at least 1'],
    ['a name too long', { name: 'a'.repeat(51) }, 'test/Pi: invalid name'],
    ['clientMode in cluster mode', { clientMode: { driverPort: 7078 } },
      'invalid clientMode {"driverPort":7078}: clientMode only together with mode: DeployMode.CLIENT'],
    ['a privileged driver port', { mode: DeployMode.CLIENT, clientMode: { driverPort: 80 } }, 'invalid clientMode.driverPort 80: a port from 1024 to 65535'],
    ['a driver port above 65535', { mode: DeployMode.CLIENT, clientMode: { driverPort: 70000 } }, 'invalid clientMode.driverPort 70000'],
    ['the block manager on the driver port', { mode: DeployMode.CLIENT, clientMode: { blockManagerPort: 7078 } },
      'invalid clientMode.blockManagerPort 7078: a port other than clientMode.driverPort (7078)'],
    ['the UI on the block manager port', { mode: DeployMode.CLIENT, clientMode: { uiPort: 7079 } },
      'invalid clientMode.uiPort 7079: a port other than clientMode.blockManagerPort (7079)'],
    ['a UI port with the UI off', { mode: DeployMode.CLIENT, clientMode: { ui: false, uiPort: 4041 } }, 'invalid clientMode.uiPort 4041: no UI port when the UI is off'],
    ['a driver template in client mode', { mode: DeployMode.CLIENT, driver: { template: { spec: { containers: [] } } } }, 'invalid driver.template'],
    ['submitter resources in client mode', { mode: DeployMode.CLIENT, submitterResources: { cpu: { limit: Cpu.units(2) } } },
      'invalid submitterResources {"cpu":{"limit":{"amount":"2"}}}: no submitter resources in client mode'],
    // Two volumes of one name make the pod invalid (kubernetes/kubernetes pkg/apis/core/validation/validation.go,
    // ValidateVolumes: field.Duplicate): in client mode the driver's volumes join the submit pod's own.
    ['a client-mode driver volume named like the submit pod\'s /tmp',
      { mode: DeployMode.CLIENT, driver: { volumeMounts: [{ volume: Volume.fromEmptyDir(new Chart(Testing.app(), 'v'), 'V', 'tmp'), path: '/scratch' }] } },
      'test/Pi: invalid driver.volumeMounts "tmp": a volume name other than those the submit pod has of its own (tmp, spark-submit)'],
    ['a client-mode driver volume named like the submit pod\'s ConfigMap',
      { mode: DeployMode.CLIENT, driver: { volumeMounts: [{ volume: Volume.fromEmptyDir(new Chart(Testing.app(), 'v'), 'V', 'spark-submit'), path: '/x' }] } },
      'invalid driver.volumeMounts "spark-submit"'],
    ['a client-mode driver volume named like the event log store\'s',
      {
        mode: DeployMode.CLIENT,
        eventLog: EventLogStore.local('/tmp/spark-events'),
        driver: { volumeMounts: [{ volume: Volume.fromEmptyDir(new Chart(Testing.app(), 'v'), 'V', 'spark-event-logs'), path: '/x' }] },
      },
      'invalid driver.volumeMounts "spark-event-logs": a volume name other than those the submit pod has of its own (tmp, spark-submit, spark-event-logs)'],
    ['a ServiceAccount of another namespace',
      { serviceAccount: new SparkServiceAccount(new Chart(Testing.app(), 'o'), 'Sa', { namespace: 'ml' }) },
      'test/Pi: invalid serviceAccount "o/Sa": a SparkServiceAccount in the Job\'s namespace "default"'],
  ])('refuses %s, naming path, property, value and what is allowed', (_case, props, message) => {
    expect(() => setup(props)).toThrow(message);
  });
});

describe('SparkSubmitJob: the submit pod is rendered at synth', () => {
  test('client mode: the user\'s driver security contexts are the submit pod\'s, exactly as given; without them it is restricted', () => {
    const podSecurityContext = { runAsUser: 2000, runAsGroup: 2000, runAsNonRoot: true, fsGroup: 2000 };
    const securityContext = { readOnlyRootFilesystem: false, runAsNonRoot: true, allowPrivilegeEscalation: false };
    const { pod, container } = parts(setup({ mode: DeployMode.CLIENT, driver: { podSecurityContext, securityContext } }).chart);
    expect(pod.securityContext).toEqual(podSecurityContext);
    expect(container.securityContext).toEqual(securityContext);
    const restricted = parts(setup({ mode: DeployMode.CLIENT }).chart);
    expect(restricted.pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(restricted.container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 185,
      runAsGroup: 185,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    // In cluster mode the driver's contexts shape the driver pod (its template), never the submit pod.
    const cluster = parts(setup({ driver: { podSecurityContext, securityContext } }).chart);
    expect(cluster.pod.securityContext).toEqual(restricted.pod.securityContext);
    expect(cluster.container.securityContext).toEqual(restricted.container.securityContext);
    expect(cluster.driverTemplate.spec.securityContext).toEqual(podSecurityContext);
    expect(cluster.driverTemplate.spec.containers[0].securityContext).toEqual(securityContext);
  });

  test('client mode: added arguments, conf and variables render byte for byte what the props give', () => {
    const build = (late: boolean) => {
      const app = Testing.app();
      const chart = new Chart(app, 'test');
      const job = new SparkSubmitJob(chart, 'Pi', {
        ...PI,
        mode: DeployMode.CLIENT,
        arguments: late ? ['1'] : ['1', '2'],
        sparkConf: SparkConf.of(late ? {} : { 'spark.sql.shuffle.partitions': '64' }),
        driver: { env: late ? { A: EnvValue.fromValue('a') } : { A: EnvValue.fromValue('a'), B: EnvValue.fromValue('b') } },
        executor: { env: late ? {} : { C: EnvValue.fromValue('c') } },
      });
      if (late) {
        job.addArgument('2');
        job.addSparkConf('spark.sql.shuffle.partitions', '64');
        job.addDriverEnv('B', EnvValue.fromValue('b'));
        job.addExecutorEnv('C', EnvValue.fromValue('c'));
      }
      return { app, chart };
    };
    const late = build(true);
    expect(late.app.synthYaml()).toEqual(build(false).app.synthYaml());
    const { container, conf, executorTemplate } = parts(late.chart);
    // The client-mode driver is the submit container: its variables are the container's own, after the construct's.
    expect(container.env.map((e: any) => e.name)).toEqual(['HOME', 'SPARK_DRIVER_POD_NAME', 'A', 'B']);
    expect(container.args.slice(-2)).toEqual(['1', '2']);
    expect(conf['spark.sql.shuffle.partitions']).toBe('64');
    expect(executorTemplate.spec.containers[0].env).toEqual([{ name: 'C', value: 'c' }]);
  });

  test('a conf added after construction reaches the submitter\'s Role: an on-demand driver claim needs PVC rights', () => {
    const claim = 'spark.kubernetes.driver.volumes.persistentVolumeClaim.data.options.claimName';
    const given = setup({ sparkConf: SparkConf.of({ [claim]: 'OnDemand' }) });
    const added = setup();
    added.job.addSparkConf(claim, 'OnDemand');
    expect(added.app.synthYaml()).toEqual(given.app.synthYaml());
    const role = synthValid(added.chart).find((m) => m.kind === 'Role' && m.metadata.name === `${added.job.name}-submit`);
    expect(role.rules.map((r: any) => r.resources.join(','))).toEqual(['pods', 'configmaps,services', 'persistentvolumeclaims']);
  });

  test('a pull secret listed twice is one imagePullSecrets entry (a list keyed by name: kubernetes/api core/v1/types.go)', () => {
    const pull = Secret.fromSecretName(new Chart(Testing.app(), 's'), 'S', 'registry');
    for (const mode of [DeployMode.CLUSTER, DeployMode.CLIENT]) {
      const { pod } = parts(setup({ mode, image: SparkImage.apache('4.0.4', { pullSecrets: [pull, pull] }) }).chart);
      expect(pod.imagePullSecrets).toEqual([{ name: 'registry' }]);
    }
  });
});

describe('SparkSubmitJob wrapper script', () => {
  const { chart } = setup();
  const configMap = parts(chart).configMap;
  const script: string = configMap.data['spark-submit.sh'];
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-submit-job-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.mkdirSync(path.join(dir, 'spark', 'bin'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'config'));
    fs.writeFileSync(path.join(dir, 'config', 'driver-pod-template.yaml'), configMap.data['driver-pod-template.yaml']);
    fs.writeFileSync(path.join(dir, 'spark-submit.sh'), script);
    fs.writeFileSync(path.join(dir, 'spark', 'bin', 'spark-submit'),
      '#!/bin/bash\nprintf \'%s\\n\' "$@" >"$STUB_DIR/submit-args"\nexit "${STUB_SUBMIT_STATUS:-0}"\n', { mode: 0o755 });
    // curl comes first on PATH (the wrapper prefers it); it fails like curl --fail on an HTTP error.
    fs.writeFileSync(path.join(dir, 'bin', 'curl'),
      '#!/bin/bash\nprintf \'%s\\n\' "$@" >"$STUB_DIR/curl-args"\n[[ -z "${STUB_CURL_FAIL:-}" ]] || exit 22\nprintf \'%s\' "$STUB_POD_JSON"\n', { mode: 0o755 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (env: { [key: string]: string }) => spawnSync('bash', [path.join(dir, 'spark-submit.sh'), '--conf', 'a=b', 'local:///app.jar'], {
    encoding: 'utf8',
    env: {
      PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
      SPARK_HOME: path.join(dir, 'spark'),
      STUB_DIR: dir,
      SPARK_SUBMIT_CONFIG_DIR: path.join(dir, 'config'),
      SPARK_SUBMIT_WORK_DIR: path.join(dir, 'work'),
      SPARK_SUBMIT_POD_NAME: 'pi-x7k2q',
      SPARK_SUBMIT_POD_UID: '0b6c1b9e-2d0f-4bb1-9d57-1c1d2f0e9a11',
      SPARK_SUBMIT_NAMESPACE: 'etl',
      SPARK_DRIVER_POD_NAME: 'pi-x7k2q-driver',
      ...env,
    },
  });
  // Indented, as kube-apiserver answers curl and wget by default (negotiate.go, isPrettyPrint).
  const podJson = (phase: string) => JSON.stringify({
    kind: 'Pod', apiVersion: 'v1', metadata: { name: 'pi-x7k2q-driver', annotations: { phase: 'Failed' } }, status: { phase },
  }, null, 2);

  test('passes bash -n, shellcheck and shfmt', () => {
    checkScript(script, 'spark-submit.sh');
  });

  test('exits 0 when the driver succeeded, after completing the driver template with the submit pod as owner', () => {
    const r = run({ STUB_POD_JSON: podJson('Succeeded') });
    expect(r.stdout).toContain('driver pod pi-x7k2q-driver succeeded');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'submit-args'), 'utf8')).toBe('--conf\na=b\nlocal:///app.jar\n');
    const owner = parseYamlDocuments(fs.readFileSync(path.join(dir, 'work', 'driver-pod-template.yaml'), 'utf8'))[0].metadata.ownerReferences;
    expect(owner).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'pi-x7k2q', uid: '0b6c1b9e-2d0f-4bb1-9d57-1c1d2f0e9a11' }]);
    expect(fs.readFileSync(path.join(dir, 'curl-args'), 'utf8'))
      .toContain('https://kubernetes.default.svc:443/api/v1/namespaces/etl/pods/pi-x7k2q-driver');
  });

  test('exits non-zero when the driver failed, when its outcome is unknown, and when spark-submit fails', () => {
    expect(run({ STUB_POD_JSON: podJson('Failed') }).status).toBe(SparkSubmitJob.EXIT_DRIVER_FAILED);
    const running = run({ STUB_POD_JSON: podJson('Running') });
    expect(running.status).toBe(SparkSubmitJob.EXIT_OUTCOME_UNKNOWN);
    expect(running.stderr).toContain('ended in phase Running');
    expect(run({ STUB_CURL_FAIL: '1' }).status).toBe(SparkSubmitJob.EXIT_OUTCOME_UNKNOWN);
    // A Status object (or anything but a Pod) has no phase to read.
    expect(run({ STUB_POD_JSON: '{"kind":"Status","status":"Failure","details":{"phase":"Succeeded"}}' }).status)
      .toBe(SparkSubmitJob.EXIT_OUTCOME_UNKNOWN);
    const submit = run({ STUB_SUBMIT_STATUS: '7', STUB_POD_JSON: podJson('Succeeded') });
    expect(submit.status).toBe(7);
    expect(submit.stderr).toContain('spark-submit exited with code 7');
  });
});

describe('SparkSubmitJob (k8s types)', () => {
  test('the submit Job is a plain batch/v1 Job', () => {
    const { job } = setup();
    expect(job.job).toBeInstanceOf(k8s.KubeJob);
    expect(job.configMap.name).toBe(`${job.name}-submit`);
  });
});
