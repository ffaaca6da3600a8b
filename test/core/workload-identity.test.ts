import { Chart, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  ClusterStorage, DeployMode, EventLogStore, HiveMetastore, RegistryMirror, RegistryTls, SparkApplication, SparkApplicationType, SparkHistoryServer,
  SparkHistoryServerProps, SparkOperatorCrds, SparkOperatorInstall, SparkPlatform, SparkServiceAccount, SparkStandaloneCluster, SparkSubmitJob,
  SparkTenant, SparkThriftServer, StandaloneAuthentication, StorageClassRef, TenantApiServerAccess, WorkloadIdentity, WorkloadIdentityProvider,
} from '../../src';
import { s3Image } from '../harness/images';
import { synthValid } from '../harness/manifests';
import { parseYamlDocuments } from '../harness/yaml';

const ROLE = 'arn:aws:iam::123456789012:role/spark-jobs';
const EMAIL = 'spark-jobs@my-project.iam.gserviceaccount.com';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const USE = 'azure.workload.identity/use';

const IDENTITIES: Array<[string, () => WorkloadIdentity, { [key: string]: string }, { [key: string]: string }]> = [
  ['aws', () => WorkloadIdentity.aws(ROLE), { 'eks.amazonaws.com/role-arn': ROLE }, {}],
  ['gcp', () => WorkloadIdentity.gcp(EMAIL), { 'iam.gke.io/gcp-service-account': EMAIL }, {}],
  ['azure', () => WorkloadIdentity.azure(CLIENT, { tenantId: TENANT }),
    { 'azure.workload.identity/client-id': CLIENT, 'azure.workload.identity/tenant-id': TENANT }, { [USE]: 'true' }],
];

let crdCache: any[] | undefined;
function crds(): any[] {
  if (!crdCache) {
    const c = new Chart(Testing.app(), 'crds');
    new SparkOperatorCrds(c, 'Crds');
    crdCache = Testing.synth(c);
  }
  return crdCache;
}

function chart(namespace = 'etl'): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

function account(c: Chart, identity: WorkloadIdentity, name = 'spark-cloud'): SparkServiceAccount {
  return new SparkServiceAccount(c, 'Account', { namespace: 'etl', name, identity });
}

const serviceAccountOf = (manifests: any[], name: string) => manifests.find((m) => m.kind === 'ServiceAccount' && m.metadata.name === name);

