// EventLogStore.gcs and EventLogStore.abfs (issue #20): their Hadoop settings, credentials from
// Secrets or workload identity, and how jobs, the Thrift server and the history server use them.
import { Chart, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  AbfsCredentials, DeployMode, EventLogStore, EventLogStoreKind, GcsCredentials, HiveMetastore, NetworkPeer, SparkApplication, SparkApplicationProps,
  SparkApplicationType, SparkHistoryServer, SparkImage, SparkImageFacts, SparkServiceAccount, SparkSubmitJob,
  SparkStandaloneCluster, SparkTenant, SparkThriftServer, StandaloneAuthentication, TenantApiServerAccess, TenantEgress, WorkloadIdentity,
  WorkloadIdentityProvider,
} from '../../src';
import { isCredentialConfKey, urlHasCredentials } from '../../src/core/credentials';
import { invalidInput } from '../../src/core/errors';
import { synthValid } from '../harness/manifests';
import { libraryOperatorCrds } from '../harness/spark-operator';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = '66666666-7777-8888-9999-000000000000';
const GSA = 'spark-logs@my-project.iam.gserviceaccount.com';
const HOST = 'sparklogs.dfs.core.windows.net';

function chartOf(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'jobs' });
}

/** Images built FROM apache/spark with the cloud connectors added, as users build theirs. */
const gcsImage = (version = '4.0.4') => SparkImage.of({
  repository: 'registry.example.com/spark-gcs', tag: version, facts: SparkImageFacts.fromApacheImage({ gcsConnector: true }),
});
const azureImage = (version = '4.0.4') => SparkImage.of({
  repository: 'registry.example.com/spark-azure', tag: version, facts: SparkImageFacts.fromApacheImage({ hadoopAzure: true }),
});

const gcsKeyFile = (chart: Chart) => EventLogStore.gcs({
  bucket: 'acme-spark-logs',
  prefix: 'prod/events',
  credentials: GcsCredentials.keyFile({ secret: Secret.fromSecretName(chart, 'GcsKey', 'gcs-key'), key: 'sa.json' }),
});

describe('EventLogStore.gcs', () => {
  test('workload identity (the default): gs:// URI, connector classes, COMPUTE_ENGINE auth, nothing to mount', () => {
    const store = EventLogStore.gcs({ bucket: 'acme-spark-logs' });
    expect(store.kind).toBe(EventLogStoreKind.GCS);
    expect(store.logDirectory).toBe('gs://acme-spark-logs/spark-events');
    expect(store.endpointPort).toBe(443);
    expect(store.workloadIdentity).toBe(WorkloadIdentityProvider.GCP);
    const hadoop = {
      'spark.hadoop.fs.gs.impl': 'com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem',
      'spark.hadoop.fs.AbstractFileSystem.gs.impl': 'com.google.cloud.hadoop.fs.gcs.GoogleHadoopFS',
      'spark.hadoop.fs.gs.auth.type': 'COMPUTE_ENGINE',
    };
    expect(store.jobConf().toRecord()).toEqual({ 'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': 'gs://acme-spark-logs/spark-events', ...hadoop });
    expect(store.historyConf().toRecord()).toEqual({ 'spark.history.fs.logDirectory': 'gs://acme-spark-logs/spark-events', ...hadoop });
    expect(store.env()).toEqual([]);
    expect(store.volumes()).toEqual([]);
    expect(store.volumeMounts()).toEqual([]);
    expect(store.mkdirCommand()).toEqual([
      '/opt/spark/bin/spark-class', 'org.apache.hadoop.fs.FsShell',
      '-D', 'fs.gs.impl=com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem',
      '-D', 'fs.AbstractFileSystem.gs.impl=com.google.cloud.hadoop.fs.gcs.GoogleHadoopFS',
      '-D', 'fs.gs.auth.type=COMPUTE_ENGINE',
      '-mkdir', '-p', 'gs://acme-spark-logs/spark-events',
    ]);
  });

  test('a key file: the Secret\'s key mounted read-only, its path in the settings, no workload identity needed', () => {
    const store = gcsKeyFile(chartOf());
    expect(store.logDirectory).toBe('gs://acme-spark-logs/prod/events');
    expect(store.workloadIdentity).toBeUndefined();
    expect(store.jobConf().get('spark.hadoop.fs.gs.auth.type')).toBe('SERVICE_ACCOUNT_JSON_KEYFILE');
    expect(store.jobConf().get('spark.hadoop.fs.gs.auth.service.account.json.keyfile')).toBe('/etc/spark-event-logs/gcs/sa.json');
    expect(store.volumes()).toEqual([{ name: 'spark-event-log-credentials', secret: { secretName: 'gcs-key', items: [{ key: 'sa.json', path: 'sa.json' }] } }]);
    expect(store.volumeMounts()).toEqual([{ name: 'spark-event-log-credentials', mountPath: '/etc/spark-event-logs/gcs', readOnly: true }]);
    expect(store.env()).toEqual([]);
    // The default key of the Secret.
    expect(EventLogStore.gcs({ bucket: 'b-1', credentials: GcsCredentials.keyFile({ secret: Secret.fromSecretName(chartOf(), 'S', 'k') }) })
      .historyConf().get('spark.hadoop.fs.gs.auth.service.account.json.keyfile')).toBe('/etc/spark-event-logs/gcs/key.json');
  });
});

