import { Chart, Size, Testing } from 'cdk8s';
import { EnvValue, PersistentVolumeAccessMode, PersistentVolumeClaim, Secret, Volume } from 'cdk8s-plus-28';
import {
  EventLogStore, EventLogStoreKind, ScheduledSparkApplication, SparkApplication, SparkApplicationProps, SparkApplicationType,
  SparkConf,
} from '../../src';
import { s3Image } from '../harness/images';
import { synthValid } from '../harness/manifests';
import { libraryOperatorCrds } from '../harness/spark-operator';

function chartOf(): Chart {
  return new Chart(Testing.app(), 'test');
}

function minio(chart: Chart, extra: { accessKeyIdKey?: string; secretAccessKeyKey?: string } = {}): EventLogStore {
  return EventLogStore.s3({
    bucket: 'spark-logs',
    prefix: 'prod/events',
    endpoint: 'http://minio.storage.svc:9000/',
    pathStyleAccess: true,
    region: 'eu-west-1',
    credentials: { secret: Secret.fromSecretName(chart, 'Keys', 'minio-keys'), ...extra },
  });
}

function rwx(chart: Chart, modes = [PersistentVolumeAccessMode.READ_WRITE_MANY]): PersistentVolumeClaim {
  return new PersistentVolumeClaim(chart, 'Logs', { accessModes: modes, storage: Size.gibibytes(10) });
}