describe('WorkloadIdentity', () => {
  test('the factories: provider, ServiceAccount annotations and pod labels', () => {
    expect(WorkloadIdentity.aws(ROLE)).toMatchObject({ provider: WorkloadIdentityProvider.AWS, podLabels: {} });
    expect(WorkloadIdentity.gcp(EMAIL).provider).toBe(WorkloadIdentityProvider.GCP);
    expect(WorkloadIdentity.azure(CLIENT).serviceAccountAnnotations).toEqual({ 'azure.workload.identity/client-id': CLIENT });
    expect(WorkloadIdentity.azure(CLIENT).podLabels).toEqual({ [USE]: 'true' });
    expect(WorkloadIdentity.aws('arn:aws-us-gov:iam::123456789012:role/team/a/spark.jobs@x').provider).toBe(WorkloadIdentityProvider.AWS);
    expect(WorkloadIdentity.isWorkloadIdentity(WorkloadIdentity.gcp(EMAIL))).toBe(true);
    expect(WorkloadIdentity.isWorkloadIdentity({ provider: 'aws' })).toBe(false);
  });

  test.each([
    ['aws', 'roleArn', () => WorkloadIdentity.aws('arn:aws:iam::12345:role/spark'), '"arn:aws:iam::12345:role/spark"'],
    ['aws', 'roleArn', () => WorkloadIdentity.aws('arn:aws:iam::123456789012:user/spark'), 'role/'],
    ['aws', 'roleArn', () => WorkloadIdentity.aws('arn:aws:s3:::bucket'), 'arn:aws:s3:::bucket'],
    ['aws', 'roleArn', () => WorkloadIdentity.aws('arn:aws:iam::123456789012:role/'), 'role/'],
    ['aws', 'roleArn', () => WorkloadIdentity.aws('arn:aws:iam::123456789012:role/spark jobs'), 'role/'],
    ['aws', 'roleArn', () => WorkloadIdentity.aws(undefined as any), '(undefined)'],
    ['gcp', 'serviceAccountEmail', () => WorkloadIdentity.gcp('spark@my-project.iam.gserviceaccount.com'), '"spark@'],
    ['gcp', 'serviceAccountEmail', () => WorkloadIdentity.gcp('spark-jobs@my-project.gserviceaccount.com'), '6-30'],
    ['gcp', 'serviceAccountEmail', () => WorkloadIdentity.gcp('spark-jobs@1project.iam.gserviceaccount.com'), 'starting with a letter'],
    ['gcp', 'serviceAccountEmail', () => WorkloadIdentity.gcp('Spark-Jobs@my-project.iam.gserviceaccount.com'), 'lowercase'],
    ['gcp', 'serviceAccountEmail', () => WorkloadIdentity.gcp('spark-jobs-@my-project.iam.gserviceaccount.com'), 'hyphen'],
    ['gcp', 'serviceAccountEmail', () => WorkloadIdentity.gcp(`${'a'.repeat(31)}@my-project.iam.gserviceaccount.com`), '6-30'],
    ['azure', 'clientId', () => WorkloadIdentity.azure('not-a-guid'), 'GUID'],
    ['azure', 'clientId', () => WorkloadIdentity.azure('11111111-2222-3333-4444-55555555555'), 'GUID'],
    ['azure', 'tenantId', () => WorkloadIdentity.azure(CLIENT, { tenantId: 'contoso.onmicrosoft.com' }), 'GUID'],
  ])('WorkloadIdentity.%s refuses a bad %s (%#)', (factory, property, make, shown) => {
    expect(make).toThrow(`WorkloadIdentity.${factory}: invalid ${property}`);
    expect(make).toThrow(shown);
  });
});