describe('EventLogStore.abfs', () => {
  test('workload identity (the default): abfss:// URI, per-account OAuth settings read from the webhook\'s variables', () => {
    const store = EventLogStore.abfs({ account: 'sparklogs', container: 'events' });
    expect(store.kind).toBe(EventLogStoreKind.ABFS);
    expect(store.logDirectory).toBe(`abfss://events@${HOST}/spark-events`);
    expect(store.endpointPort).toBe(443);
    expect(store.workloadIdentity).toBe(WorkloadIdentityProvider.AZURE);
    expect(store.historyConf().toRecord()).toEqual({
      'spark.history.fs.logDirectory': `abfss://events@${HOST}/spark-events`,
      [`spark.hadoop.fs.azure.account.auth.type.${HOST}`]: 'OAuth',
      [`spark.hadoop.fs.azure.account.oauth.provider.type.${HOST}`]: 'org.apache.hadoop.fs.azurebfs.oauth2.WorkloadIdentityTokenProvider',
      [`spark.hadoop.fs.azure.account.oauth2.msi.tenant.${HOST}`]: '${env.AZURE_TENANT_ID}',
      [`spark.hadoop.fs.azure.account.oauth2.client.id.${HOST}`]: '${env.AZURE_CLIENT_ID}',
      [`spark.hadoop.fs.azure.account.oauth2.token.file.${HOST}`]: '${env.AZURE_FEDERATED_TOKEN_FILE}',
      [`spark.hadoop.fs.azure.account.oauth2.msi.authority.${HOST}`]: '${env.AZURE_AUTHORITY_HOST:-https://login.microsoftonline.com/}',
    });
    expect(store.env()).toEqual([]);
    expect(store.volumes()).toEqual([]);
  });

  test('the account key: SharedKey from a Secret, named as a variable in the settings', () => {
    const store = EventLogStore.abfs({
      account: 'sparklogs',
      container: 'events',
      prefix: 'team-a',
      credentials: AbfsCredentials.sharedKey({ secret: Secret.fromSecretName(chartOf(), 'K', 'abfs-key') }),
    });
    expect(store.logDirectory).toBe(`abfss://events@${HOST}/team-a`);
    expect(store.workloadIdentity).toBeUndefined();
    const conf = store.jobConf().toRecord();
    expect(conf[`spark.hadoop.fs.azure.account.auth.type.${HOST}`]).toBe('SharedKey');
    expect(conf[`spark.hadoop.fs.azure.account.key.${HOST}`]).toBe('${env.ABFS_ACCOUNT_KEY}');
    expect(store.env()).toEqual([{ name: 'ABFS_ACCOUNT_KEY', valueFrom: { secretKeyRef: { name: 'abfs-key', key: 'account-key' } } }]);
  });

  test('a service principal: client credentials, the secret from a Secret', () => {
    const store = EventLogStore.abfs({
      account: 'sparklogs',
      container: 'events',
      credentials: AbfsCredentials.clientSecret({ tenantId: TENANT, clientId: CLIENT, secret: Secret.fromSecretName(chartOf(), 'K', 'sp'), key: 'secret' }),
    });
    const conf = store.jobConf().toRecord();
    expect(conf[`spark.hadoop.fs.azure.account.oauth.provider.type.${HOST}`]).toBe('org.apache.hadoop.fs.azurebfs.oauth2.ClientCredsTokenProvider');
    expect(conf[`spark.hadoop.fs.azure.account.oauth2.client.endpoint.${HOST}`]).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/token`);
    expect(conf[`spark.hadoop.fs.azure.account.oauth2.client.id.${HOST}`]).toBe(CLIENT);
    expect(conf[`spark.hadoop.fs.azure.account.oauth2.client.secret.${HOST}`]).toBe('${env.ABFS_CLIENT_SECRET}');
    expect(store.env()).toEqual([{ name: 'ABFS_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'sp', key: 'secret' } } }]);
  });

  test('credential keys carry only variable references; the container in the URI is no credential', () => {
    for (const store of [
      EventLogStore.abfs({ account: 'sparklogs', container: 'events', credentials: AbfsCredentials.sharedKey({ secret: Secret.fromSecretName(chartOf(), 'K', 'k') }) }),
      EventLogStore.abfs({ account: 'sparklogs', container: 'events', credentials: AbfsCredentials.clientSecret({ tenantId: TENANT, clientId: CLIENT, secret: Secret.fromSecretName(chartOf(), 'K', 'k') }) }),
    ]) {
      const credentialKeys = Object.entries(store.jobConf().toRecord()).filter(([key]) => isCredentialConfKey(key));
      expect(credentialKeys).toHaveLength(1);
      expect(credentialKeys[0][1]).toMatch(/^\$\{env\.ABFS_[A-Z_]+\}$/);
      expect(urlHasCredentials(store.logDirectory)).toBe(false);
    }
  });
});

describe('refuses bad input', () => {
  test.each(['Acme', 'ab', 'a'.repeat(64), 'goog-logs', 'my..bucket', '-logs', 'logs-', ''])('GCS bucket %j', (bucket) => {
    expect(() => EventLogStore.gcs({ bucket })).toThrow(`EventLogStore.gcs: invalid bucket ${JSON.stringify(bucket)}: a Cloud Storage bucket name`);
  });

  test.each(['Spark', 'ab', 'a'.repeat(25), 'spark-logs', ''])('storage account %j', (account) => {
    expect(() => EventLogStore.abfs({ account, container: 'events' })).toThrow(`EventLogStore.abfs: invalid account ${JSON.stringify(account)}: a storage account name`);
  });

  test.each(['Events', 'ev', 'a--b', '-events', 'events-', 'a'.repeat(64)])('container %j', (container) => {
    expect(() => EventLogStore.abfs({ account: 'sparklogs', container })).toThrow(`EventLogStore.abfs: invalid container ${JSON.stringify(container)}: a container name`);
  });

  test.each<[string, () => unknown, string]>([
    ['a GCS prefix with a leading slash', () => EventLogStore.gcs({ bucket: 'logs', prefix: '/events' }), 'EventLogStore.gcs: invalid prefix "/events": a key prefix'],
    ['an ABFS prefix with a dot segment', () => EventLogStore.abfs({ account: 'sparklogs', container: 'events', prefix: 'a/../b' }),
      'EventLogStore.abfs: invalid prefix "a/../b"'],
    ['ABFS credentials for a GCS store (JavaScript callers)', () => EventLogStore.gcs({ bucket: 'logs', credentials: AbfsCredentials.workloadIdentity() as any }),
      'EventLogStore.gcs: invalid credentials "object": GcsCredentials.keyFile({ secret }) or GcsCredentials.workloadIdentity()'],
    ['GCS credentials for an ABFS store', () => EventLogStore.abfs({ account: 'sparklogs', container: 'events', credentials: GcsCredentials.workloadIdentity() as any }),
      'EventLogStore.abfs: invalid credentials "object": AbfsCredentials.sharedKey'],
    ['a key file without a Secret', () => GcsCredentials.keyFile({ secret: undefined as any }), 'GcsCredentials.keyFile: invalid options.secret (undefined): an ISecret'],
    ['a key file key with a slash', () => GcsCredentials.keyFile({ secret: Secret.fromSecretName(chartOf(), 'S', 'k'), key: 'a/b.json' }),
      'GcsCredentials.keyFile: invalid options.key "a/b.json": a Secret key'],
    ['an account key key starting with ".."', () => AbfsCredentials.sharedKey({ secret: Secret.fromSecretName(chartOf(), 'S', 'k'), key: '..key' }),
      'AbfsCredentials.sharedKey: invalid options.key "..key": a Secret key'],
    ['a tenant that is no GUID', () => AbfsCredentials.clientSecret({ tenantId: 'contoso.onmicrosoft.com', clientId: CLIENT, secret: Secret.fromSecretName(chartOf(), 'S', 'k') }),
      'AbfsCredentials.clientSecret: invalid tenantId "contoso.onmicrosoft.com": a GUID'],
    ['a client id that is no GUID', () => AbfsCredentials.clientSecret({ tenantId: TENANT, clientId: 'spark', secret: Secret.fromSecretName(chartOf(), 'S', 'k') }),
      'AbfsCredentials.clientSecret: invalid clientId "spark": a GUID'],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

// --- Jobs and the history server ------------------------------------------

const crds = libraryOperatorCrds;

const PI: SparkApplicationProps = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

function application(props: (chart: Chart) => Partial<SparkApplicationProps>): any[] {
  const chart = chartOf();
  new SparkApplication(chart, 'Pi', { ...PI, ...props(chart) });
  return synthValid(chart, { crds: crds() });
}

const account = (chart: Chart, identity?: WorkloadIdentity) =>
  new SparkServiceAccount(chart, 'Account', { namespace: 'jobs', name: 'spark-logs', identity });

describe('SparkApplication writing to GCS and ABFS', () => {
  test('GKE workload identity: the driver runs as the account with the GCP identity', () => {
    const manifests = application((chart) => ({
      image: gcsImage(), eventLog: EventLogStore.gcs({ bucket: 'acme-spark-logs' }), serviceAccount: account(chart, WorkloadIdentity.gcp(GSA)),
    }));
    const spec = manifests.find((m) => m.kind === 'SparkApplication').spec;
    expect(spec.driver.serviceAccount).toBe('spark-logs');
    expect(spec.sparkConf['spark.eventLog.dir']).toBe('gs://acme-spark-logs/spark-events');
    expect(spec.sparkConf['spark.hadoop.fs.gs.auth.type']).toBe('COMPUTE_ENGINE');
    expect(manifests.find((m) => m.kind === 'ServiceAccount' && m.metadata.name === 'spark-logs').metadata.annotations)
      .toEqual({ 'iam.gke.io/gcp-service-account': GSA });
  });

  test('a GCS key file: a Secret volume of the application, mounted read-only into the driver only', () => {
    const spec = application((chart) => ({ image: gcsImage(), eventLog: gcsKeyFile(chart) })).find((m) => m.kind === 'SparkApplication').spec;
    expect(spec.volumes).toEqual([{ name: 'spark-event-log-credentials', secret: { secretName: 'gcs-key', items: [{ key: 'sa.json', path: 'sa.json' }] } }]);
    expect(spec.driver.volumeMounts).toEqual([{ name: 'spark-event-log-credentials', mountPath: '/etc/spark-event-logs/gcs', readOnly: true }]);
    expect(spec.executor.volumeMounts).toBeUndefined();
  });

  test('Azure workload identity: the pods carry the webhook\'s label; an account key: the variable from its Secret on the driver', () => {
    const wi = application((chart) => ({
      image: azureImage(),
      eventLog: EventLogStore.abfs({ account: 'sparklogs', container: 'events' }),
      serviceAccount: account(chart, WorkloadIdentity.azure(CLIENT)),
    })).find((m) => m.kind === 'SparkApplication').spec;
    expect(wi.driver.labels['azure.workload.identity/use']).toBe('true');
    expect(wi.sparkConf[`spark.hadoop.fs.azure.account.oauth2.client.id.${HOST}`]).toBe('${env.AZURE_CLIENT_ID}');
    const keyed = application((chart) => ({
      image: azureImage('3.5.7'),
      eventLog: EventLogStore.abfs({ account: 'sparklogs', container: 'events', credentials: AbfsCredentials.sharedKey({ secret: Secret.fromSecretName(chart, 'K', 'abfs-key') }) }),
    })).find((m) => m.kind === 'SparkApplication').spec;
    expect(keyed.driver.env).toEqual([{ name: 'ABFS_ACCOUNT_KEY', valueFrom: { secretKeyRef: { name: 'abfs-key', key: 'account-key' } } }]);
    expect(keyed.executor.env).toBeUndefined();
  });

  test('the connector fetched at submission instead of carried by the image', () => {
    expect(() => application(() => ({
      image: SparkImage.apache('4.0.4'),
      eventLog: EventLogStore.abfs({ account: 'sparklogs', container: 'events', credentials: AbfsCredentials.sharedKey({ secret: Secret.fromSecretName(chartOf(), 'K', 'k') }) }),
      deps: { packages: ['org.apache.hadoop:hadoop-azure:3.4.1'] },
    }))).not.toThrow();
  });

  describe('refusals', () => {
    test.each<[string, (chart: Chart) => Partial<SparkApplicationProps>, string]>([
      ['a GCS workload-identity store written as an account without identity', () => ({ image: gcsImage(), eventLog: EventLogStore.gcs({ bucket: 'logs-1' }) }),
        'test/Pi: invalid serviceAccount "no workload identity": a ServiceAccount whose identity is WorkloadIdentity.gcp(...): '
        + 'the event log store gs://logs-1/spark-events is reached with GKE workload identity'],
      ['a GCS store written as an account with an AWS identity', (chart) => ({
        image: gcsImage(), eventLog: EventLogStore.gcs({ bucket: 'logs-1' }), serviceAccount: account(chart, WorkloadIdentity.aws('arn:aws:iam::123456789012:role/spark')),
      }), 'test/Pi: invalid serviceAccount "WorkloadIdentity.aws": a ServiceAccount whose identity is WorkloadIdentity.gcp(...)'],
      ['an ABFS store written as an account with a GCP identity', (chart) => ({
        image: azureImage(), eventLog: EventLogStore.abfs({ account: 'sparklogs', container: 'events' }), serviceAccount: account(chart, WorkloadIdentity.gcp(GSA)),
      }), 'test/Pi: invalid serviceAccount "WorkloadIdentity.gcp": a ServiceAccount whose identity is WorkloadIdentity.azure(...)'],
      ['Azure workload identity on Spark 3.5 (Hadoop 3.3)', (chart) => ({
        image: azureImage('3.5.7'), eventLog: EventLogStore.abfs({ account: 'sparklogs', container: 'events' }), serviceAccount: account(chart, WorkloadIdentity.azure(CLIENT)),
      }), 'test/Pi: invalid image "registry.example.com/spark-azure:3.5.7": an image of Spark 4.0.0 or later for the event log store '
        + `abfss://events@${HOST}/spark-events: hadoop-azure's WorkloadIdentityTokenProvider exists from Hadoop 3.4.1`],
      ['a GCS store with the apache/spark image', (chart) => ({ eventLog: gcsKeyFile(chart) }),
        'test/Pi: invalid image "docker.io/apache/spark:4.0.4": an image with the Cloud Storage connector (the event log goes to gs://acme-spark-logs/prod/events): this image lacks it'],
      ['an ABFS store with an image declaring nothing', (chart) => ({
        image: SparkImage.of({ repository: 'registry.example.com/spark', tag: '4.0.4', facts: SparkImageFacts.of({ passwdUids: [185] }) }),
        eventLog: EventLogStore.abfs({ account: 'sparklogs', container: 'events', credentials: AbfsCredentials.sharedKey({ secret: Secret.fromSecretName(chart, 'K', 'k') }) }),
      }), 'an image with hadoop-azure and its dependencies (the event log goes to abfss://events@sparklogs.dfs.core.windows.net/spark-events): this image does not declare it'],
      ['a driver variable the store sets', (chart) => ({
        image: azureImage(),
        eventLog: EventLogStore.abfs({ account: 'sparklogs', container: 'events', credentials: AbfsCredentials.sharedKey({ secret: Secret.fromSecretName(chart, 'K', 'k') }) }),
        driver: { env: { ABFS_ACCOUNT_KEY: { valueFrom: { secretKeyRef: { name: 'other', key: 'k' } } } as any } },
      }), 'test/Pi: invalid driver.env "ABFS_ACCOUNT_KEY": a variable the event log store does not set'],
    ])('%s', (_name, props, message) => {
      expect(() => application(props)).toThrow(message);
    });
  });
});