describe('EventLogStore', () => {
  test('S3-compatible store: URI, conf of jobs and history server, credentials, mkdir', () => {
    const store = minio(chartOf(), { accessKeyIdKey: 'access-key', secretAccessKeyKey: 'secret.key' });
    expect(store.kind).toBe(EventLogStoreKind.S3);
    expect(store.logDirectory).toBe('s3a://spark-logs/prod/events');
    expect(store.endpointPort).toBe(9000);
    const hadoop = {
      'spark.hadoop.fs.s3a.endpoint': 'http://minio.storage.svc:9000',
      'spark.hadoop.fs.s3a.connection.ssl.enabled': 'false',
      'spark.hadoop.fs.s3a.path.style.access': 'true',
      'spark.hadoop.fs.s3a.endpoint.region': 'eu-west-1',
    };
    expect(store.jobConf().toRecord()).toEqual({
      'spark.eventLog.enabled': 'true',
      'spark.eventLog.dir': 's3a://spark-logs/prod/events',
      ...hadoop,
    });
    expect(store.historyConf().toRecord()).toEqual({ 'spark.history.fs.logDirectory': 's3a://spark-logs/prod/events', ...hadoop });
    expect(store.historyConf().sourceOf('spark.history.fs.logDirectory')).toBe('EventLogStore s3a://spark-logs/prod/events');
    expect(store.env()).toEqual([
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'minio-keys', key: 'access-key' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'minio-keys', key: 'secret.key' } } },
    ]);
    expect(store.volumes()).toEqual([]);
    expect(store.volumeMounts(true)).toEqual([]);
    expect(store.mkdirCommand()).toEqual([
      '/opt/spark/bin/spark-class', 'org.apache.hadoop.fs.FsShell',
      '-D', 'fs.s3a.endpoint=http://minio.storage.svc:9000',
      '-D', 'fs.s3a.connection.ssl.enabled=false',
      '-D', 'fs.s3a.path.style.access=true',
      '-D', 'fs.s3a.endpoint.region=eu-west-1',
      '-mkdir', '-p', 's3a://spark-logs/prod/events',
    ]);
  });

  test('S3 defaults: AWS endpoint (443), prefix spark-events, default credential chain', () => {
    const store = EventLogStore.s3({ bucket: 'my.logs-bucket' });
    expect(store.logDirectory).toBe('s3a://my.logs-bucket/spark-events');
    expect(store.endpointPort).toBe(443);
    expect(store.env()).toEqual([]);
    expect(store.jobConf().toRecord()).toEqual({ 'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': 's3a://my.logs-bucket/spark-events' });
    expect(store.mkdirCommand()).toEqual(['/opt/spark/bin/spark-class', 'org.apache.hadoop.fs.FsShell', '-mkdir', '-p',
      's3a://my.logs-bucket/spark-events']);
    expect(EventLogStore.s3({ bucket: 'b12', endpoint: 'https://s3.example.com' }).endpointPort).toBe(443);
    expect(EventLogStore.s3({ bucket: 'b12', endpoint: 'https://s3.example.com' }).historyConf().get('spark.hadoop.fs.s3a.connection.ssl.enabled'))
      .toBe('true');
    expect(EventLogStore.s3({ bucket: 'b12', endpoint: 'http://10.0.0.5' }).endpointPort).toBe(80);
  });

  test('env() returns copies', () => {
    const store = minio(chartOf());
    (store.env()[0].valueFrom!.secretKeyRef as any).key = 'tampered';
    expect(store.env()[0].valueFrom!.secretKeyRef!.key).toBe('AWS_ACCESS_KEY_ID');
  });

  test('HDFS store', () => {
    const store = EventLogStore.hdfs('hdfs://namenode.hadoop.svc:9000/spark-logs/');
    expect(store.kind).toBe(EventLogStoreKind.HDFS);
    expect(store.logDirectory).toBe('hdfs://namenode.hadoop.svc:9000/spark-logs');
    expect(store.endpointPort).toBe(9000);
    expect(EventLogStore.hdfs('hdfs://namenode/logs').endpointPort).toBe(8020);
    expect(store.jobConf().toRecord()).toEqual({
      'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': 'hdfs://namenode.hadoop.svc:9000/spark-logs',
    });
    expect(store.historyConf().toRecord()).toEqual({ 'spark.history.fs.logDirectory': 'hdfs://namenode.hadoop.svc:9000/spark-logs' });
    expect(store.env()).toEqual([]);
    expect(store.volumes()).toEqual([]);
    expect(store.mkdirCommand()).toEqual(['/opt/spark/bin/spark-class', 'org.apache.hadoop.fs.FsShell', '-mkdir', '-p',
      'hdfs://namenode.hadoop.svc:9000/spark-logs']);
  });

  test('PVC store: file URI, volume and mounts (read-only on request), mkdir of the mount', () => {
    const chart = chartOf();
    const claim = rwx(chart);
    const store = EventLogStore.pvc({ claim, subPath: 'spark/events', mountPath: '/data/events/' });
    expect(store.kind).toBe(EventLogStoreKind.PVC);
    expect(store.logDirectory).toBe('file:///data/events');
    expect(store.mountPath).toBe('/data/events');
    expect(store.claim).toBe(claim);
    expect(store.endpointPort).toBeUndefined();
    expect(store.jobConf().toRecord()).toEqual({ 'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': 'file:///data/events' });
    expect(store.volumes()).toEqual([{ name: 'spark-event-logs', persistentVolumeClaim: { claimName: claim.name } }]);
    expect(store.volumes(true)).toEqual([{ name: 'spark-event-logs', persistentVolumeClaim: { claimName: claim.name, readOnly: true } }]);
    expect(store.volumeMounts()).toEqual([{ name: 'spark-event-logs', mountPath: '/data/events', subPath: 'spark/events' }]);
    expect(store.volumeMounts(true)).toEqual([{ name: 'spark-event-logs', mountPath: '/data/events', subPath: 'spark/events', readOnly: true }]);
    // The mount point always exists: nothing to create.
    expect(store.mkdirCommand()).toBeUndefined();
    // An imported claim's access modes are unknown: accepted.
    const imported = EventLogStore.pvc({ claim: PersistentVolumeClaim.fromClaimName(chart, 'Imported', 'shared-logs') });
    expect(imported.logDirectory).toBe('file:///var/spark-events');
    expect(imported.volumes()[0].persistentVolumeClaim!.claimName).toBe('shared-logs');
  });

  test('local store (tests)', () => {
    const store = EventLogStore.local();
    expect(store.kind).toBe(EventLogStoreKind.LOCAL);
    expect(store.logDirectory).toBe('file:///tmp/spark-events');
    expect(store.historyConf().toRecord()).toEqual({ 'spark.history.fs.logDirectory': 'file:///tmp/spark-events' });
    expect(store.volumes()).toEqual([{ name: 'spark-event-logs', emptyDir: {} }]);
    expect(store.volumeMounts()).toEqual([{ name: 'spark-event-logs', mountPath: '/tmp/spark-events' }]);
    expect(store.mkdirCommand()).toBeUndefined();
    expect(EventLogStore.local('/var/log/spark/').logDirectory).toBe('file:///var/log/spark');
  });

  test('rolling event logs', () => {
    const conf = EventLogStore.hdfs('hdfs://nn/logs').jobConf({ rollingMaxFileSize: Size.mebibytes(128) });
    expect(conf.get('spark.eventLog.rolling.enabled')).toBe('true');
    expect(conf.get('spark.eventLog.rolling.maxFileSize')).toBe('128m');
    expect(() => EventLogStore.hdfs('hdfs://nn/logs').jobConf({ rollingMaxFileSize: Size.mebibytes(5) }))
      .toThrow('EventLogStore.jobConf: invalid rollingMaxFileSize "5 MiB": at least 10 MiB, in whole MiB');
    expect(() => EventLogStore.hdfs('hdfs://nn/logs').jobConf({ rollingMaxFileSize: Size.kibibytes(10300) }))
      .toThrow('EventLogStore.jobConf: invalid rollingMaxFileSize');
  });

  test('a job conf disagreeing with the store cannot silently win', () => {
    const store = EventLogStore.hdfs('hdfs://nn/logs');
    expect(() => SparkConf.of({ 'spark.eventLog.dir': 'hdfs://nn/other' }, 'job conf').merge(store.jobConf()))
      .toThrow('SparkConf.merge: invalid Spark conf key "spark.eventLog.dir" "hdfs://nn/logs": it is set to "hdfs://nn/other" by job conf'
        + ' and to "hdfs://nn/logs" by EventLogStore hdfs://nn/logs');
  });

  describe('refuses bad input', () => {
    test.each(['My_Bucket', 'ab', 'a'.repeat(64), 'my..bucket', '-bucket', 'bucket-', ''])('S3 bucket %j', (bucket) => {
      expect(() => EventLogStore.s3({ bucket })).toThrow(`EventLogStore.s3: invalid bucket ${JSON.stringify(bucket)}: an S3 bucket name`);
    });

    test.each(['/events', 'events/', 'a//b', '../x', 'a b', ''])('S3 prefix %j', (prefix) => {
      expect(() => EventLogStore.s3({ bucket: 'logs', prefix })).toThrow(`EventLogStore.s3: invalid prefix ${JSON.stringify(prefix)}: a key prefix`);
    });

    test.each(['minio:9000', 'https://minio/path', 'https://minio:70000', 'ftp://minio', 'https://Minio', 'https://user@minio', 'https://minio:0'])(
      'S3 endpoint %j', (endpoint) => {
        expect(() => EventLogStore.s3({ bucket: 'logs', endpoint }))
          .toThrow(`EventLogStore.s3: invalid endpoint ${JSON.stringify(endpoint.replace('user@', '***@'))}: an http:// or https:// URL`);
      });

    test.each(['/spark-logs', 'spark-logs', 'hdfs://nn', 'hdfs:///logs', 'hdfs://nn:0/logs', 'hdfs://nn:99999/logs',
      's3a://bucket/logs', 'hdfs://nn/a//b', 'hdfs://nn/a/../b', 'hdfs://NN/logs', 'hdfs://nn/a b'])('HDFS URI %j', (uri) => {
      expect(() => EventLogStore.hdfs(uri)).toThrow(`EventLogStore.hdfs: invalid uri ${JSON.stringify(uri)}: an absolute HDFS URI`);
    });

    test.each(['spark-events', '/', '/a//b', '/a/../b', './x', ''])('local directory %j', (directory) => {
      expect(() => EventLogStore.local(directory)).toThrow(`EventLogStore.local: invalid directory ${JSON.stringify(directory)}: an absolute path`);
    });

    test.each<[string, () => unknown, string]>([
      ['no S3 bucket (JavaScript callers)', () => EventLogStore.s3({ bucket: undefined as any }), 'EventLogStore.s3: invalid bucket (undefined)'],
      ['an S3 region with capitals and an underscore', () => EventLogStore.s3({ bucket: 'logs', region: 'EU_WEST' }), 'EventLogStore.s3: invalid region "EU_WEST"'],
      ['a credentials Secret key with a space',
        () => EventLogStore.s3({ bucket: 'logs', credentials: { secret: Secret.fromSecretName(chartOf(), 'S', 'keys'), accessKeyIdKey: 'bad key' } }),
        'EventLogStore.s3: invalid credentials.accessKeyIdKey "bad key": a Secret key'],
      ['no HDFS URI (JavaScript callers)', () => EventLogStore.hdfs(undefined as any), 'EventLogStore.hdfs: invalid uri (undefined)'],
      ['a relative claim mountPath', () => EventLogStore.pvc({ claim: rwx(chartOf()), mountPath: 'events' }),
        'EventLogStore.pvc: invalid mountPath "events": an absolute path'],
      ['a claim subPath leaving the volume', () => EventLogStore.pvc({ claim: rwx(chartOf()), subPath: '../events' }),
        'EventLogStore.pvc: invalid subPath "../events": a relative path'],
      ['an absolute claim subPath', () => EventLogStore.pvc({ claim: rwx(chartOf()), subPath: '/events' }), 'EventLogStore.pvc: invalid subPath "/events"'],
      // Claims that are not ReadWriteMany.
      ['a ReadWriteOnce claim', () => EventLogStore.pvc({ claim: rwx(chartOf(), [PersistentVolumeAccessMode.READ_WRITE_ONCE]) }),
        'EventLogStore.pvc: invalid claim.accessModes ["ReadWriteOnce"]: ReadWriteMany'],
      ['a claim without access modes', () => EventLogStore.pvc({ claim: new PersistentVolumeClaim(chartOf(), 'NoModes', { storage: Size.gibibytes(1) }) }),
        'EventLogStore.pvc: invalid claim.accessModes'],
    ])('%s', (_name, make, message) => {
      expect(make).toThrow(message);
    });
  });
});