describe.each(IDENTITIES)('%s identity', (_provider, make, annotations, podLabels) => {
  const labelsOf = (labels: { [key: string]: string } | undefined) => {
    for (const [key, value] of Object.entries(podLabels)) {
      expect(labels?.[key]).toBe(value);
    }
    if (Object.keys(podLabels).length === 0) {
      expect(labels?.[USE]).toBeUndefined();
    }
  };

  test('SparkServiceAccount: annotations on its ServiceAccount', () => {
    const c = chart();
    const sa = account(c, make());
    expect(sa.identity?.serviceAccountAnnotations).toEqual(annotations);
    expect(serviceAccountOf(synthValid(c), 'spark-cloud').metadata.annotations).toEqual(annotations);
  });

  test('SparkApplication: driver and executor labels', () => {
    const c = chart();
    new SparkApplication(c, 'Pi', {
      type: SparkApplicationType.SCALA,
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      serviceAccount: account(c, make()),
      driver: { labels: { team: 'etl' } },
    });
    const spec = synthValid(c, { crds: crds() }).find((m) => m.kind === 'SparkApplication').spec;
    expect(spec.driver.serviceAccount).toBe('spark-cloud');
    expect(spec.driver.labels.team).toBe('etl');
    labelsOf(spec.driver.labels);
    labelsOf(spec.executor.labels);
  });

  test.each([DeployMode.CLUSTER, DeployMode.CLIENT])('SparkSubmitJob (%s mode): driver and executor pods', (mode) => {
    const c = chart();
    new SparkSubmitJob(c, 'Pi', {
      type: SparkApplicationType.SCALA,
      mode,
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.13-4.0.4.jar',
      serviceAccount: account(c, make()),
    });
    const manifests = synthValid(c);
    const data = manifests.find((m) => m.kind === 'ConfigMap').data;
    const template = (file: string) => parseYamlDocuments(data[file])[0];
    labelsOf(template('executor-pod-template.yaml').metadata.labels);
    const job = manifests.find((m) => m.kind === 'Job');
    if (mode === DeployMode.CLUSTER) {
      labelsOf(template('driver-pod-template.yaml').metadata.labels);
      // The submitter runs as its own account, which has no identity.
      expect(job.spec.template.metadata.labels[USE]).toBeUndefined();
    } else {
      labelsOf(job.spec.template.metadata.labels);
    }
  });

  test('SparkThriftServer: server pod and executor template', () => {
    const c = chart();
    new SparkThriftServer(c, 'Sql', {
      metastore: HiveMetastore.thrift('thrift://hive-metastore.hive.svc:9083'),
      warehouseDir: 'hdfs://namenode.hadoop.svc:8020/warehouse',
      serviceAccount: account(c, make()),
    });
    const manifests = synthValid(c);
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    expect(deployment.spec.template.spec.serviceAccountName).toBe('spark-cloud');
    labelsOf(deployment.spec.template.metadata.labels);
    const template = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('executor-pod-template'));
    labelsOf(parseYamlDocuments(template.data['executor.yaml'])[0].metadata.labels);
    // The selector stays the server's own labels.
    expect(deployment.spec.selector.matchLabels[USE]).toBeUndefined();
  });

  test('SparkTenant: its account carries the identity, and the namespace\'s jobs run with it', () => {
    const c = chart();
    const sa = new SparkServiceAccount(c, 'Account', { namespace: 'etl', identity: make() });
    new SparkTenant(c, 'Etl', { namespace: 'etl', apiServer: TenantApiServerAccess.toCidrs(['192.168.10.10/32']), serviceAccount: sa });
    new SparkApplication(c, 'Pi', { type: SparkApplicationType.SCALA, mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar' });
    const manifests = synthValid(c, { crds: crds() });
    expect(serviceAccountOf(manifests, 'spark-driver').metadata.annotations).toEqual(annotations);
    labelsOf(manifests.find((m) => m.kind === 'SparkApplication').spec.executor.labels);
  });

  test('SparkServiceAccount.fromName: nothing annotated, the jobs label their pods', () => {
    const c = chart();
    new SparkApplication(c, 'Pi', {
      type: SparkApplicationType.SCALA,
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      serviceAccount: SparkServiceAccount.fromName(c, 'Account', 'made-elsewhere', 'etl', make()),
    });
    const manifests = synthValid(c, { crds: crds() });
    expect(serviceAccountOf(manifests, 'made-elsewhere')).toBeUndefined();
    labelsOf(manifests.find((m) => m.kind === 'SparkApplication').spec.driver.labels);
  });

  test('SparkHistoryServer: annotations next to serviceAccountAnnotations, label on the pod', () => {
    const c = chart('spark');
    const server = history(c, { identity: make(), serviceAccountAnnotations: { 'example.com/owner': 'data' } });
    const manifests = synthValid(c);
    expect(server.identity).toBeDefined();
    const sa = serviceAccountOf(manifests, 'spark-history-server');
    expect(sa.metadata.annotations).toEqual({ 'example.com/owner': 'data', ...annotations });
    // The server still never talks to the API server.
    expect(sa.automountServiceAccountToken).toBe(false);
    labelsOf(manifests.find((m) => m.kind === 'Deployment').spec.template.metadata.labels);
  });

  test.each(Object.keys(annotations))('SparkHistoryServer refuses %s in serviceAccountAnnotations', (key) => {
    expect(() => history(chart('spark'), { identity: make(), serviceAccountAnnotations: { [key]: 'x' } }))
      .toThrow(`test/History: invalid serviceAccountAnnotations "${key}": annotations other than those the identity sets`);
  });

  test('SparkOperatorInstall: the controller\'s and the webhook\'s accounts and pods, each with its own identity', () => {
    const c = chart();
    new SparkOperatorInstall(c, 'Operator', {
      jobNamespaces: ['etl'],
      controller: { identity: make(), serviceAccountAnnotations: { 'example.com/owner': 'data' } },
      webhook: { identity: make() },
    });
    const manifests = synthValid(c);
    expect(serviceAccountOf(manifests, 'spark-operator-controller').metadata.annotations).toEqual({ 'example.com/owner': 'data', ...annotations });
    for (const name of ['spark-operator-controller', 'spark-operator-webhook']) {
      const sa = serviceAccountOf(manifests, name);
      expect(sa.metadata.annotations).toEqual(expect.objectContaining(annotations));
      // The Deployments mount their API token themselves; the account still offers none to other pods.
      expect(sa.automountServiceAccountToken).toBe(false);
      const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
      expect(deployment.spec.template.spec.serviceAccountName).toBe(name);
      labelsOf(deployment.spec.template.metadata.labels);
      expect(deployment.spec.selector.matchLabels[USE]).toBeUndefined();
    }
    // One component only: the other keeps a plain account.
    const only = chart();
    new SparkOperatorInstall(only, 'Operator', { jobNamespaces: ['etl'], controller: { identity: make() } });
    expect(serviceAccountOf(synthValid(only), 'spark-operator-webhook').metadata.annotations).toBeUndefined();
  });

  test('RegistryMirror: its own account for the registry and its garbage collection, still without a token', () => {
    const c = chart('registry');
    ClusterStorage.declare(c, StorageClassRef.clusterDefault());
    const mirror = new RegistryMirror(c, 'Registry', { tls: RegistryTls.plainHttp(), identity: make() });
    const manifests = synthValid(c);
    expect(mirror.identity).toBeDefined();
    const sa = serviceAccountOf(manifests, 'registry');
    expect(sa.metadata.namespace).toBe('registry');
    expect(sa.metadata.annotations).toEqual(annotations);
    expect(sa.automountServiceAccountToken).toBe(false);
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    expect(deployment.spec.template.spec).toMatchObject({ serviceAccountName: 'registry', automountServiceAccountToken: false });
    labelsOf(deployment.spec.template.metadata.labels);
    const gc = manifests.find((m) => m.kind === 'CronJob').spec.jobTemplate.spec.template;
    expect(gc.spec.serviceAccountName).toBe('registry');
    labelsOf(gc.metadata.labels);
  });

  test('SparkStandaloneCluster: the workers\' own account and pods; the master keeps the default', () => {
    const c = chart('spark');
    new SparkStandaloneCluster(c, 'Cluster', { authentication: StandaloneAuthentication.none(), workers: { identity: make() } });
    const manifests = synthValid(c);
    const sa = serviceAccountOf(manifests, 'spark-worker');
    expect(sa.metadata.annotations).toEqual(annotations);
    expect(sa.automountServiceAccountToken).toBe(false);
    const set = (name: string) => manifests.find((m) => m.kind === 'StatefulSet' && m.metadata.name === name);
    expect(set('spark-worker').spec.template.spec).toMatchObject({ serviceAccountName: 'spark-worker', automountServiceAccountToken: false });
    labelsOf(set('spark-worker').spec.template.metadata.labels);
    expect(set('spark-master').spec.template.spec.serviceAccountName).toBeUndefined();
    expect(set('spark-master').spec.template.metadata.labels[USE]).toBeUndefined();
    expect(manifests.filter((m) => m.kind === 'ServiceAccount')).toHaveLength(1);
  });

  const key = Object.keys(annotations)[0];
  test.each<[string, (c: Chart) => unknown, string]>([
    ['SparkOperatorInstall', (c) => new SparkOperatorInstall(c, 'X', { webhook: { identity: make(), serviceAccountAnnotations: { [key]: 'x' } } }),
      `test/X: invalid webhook.serviceAccountAnnotations "${key}"`],
    ['RegistryMirror', (c) => new RegistryMirror(c, 'X', { tls: RegistryTls.plainHttp(), identity: make(), serviceAccountAnnotations: { [key]: 'x' } }),
      `test/X: invalid serviceAccountAnnotations "${key}"`],
    ['SparkStandaloneCluster', (c) => new SparkStandaloneCluster(c, 'X', {
      authentication: StandaloneAuthentication.none(), workers: { identity: make(), serviceAccountAnnotations: { [key]: 'x' } },
    }), `test/X: invalid workers.serviceAccountAnnotations "${key}"`],
  ])('%s refuses the identity\'s annotation in serviceAccountAnnotations', (_who, build, message) => {
    expect(() => build(chart())).toThrow(`${message}: annotations other than those the identity sets`);
  });
});

describe('serviceAccountAnnotations without an identity', () => {
  test('the registry and the workers get an account of their own, annotated, without identity labels', () => {
    const c = chart('registry');
    ClusterStorage.declare(c, StorageClassRef.clusterDefault());
    new RegistryMirror(c, 'Registry', { tls: RegistryTls.plainHttp(), serviceAccountAnnotations: { 'example.com/owner': 'platform' } });
    new SparkStandaloneCluster(c, 'Cluster', { authentication: StandaloneAuthentication.none(), workers: { serviceAccountAnnotations: { 'example.com/owner': 'spark' } } });
    const manifests = synthValid(c);
    expect(serviceAccountOf(manifests, 'registry').metadata.annotations).toEqual({ 'example.com/owner': 'platform' });
    expect(serviceAccountOf(manifests, 'spark-worker').metadata.annotations).toEqual({ 'example.com/owner': 'spark' });
    const registry = manifests.find((m) => m.kind === 'Deployment').spec.template;
    expect(registry.spec.serviceAccountName).toBe('registry');
    expect(registry.metadata.labels[USE]).toBeUndefined();
  });

  test('the operator\'s accounts carry them; without any, no annotations and no account for the registry or the workers', () => {
    const c = chart();
    new SparkOperatorInstall(c, 'Operator', { jobNamespaces: ['etl'], webhook: { serviceAccountAnnotations: { 'example.com/owner': 'ops' } } });
    const manifests = synthValid(c);
    expect(serviceAccountOf(manifests, 'spark-operator-webhook').metadata.annotations).toEqual({ 'example.com/owner': 'ops' });
    expect(serviceAccountOf(manifests, 'spark-operator-controller').metadata.annotations).toBeUndefined();
    const plain = chart('registry');
    ClusterStorage.declare(plain, StorageClassRef.clusterDefault());
    new RegistryMirror(plain, 'Registry', { tls: RegistryTls.plainHttp() });
    new SparkStandaloneCluster(plain, 'Cluster', { authentication: StandaloneAuthentication.none() });
    expect(synthValid(plain).filter((m) => m.kind === 'ServiceAccount')).toEqual([]);
  });

  test.each<[string, (c: Chart) => unknown, string]>([
    ['an invalid key', (c) => new SparkOperatorInstall(c, 'X', { controller: { serviceAccountAnnotations: { 'a b': 'c' } } }),
      'test/X: invalid controller.serviceAccountAnnotations key "a b": a label key'],
    ['a value that is no string', (c) => new RegistryMirror(c, 'X', { tls: RegistryTls.plainHttp(), serviceAccountAnnotations: { a: 1 as any } }),
      'test/X: invalid serviceAccountAnnotations["a"] 1: a string'],
  ])('refuses %s', (_name, build, message) => {
    expect(() => build(chart())).toThrow(message);
  });

  test('a change after construction fails synthesis', () => {
    const c = chart('registry');
    ClusterStorage.declare(c, StorageClassRef.clusterDefault());
    const given: { [key: string]: string } = { a: 'b' };
    const workers: { [key: string]: string } = { a: 'b' };
    new RegistryMirror(c, 'Registry', { tls: RegistryTls.plainHttp(), serviceAccountAnnotations: given });
    new SparkStandaloneCluster(c, 'Cluster', { authentication: StandaloneAuthentication.none(), workers: { serviceAccountAnnotations: workers } });
    given.c = 'd';
    workers.c = 'd';
    expect(() => Testing.synth(c)).toThrow(/test\/Registry: serviceAccountAnnotations changed after test\/Registry was created/);
    expect(() => Testing.synth(c)).toThrow(/test\/Cluster: workers.serviceAccountAnnotations changed after test\/Cluster was created/);
  });
});

test('SparkPlatform forwards the history server\'s identity', () => {
  const store = EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-events');
  const platform = new SparkPlatform(Testing.app(), 'p', { tenants: [{ namespace: 'etl', apiServer: TenantApiServerAccess.toCidrs(['192.168.10.10/32']) }], eventLog: store, historyServer: { identity: WorkloadIdentity.gcp(EMAIL) } });
  const manifests = synthValid(Chart.of(platform.historyServer!) as Chart);
  expect(serviceAccountOf(manifests, 'spark-history-server').metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': EMAIL });
});

function history(c: Chart, props: Partial<SparkHistoryServerProps>): SparkHistoryServer {
  const store = EventLogStore.s3({
    bucket: 'spark-logs',
    endpoint: 'http://minio.storage.svc:9000',
    pathStyleAccess: true,
    credentials: { secret: Secret.fromSecretName(c, 'MinioKeys', 'minio-keys') },
  });
  return new SparkHistoryServer(c, 'History', { store, image: s3Image(), ...props });
}

describe('refusals', () => {
  const azure = () => WorkloadIdentity.azure(CLIENT);

  test.each([
    ['SparkServiceAccount', (c: Chart) => new SparkServiceAccount(c, 'Account', { namespace: 'etl', identity: 'arn:aws:iam::123456789012:role/x' as any }),
      'test/Account: invalid identity "arn:aws:iam::123456789012:role/x": a WorkloadIdentity'],
    ['SparkServiceAccount (object)', (c: Chart) => new SparkServiceAccount(c, 'Account', { namespace: 'etl', identity: { provider: 'aws' } as any }),
      'test/Account: invalid identity "(another object)": a WorkloadIdentity'],
    ['fromName', (c: Chart) => SparkServiceAccount.fromName(c, 'Account', 'x', 'etl', 42 as any), 'test/Account: invalid identity 42'],
    ['SparkHistoryServer', (c: Chart) => history(c, { identity: 'azure' as any }), 'test/History: invalid identity "azure": a WorkloadIdentity'],
    ['SparkOperatorInstall', (c: Chart) => new SparkOperatorInstall(c, 'Operator', { controller: { identity: 'gcp' as any } }),
      'test/Operator: invalid controller.identity "gcp": a WorkloadIdentity'],
    ['SparkOperatorInstall (webhook)', (c: Chart) => new SparkOperatorInstall(c, 'Operator', { webhook: { identity: {} as any } }),
      'test/Operator: invalid webhook.identity "(another object)": a WorkloadIdentity'],
    ['RegistryMirror', (c: Chart) => new RegistryMirror(c, 'Registry', { tls: RegistryTls.plainHttp(), identity: 'aws' as any }),
      'test/Registry: invalid identity "aws": a WorkloadIdentity'],
    ['SparkStandaloneCluster', (c: Chart) => new SparkStandaloneCluster(c, 'Cluster', {
      authentication: StandaloneAuthentication.none(), workers: { identity: 'azure' as any },
    }), 'test/Cluster: invalid workers.identity "azure": a WorkloadIdentity'],
  ])('%s refuses a value that is not a WorkloadIdentity', (_who, make, message) => {
    expect(() => make(chart())).toThrow(message);
  });

  test.each([
    ['driver', { driver: { labels: { [USE]: 'false' } } }],
    ['executor', { executor: { labels: { [USE]: 'false' } } }],
  ])('SparkApplication refuses %s labels contradicting the Azure identity', (role, props) => {
    const c = chart();
    expect(() => new SparkApplication(c, 'Pi', {
      type: SparkApplicationType.SCALA, mainApplicationFile: 'local:///x.jar', serviceAccount: account(c, azure()), ...props,
    })).toThrow(`test/Pi: invalid ${role}.labels "${USE}=false": "true" for ${USE}`);
  });

  test.each([
    ['driver', { driver: { labels: { [USE]: 'no' } } }],
    ['executor', { executor: { labels: { [USE]: 'no' } } }],
  ])('SparkSubmitJob refuses %s labels contradicting the Azure identity', (role, props) => {
    const c = chart();
    expect(() => new SparkSubmitJob(c, 'Pi', {
      type: SparkApplicationType.SCALA, mainClass: 'x.Main', mainApplicationFile: 'local:///x.jar', serviceAccount: account(c, azure()), ...props,
    })).toThrow(`test/Pi: invalid ${role}.labels "${USE}=no"`);
  });

  test('the same label with the value the identity needs is accepted', () => {
    const c = chart();
    new SparkApplication(c, 'Pi', {
      type: SparkApplicationType.SCALA,
      mainApplicationFile: 'local:///x.jar',
      serviceAccount: account(c, azure()),
      driver: { labels: { [USE]: 'true' } },
    });
    expect(synthValid(c, { crds: crds() }).find((m) => m.kind === 'SparkApplication').spec.driver.labels[USE]).toBe('true');
  });
});