describe('SparkSubmitJob in cluster mode', () => {
  test('the key file\'s Secret and the account key reach the driver through Spark\'s own settings', () => {
    const chart = chartOf();
    const job = new SparkSubmitJob(chart, 'Submit', {
      type: PI.type,
      mainClass: PI.mainClass,
      mainApplicationFile: PI.mainApplicationFile,
      mode: DeployMode.CLUSTER,
      image: gcsImage(),
      eventLog: gcsKeyFile(chart),
    });
    synthValid(chart);
    const conf = job.conf.toRecord();
    expect(conf['spark.kubernetes.driver.secrets.gcs-key']).toBe('/etc/spark-event-logs/gcs');
    expect(conf['spark.hadoop.fs.gs.auth.service.account.json.keyfile']).toBe('/etc/spark-event-logs/gcs/sa.json');
  });
});

describe('SparkSubmitJob in client mode', () => {
  test('the submit pod is the driver: it mounts the key file itself', () => {
    const chart = chartOf();
    new SparkSubmitJob(chart, 'Submit', {
      type: PI.type,
      mainClass: PI.mainClass,
      mainApplicationFile: PI.mainApplicationFile,
      mode: DeployMode.CLIENT,
      image: gcsImage(),
      eventLog: gcsKeyFile(chart),
    });
    const pod = synthValid(chart).find((m) => m.kind === 'Job').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'spark-event-log-credentials', secret: { secretName: 'gcs-key', items: [{ key: 'sa.json', path: 'sa.json' }] } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'spark-event-log-credentials', mountPath: '/etc/spark-event-logs/gcs', readOnly: true });
  });
});

