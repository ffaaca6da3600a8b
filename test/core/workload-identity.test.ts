import { Chart, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  DeployMode, EventLogStore, HiveMetastore, SparkApplication, SparkApplicationType, SparkHistoryServer, SparkHistoryServerProps,
  SparkOperatorCrds, SparkPlatform, SparkServiceAccount, SparkSubmitJob, SparkTenant, SparkThriftServer, TenantApiServerAccess, WorkloadIdentity,
  WorkloadIdentityProvider,
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