// --- Jobs writing to a store -------------------------------------------------

const crds = libraryOperatorCrds;

const PI: SparkApplicationProps = {
  type: SparkApplicationType.SCALA,
  // The stores under test include s3a://: an image with hadoop-aws.
  image: s3Image(),
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

function appSpec(props: (chart: Chart) => Partial<SparkApplicationProps>): any {
  const chart = chartOf();
  new SparkApplication(chart, 'Pi', { ...PI, ...props(chart) });
  return synthValid(chart, { crds: crds() }).find((m) => m.kind === 'SparkApplication').spec;
}

describe('SparkApplication event logs', () => {
  test('S3: conf merged after the job conf, credentials on the driver only', () => {
    const spec = appSpec((chart) => ({
      eventLog: minio(chart),
      eventLogOptions: { rollingMaxFileSize: Size.mebibytes(64) },
      sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '8', 'spark.hadoop.fs.s3a.path.style.access': 'true' }),
    }));
    expect(spec.sparkConf).toEqual({
      'spark.sql.shuffle.partitions': '8',
      'spark.hadoop.fs.s3a.path.style.access': 'true',
      'spark.eventLog.enabled': 'true',
      'spark.eventLog.dir': 's3a://spark-logs/prod/events',
      'spark.eventLog.rolling.enabled': 'true',
      'spark.eventLog.rolling.maxFileSize': '64m',
      'spark.hadoop.fs.s3a.endpoint': 'http://minio.storage.svc:9000',
      'spark.hadoop.fs.s3a.connection.ssl.enabled': 'false',
      'spark.hadoop.fs.s3a.endpoint.region': 'eu-west-1',
    });
    expect(spec.driver.env).toEqual([
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'minio-keys', key: 'AWS_ACCESS_KEY_ID' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'minio-keys', key: 'AWS_SECRET_ACCESS_KEY' } } },
    ]);
    expect(spec.executor.env).toBeUndefined();
    expect(spec.volumes).toBeUndefined();
  });

  test('driver env of its own comes first', () => {
    const spec = appSpec((chart) => ({ eventLog: minio(chart), driver: { env: { TZ: EnvValue.fromValue('UTC') } } }));
    expect(spec.driver.env.map((e: any) => e.name)).toEqual(['TZ', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
  });

  test('PVC: the claim is a volume of the application, mounted read-write into the driver only', () => {
    let claimName = '';
    const spec = appSpec((chart) => {
      const claim = rwx(chart);
      claimName = claim.name;
      return { eventLog: EventLogStore.pvc({ claim }), volumes: [Volume.fromEmptyDir(chart, 'Scratch', 'scratch')] };
    });
    expect(spec.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'spark-event-logs', persistentVolumeClaim: { claimName } },
    ]);
    expect(spec.driver.volumeMounts).toEqual([{ name: 'spark-event-logs', mountPath: '/var/spark-events' }]);
    expect(spec.executor.volumeMounts).toBeUndefined();
    expect(spec.sparkConf['spark.eventLog.dir']).toBe('file:///var/spark-events');
  });

  test('local: the driver gets an empty directory to write to', () => {
    const spec = appSpec(() => ({ eventLog: EventLogStore.local() }));
    expect(spec.volumes).toEqual([{ name: 'spark-event-logs', emptyDir: {} }]);
    expect(spec.driver.volumeMounts).toEqual([{ name: 'spark-event-logs', mountPath: '/tmp/spark-events' }]);
  });

  test('ScheduledSparkApplication: the template writes the event log', () => {
    const chart = chartOf();
    new ScheduledSparkApplication(chart, 'Nightly', { ...PI, schedule: '@daily', eventLog: EventLogStore.hdfs('hdfs://nn:8020/logs') });
    const template = synthValid(chart, { crds: crds() }).find((m) => m.kind === 'ScheduledSparkApplication').spec.template;
    expect(template.sparkConf).toEqual({ 'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': 'hdfs://nn:8020/logs' });
  });

  describe('refuses conflicts', () => {
    const make = (props: (chart: Chart) => Partial<SparkApplicationProps>) => () => appSpec(props);

    test.each<[string, (chart: Chart) => Partial<SparkApplicationProps>, string]>([
      ['sparkConf against the store', () => ({ eventLog: EventLogStore.local(), sparkConf: SparkConf.of({ 'spark.eventLog.enabled': 'false' }, 'my conf') }),
        'test/Pi: invalid Spark conf key "spark.eventLog.enabled" "true": it is set to "false" by my conf and to "true" by EventLogStore'],
      // The operator would override silently.
      ['hadoopConf against the store', (chart) => ({ eventLog: minio(chart), hadoopConf: { 'fs.s3a.endpoint': 'http://other:9000' } }),
        'test/Pi: invalid hadoopConf "fs.s3a.endpoint" "http://other:9000": the value sparkConf or the event log store gives'],
      ['a driver env variable the store sets', (chart) => ({
        eventLog: minio(chart),
        driver: { env: { AWS_ACCESS_KEY_ID: EnvValue.fromSecretValue({ secret: Secret.fromSecretName(chart, 'Other', 'other-keys'), key: 'id' }) } },
      }),
      'test/Pi: invalid driver.env "AWS_ACCESS_KEY_ID": a variable the event log store does not set'],
      ['a volume named like the store\'s', (chart) => ({ eventLog: EventLogStore.local(), volumes: [Volume.fromEmptyDir(chart, 'V', 'spark-event-logs')] }),
        'test/Pi: invalid volumes "spark-event-logs": volumes with distinct names'],
      ['an executor volume mount named like the store\'s volume', (chart) => ({
        eventLog: EventLogStore.local(),
        executor: { volumeMounts: [{ volume: Volume.fromEmptyDir(chart, 'V', 'spark-event-logs'), path: '/x' }] },
      }), 'test/Pi: invalid volumes "spark-event-logs": volumes with distinct names'],
      ['eventLogOptions without a store', () => ({ eventLogOptions: { rollingMaxFileSize: Size.mebibytes(64) } }), 'test/Pi: invalid eventLogOptions'],
      ['a store that is not an EventLogStore', () => ({ eventLog: 's3a://b/p' as any }), 'test/Pi: invalid eventLog "s3a://b/p": an EventLogStore'],
    ])('%s', (_name, props, message) => {
      expect(make(props)).toThrow(message);
    });

    test('hadoopConf giving the store\'s own value is accepted', () => {
      expect(make((chart) => ({ eventLog: minio(chart), hadoopConf: { 'fs.s3a.path.style.access': 'true' } }))).not.toThrow();
    });
  });
});