describe('SparkHistoryServer reading GCS and ABFS', () => {
  const server = (props: (chart: Chart) => any) => {
    const chart = chartOf();
    new SparkHistoryServer(chart, 'History', props(chart));
    return synthValid(chart);
  };

  test('defaults with a GCS key file', () => {
    const manifests = server((chart) => ({ store: gcsKeyFile(chart), image: gcsImage() }));
    expect(manifests).toMatchSnapshot();
    const pod = manifests.find((m) => m.kind === 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'spark-event-log-credentials', secret: { secretName: 'gcs-key', items: [{ key: 'sa.json', path: 'sa.json' }] } });
    // The init container creating the log directory reads the key file too.
    for (const container of [...pod.initContainers, ...pod.containers]) {
      expect(container.volumeMounts).toContainEqual({ name: 'spark-event-log-credentials', mountPath: '/etc/spark-event-logs/gcs', readOnly: true });
    }
    expect(manifests.find((m) => m.kind === 'ConfigMap').data['spark-defaults.conf'])
      .toContain('spark.hadoop.fs.gs.auth.service.account.json.keyfile /etc/spark-event-logs/gcs/sa.json');
  });

  test('Azure workload identity: the server\'s account carries it and its pod the webhook\'s label', () => {
    const manifests = server(() => ({
      store: EventLogStore.abfs({ account: 'sparklogs', container: 'events' }), image: azureImage(), identity: WorkloadIdentity.azure(CLIENT, { tenantId: TENANT }),
    }));
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    expect(deployment.spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(manifests.find((m) => m.kind === 'ServiceAccount').metadata.annotations)
      .toEqual({ 'azure.workload.identity/client-id': CLIENT, 'azure.workload.identity/tenant-id': TENANT });
    expect(manifests.find((m) => m.kind === 'ConfigMap').data['spark-defaults.conf'])
      .toContain(`spark.hadoop.fs.azure.account.oauth2.token.file.${HOST} \${env.AZURE_FEDERATED_TOKEN_FILE}`);
  });

  test.each<[string, (chart: Chart) => any, string]>([
    ['a GCS workload-identity store without identity', () => ({ store: EventLogStore.gcs({ bucket: 'logs-1' }), image: gcsImage() }),
      'test/History: invalid identity "no workload identity": a ServiceAccount whose identity is WorkloadIdentity.gcp(...)'],
    ['an ABFS workload-identity store with a GCP identity', () => ({
      store: EventLogStore.abfs({ account: 'sparklogs', container: 'events' }), image: azureImage(), identity: WorkloadIdentity.gcp(GSA),
    }), 'test/History: invalid identity "WorkloadIdentity.gcp": a ServiceAccount whose identity is WorkloadIdentity.azure(...)'],
    ['an image without the connector', () => ({ store: EventLogStore.gcs({ bucket: 'logs-1' }), identity: WorkloadIdentity.gcp(GSA) }),
      'test/History: invalid image "docker.io/apache/spark:4.0.4": an image with the Cloud Storage connector (the event logs are in gs://logs-1/spark-events)'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => server(props)).toThrow(message);
  });
});

describe('cluster model: drivers reach GCS and ABFS over HTTPS', () => {
  // The API server on 6443 only: an egress rule to addresses on 443 could reach the store (the model cannot tell addresses apart).
  const API = TenantApiServerAccess.toCidrs(['192.168.10.10/32'], [6443]);
  const synthError = (c: Chart): string => {
    try {
      c.toJson();
    } catch (e) {
      return (e as Error).message;
    }
    return '(synthesized without error)';
  };
  const tenantJob = (store: EventLogStore, identity: WorkloadIdentity, image: SparkImage, egress: TenantEgress[]) => {
    const c = new Chart(Testing.app(), 'test');
    const serviceAccount = new SparkServiceAccount(c, 'Account', { namespace: 'jobs', identity });
    new SparkTenant(c, 'T', { namespace: 'jobs', apiServer: API, serviceAccount, egress });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs', image, eventLog: store, serviceAccount });
    return synthError(c);
  };
  // Outside the cluster, a NetworkPolicy names the store by addresses: here every address but the cluster's own.
  const internet = NetworkPeer.cidr('0.0.0.0/0', ['10.0.0.0/8']);

  test.each<[string, () => EventLogStore, WorkloadIdentity, SparkImage, string]>([
    ['GCS', () => EventLogStore.gcs({ bucket: 'acme-spark-logs' }), WorkloadIdentity.gcp(GSA), gcsImage(), 'storage.googleapis.com:443'],
    ['ABFS', () => EventLogStore.abfs({ account: 'sparklogs', container: 'events' }), WorkloadIdentity.azure(CLIENT), azureImage(), `${HOST}:443`],
  ])('%s: blocked without the tenant\'s egress to the store, allowed with it', (_name, store, identity, image, endpoint) => {
    expect(tenantJob(store(), identity, image, [])).toContain(
      `SparkApplication jobs/pi (test/Pi/Resource): driver to the event-log store ${endpoint} is blocked by the NetworkPolicies of the app. `
      + 'Fix: allow egress to it (an address block)');
    const s = store();
    expect(tenantJob(s, identity, image, [TenantEgress.toEventLogStore(s, internet)])).toBe('(synthesized without error)');
  });
});

describe('SparkThriftServer writing to GCS', () => {
  const thrift = (identity?: WorkloadIdentity) => {
    const chart = chartOf();
    const server = new SparkThriftServer(chart, 'Sql', {
      metastore: HiveMetastore.thrift('thrift://hive-metastore.hive.svc:9083'),
      warehouseDir: 'gs://acme-lake/warehouse',
      image: gcsImage(),
      eventLog: EventLogStore.gcs({ bucket: 'acme-spark-logs' }),
      serviceAccount: identity ? account(chart, identity) : undefined,
    });
    synthValid(chart);
    return server;
  };

  test('the server (the driver) writes as its account, which needs a GCP identity', () => {
    expect(thrift(WorkloadIdentity.gcp(GSA)).sparkConf.get('spark.hadoop.fs.gs.auth.type')).toBe('COMPUTE_ENGINE');
    expect(() => thrift()).toThrow('test/Sql: invalid serviceAccount "no workload identity": a ServiceAccount whose identity is WorkloadIdentity.gcp(...)');
  });
});

describe('SparkStandaloneSubmit and messages', () => {
  const standalone = (store: EventLogStore) => {
    const chart = new Chart(Testing.app(), 'test');
    const cluster = new SparkStandaloneCluster(chart, 'Cluster', {
      authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }),
    });
    cluster.submitJob('Pi', { mainClass: PI.mainClass, mainApplicationFile: PI.mainApplicationFile, eventLog: store });
    return synthValid(chart);
  };

  test('the standalone submit pod has no cloud identity: a workload-identity store is refused, a key file works', () => {
    expect(() => standalone(EventLogStore.gcs({ bucket: 'logs-1' }))).toThrow(
      'test/Cluster/Pi: invalid eventLog "gs://logs-1/spark-events": a store reached without workload identity');
    const job = standalone(EventLogStore.gcs({ bucket: 'logs-1', credentials: GcsCredentials.keyFile({ secret: Secret.fromSecretName(chartOf(), 'K', 'gcs-key') }) }))
      .find((m) => m.kind === 'Job');
    expect(job.spec.template.spec.volumes).toContainEqual({ name: 'spark-event-log-credentials', secret: { secretName: 'gcs-key', items: [{ key: 'key.json', path: 'key.json' }] } });
  });

  test('an ABFS URI in a message keeps its container (no credential), a password in a URL stays masked', () => {
    expect(invalidInput('x', 'p', `abfss://events@${HOST}/a`, 'y').message).toBe(`x: invalid p "abfss://events@${HOST}/a": y`);
    expect(invalidInput('x', 'p', `abfss://u:secret@${HOST}/a`, 'y').message).toBe(`x: invalid p "abfss://***@${HOST}/a": y`);
  });
});
