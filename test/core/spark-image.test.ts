import { Chart, Testing } from 'cdk8s';
import { ImagePullPolicy, Secret } from 'cdk8s-plus-28';
import {
  DeployMode, EventLogStore, HiveMetastore, ImageRegistryOverride, SparkApplication, SparkApplicationType, SparkConf, SparkHistoryServer,
  SparkImage, SparkImageFacts, SparkStandaloneCluster, StandaloneAuthentication, SparkSubmitJob, SparkThriftServer,
} from '../../src';
import { s3Image } from '../harness/images';

describe('SparkImage', () => {
  test('defaults: the Apache image of the default Spark version', () => {
    const image = SparkImage.apache();
    expect({
      reference: image.reference,
      sparkVersion: image.sparkVersion,
      pullPolicy: image.pullPolicy,
      uid: image.uid,
      pullSecrets: image.pullSecrets.length,
      facts: { ...image.facts },
    }).toMatchSnapshot();
    expect(image.reference).toBe('docker.io/apache/spark:4.0.4');
    // apache/spark-docker versions.json: the plain version tag is the scala/java/python3 image, without R.
    expect(image.facts.python).toBe(true);
    expect(image.facts.r).toBe(false);
    expect(image.uid).toBe(185);
    expect(image.pullPolicy).toBe(ImagePullPolicy.IF_NOT_PRESENT);
  });

  test('reads the Spark version from a descriptive tag, or takes it explicitly', () => {
    expect(SparkImage.of({ tag: '3.5.7-scala2.12-java17-python3-ubuntu' }).sparkVersion).toBe('3.5.7');
    const custom = SparkImage.of({ repository: 'registry.corp/spark', tag: 'team-build-42', sparkVersion: '3.5.7' });
    expect(custom.sparkVersion).toBe('3.5.7');
    expect(custom.isAtLeast(3, 0)).toBe(true);
    expect(custom.isAtLeast(4, 0)).toBe(false);
    expect(custom.with({ tag: '4.0.4' }).sparkVersion).toBe('4.0.4');
    expect(custom.with({ pullPolicy: ImagePullPolicy.ALWAYS }).tag).toBe('team-build-42');
  });

  test('emits the image through the registry override in force', () => {
    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('10.0.0.5:5000'));
    const chart = new Chart(app, 'jobs');
    expect(SparkImage.apache('3.5.7').imageFor(chart)).toBe('10.0.0.5:5000/apache/spark:3.5.7');
  });

  test('pull secrets: the image keeps its own frozen list; a later change of the given array fails synth where the image was emitted', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'jobs');
    const given = [Secret.fromSecretName(chart, 'Pull', 'registry-creds')];
    const image = SparkImage.apache('4.0.4', { pullSecrets: given });
    expect(() => (image.pullSecrets as any[]).push(given[0])).toThrow(TypeError);
    const user = new Chart(app, 'user');
    image.imageFor(user);
    expect(() => app.synth()).not.toThrow();
    given.push(Secret.fromSecretName(chart, 'Other', 'other-creds'));
    expect(image.pullSecrets.map((s) => s.name)).toEqual(['registry-creds']);
    expect(() => app.synth()).toThrow('user: image.pullSecrets changed after user was created, so the change would be ignored: '
      + 'give every pull secret in SparkImage pullSecrets before passing the image');
  });

  test('facts: passwdUids is a frozen copy; a later change of the given array fails synth where the image was emitted', () => {
    const app = Testing.app();
    const uids = [185];
    const image = SparkImage.of({ repository: 'registry.corp/spark', tag: '4.0.4', facts: SparkImageFacts.of({ passwdUids: uids }) });
    expect(() => image.facts.passwdUids!.push(1001)).toThrow(TypeError);
    const user = new Chart(app, 'user');
    image.imageFor(user);
    expect(() => app.synth()).not.toThrow();
    uids.push(1001);
    expect(image.facts.passwdUids).toEqual([185]);
    expect(() => app.synth()).toThrow('user: image.facts.passwdUids changed after user was created, so the change would be ignored: '
      + 'declare every uid in SparkImageFacts passwdUids before creating the image');
  });

  test('carries pull secrets as objects', () => {
    const chart = Testing.chart();
    const secret = Secret.fromSecretName(chart, 'Pull', 'registry-creds');
    expect(SparkImage.apache('4.0.4', { pullSecrets: [secret] }).pullSecrets[0].name).toBe('registry-creds');
  });

  test.each([
    [{ tag: 'latest' }, 'invalid tag "latest"'],
    [{ tag: 'nightly' }, 'invalid sparkVersion (undefined): a Spark version like "4.0.4"; it cannot be read from tag "nightly"'],
    [{ tag: 'x', sparkVersion: '4' }, 'invalid sparkVersion "4": a version "major.minor.patch"'],
    [{ repository: 'Apache/Spark', tag: '4.0.4' }, 'invalid repository/tag/digest "Apache/Spark:4.0.4"'],
    // Only the official repository has a default tag: another one would silently become <repository>:4.0.4.
    [{ repository: 'spark' }, 'invalid tag (undefined): the tag (or digest) of the image in spark; only the official apache/spark repository has a default'],
    [{ repository: 'registry.example.com/data/spark' }, 'invalid tag (undefined): the tag (or digest) of the image in registry.example.com/data/spark'],
    [{ uid: 0 }, 'invalid uid 0: a positive integer user id other than 0'],
  ])('rejects %j', (props, message) => {
    expect(() => SparkImage.of(props)).toThrow(`SparkImage: ${message}`);
  });
});

describe('SparkImage facts', () => {
  test('the official apache/spark images: user spark (uid 185) and wget, no hadoop-aws (apache/spark-docker Dockerfiles)', () => {
    for (const image of [SparkImage.apache(), SparkImage.apache('3.5.7'), SparkImage.of({ tag: '4.0.0-scala2.13-java17-ubuntu' })]) {
      expect(image.facts.passwdUids).toEqual([185]);
      expect(image.facts.wget).toBe(true);
      expect(image.facts.hadoopAws).toBe(false);
    }
  });

  test('another repository declares nothing until told; copies keep the facts', () => {
    const custom = SparkImage.of({ repository: 'registry.corp/spark', tag: '4.0.4' });
    const { passwdUids, curl, wget, hadoopAws } = custom.facts;
    expect([passwdUids, curl, wget, hadoopAws]).toEqual([undefined, undefined, undefined, undefined]);
    const declared = custom.with({ facts: SparkImageFacts.fromApacheImage({ hadoopAws: true }) });
    expect(declared.facts).toMatchObject({ passwdUids: [185], wget: true, hadoopAws: true });
    // A copy in another registry is the same image.
    expect(declared.with({ repository: 'mirror.corp/spark' }).facts).toBe(declared.facts);
    expect(SparkImage.apache().with({ repository: '10.0.0.5:5000/apache/spark' }).facts.passwdUids).toEqual([185]);
    expect(SparkImageFacts.of({ curl: true }).with({ wget: false })).toMatchObject({ curl: true, wget: false });
  });

  test.each([
    [{ passwdUids: [-1] }, 'SparkImageFacts: invalid passwdUids -1: user ids'],
    [{ passwdUids: [1.5] }, 'SparkImageFacts: invalid passwdUids 1.5: user ids'],
  ])('rejects facts %j', (props, message) => {
    expect(() => SparkImageFacts.of(props)).toThrow(message);
  });

  test('isSparkImage / isSparkImageFacts recognise instances of any copy of the library, not look-alikes', () => {
    expect(SparkImage.isSparkImage(SparkImage.apache())).toBe(true);
    expect(SparkImage.isSparkImage({ reference: 'docker.io/apache/spark:4.0.4' })).toBe(false);
    expect(SparkImageFacts.isSparkImageFacts(SparkImageFacts.apacheImage())).toBe(true);
    expect(SparkImageFacts.isSparkImageFacts({ wget: true })).toBe(false);
    // What a second copy of the library creates: another class, the same global mark (core/brand.ts uses Symbol.for).
    const fromOtherCopy = { passwdUids: [185], wget: true, [Symbol.for('cdk8s-spark.SparkImageFacts')]: true };
    expect(SparkImage.of({ repository: 'registry.corp/spark', tag: '4.0.4', facts: fromOtherCopy as any }).facts).toBe(fromOtherCopy);
  });

  test('rejects facts that are not SparkImageFacts', () => {
    expect(() => SparkImage.of({ facts: { curl: true } as any })).toThrow('SparkImage: invalid facts "object": SparkImageFacts');
  });
});

describe('constructs refuse an image without the facts they rely on', () => {
  const PI = {
    type: SparkApplicationType.SCALA,
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
  };
  const s3 = () => EventLogStore.s3({ bucket: 'logs' });
  const hdfs = () => EventLogStore.hdfs('hdfs://namenode:8020/logs');
  const undeclared = SparkImage.of({ repository: 'registry.corp/spark', tag: '4.0.4' });
  const noHttp = SparkImage.of({ repository: 'registry.corp/spark', tag: '4.0.4', facts: SparkImageFacts.of({ passwdUids: [185], curl: false, wget: false }) });
  const curlOnly = SparkImage.of({ repository: 'registry.corp/spark', tag: '4.0.4', facts: SparkImageFacts.of({ passwdUids: [185], curl: true }) });
  const uid1001 = SparkImage.apache('4.0.4', { uid: 1001 });

  type Make = (chart: Chart) => void;
  const cases: Array<[string, Make, string[]]> = [
    ['SparkSubmitJob: no curl nor wget for the wrapper', (c) => new SparkSubmitJob(c, 'Job', { ...PI, image: noHttp }),
      ['test/Job: invalid image "registry.corp/spark:4.0.4": an image with curl or wget', 'this image lacks it', 'install curl', 'curl: true']],
    ['SparkSubmitJob: undeclared image', (c) => new SparkSubmitJob(c, 'Job', { ...PI, image: undeclared }),
      ['test/Job: invalid image "registry.corp/spark:4.0.4": an image with an /etc/passwd entry for uid 185', 'does not declare it',
        'useradd --uid 185', 'passwdUids: [185]']],
    ['SparkSubmitJob: s3a:// application on the apache image', (c) => new SparkSubmitJob(c, 'Job', { ...PI, mainApplicationFile: 's3a://jobs/pi.jar' }),
      ['test/Job: invalid image "docker.io/apache/spark:4.0.4": an image with hadoop-aws', 'this image lacks it', 'hadoopAws: true']],
    ['SparkApplication: S3 event log on the apache image', (c) => new SparkApplication(c, 'App', { ...PI, eventLog: s3() }),
      ['test/App: invalid image "docker.io/apache/spark:4.0.4": an image with hadoop-aws and its AWS SDK bundle (the event log goes to s3a://logs/spark-events)',
        'add hadoop-aws']],
    ['SparkApplication: uid 1001 on the apache image', (c) => new SparkApplication(c, 'App', { ...PI, image: uid1001 }),
      ['test/App: invalid image "docker.io/apache/spark:4.0.4": an image with an /etc/passwd entry for uid 1001', 'this image lacks it']],
    ['SparkHistoryServer: S3 store on the apache image', (c) => new SparkHistoryServer(c, 'History', { store: s3() }),
      ['test/History: invalid image "docker.io/apache/spark:4.0.4": an image with hadoop-aws', '(the event logs are in s3a://logs/spark-events)']],
    ['SparkHistoryServer: HDFS init container, undeclared image', (c) => new SparkHistoryServer(c, 'History', { store: hdfs(), image: undeclared }),
      ['test/History: invalid image', 'the server and its init container creating the log directory log in to Hadoop', 'does not declare it']],
    ['SparkApplication: an s3a:// path in its Spark conf',
      (c) => new SparkApplication(c, 'App', { ...PI, sparkConf: SparkConf.of({ 'spark.kubernetes.file.upload.path': 's3a://uploads/spark' }) }),
      ['test/App: invalid image "docker.io/apache/spark:4.0.4": an image with hadoop-aws and its AWS SDK bundle (the Spark configuration names s3a:// paths)']],
    ['SparkThriftServer: s3a:// warehouse on the apache image',
      (c) => new SparkThriftServer(c, 'Sql', { metastore: HiveMetastore.thrift('thrift://hms:9083'), warehouseDir: 's3a://lake/warehouse' }),
      ['test/Sql: invalid image "docker.io/apache/spark:4.0.4": an image with hadoop-aws']],
    ['SparkStandaloneCluster: undeclared image',
      (c) => new SparkStandaloneCluster(c, 'Cluster', { image: undeclared, authentication: StandaloneAuthentication.none() }),
      ['test/Cluster: invalid image "registry.corp/spark:4.0.4": an image with an /etc/passwd entry for uid 185 (the master, the workers']],
  ];
  test.each(cases)('%s', (_name, make, messages) => {
    const chart = new Chart(Testing.app(), 'test');
    let error: Error | undefined;
    try {
      make(chart);
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeDefined();
    for (const m of messages) {
      expect(error!.message).toContain(m);
    }
  });

  test('what is needed is all that is asked for', () => {
    const chart = new Chart(Testing.app(), 'test');
    // curl alone serves the wrapper; client mode runs no wrapper.
    new SparkSubmitJob(chart, 'Curl', { ...PI, image: curlOnly });
    new SparkSubmitJob(chart, 'Client', { ...PI, image: noHttp, mode: DeployMode.CLIENT });
    // hadoop-aws fetched at submission serves s3a:// too.
    new SparkSubmitJob(chart, 'Packages', {
      ...PI, mainApplicationFile: 's3a://jobs/pi.jar', deps: { packages: ['org.apache.hadoop:hadoop-aws:3.4.1'] },
    });
    new SparkHistoryServer(chart, 'History', { store: hdfs() });
    new SparkSubmitJob(chart, 'ConfPackages', {
      ...PI,
      deps: { packages: ['org.apache.hadoop:hadoop-aws:3.4.1'] },
      sparkConf: SparkConf.of({ 'spark.sql.warehouse.dir': 's3a://lake/wh' }),
    });
    new SparkHistoryServer(chart, 'S3History', { store: s3(), image: s3Image(), name: 's3-history' });
    expect(Testing.synth(chart).filter((o) => o.kind === 'Job')).toHaveLength(4);
  });
});

describe('SparkImage.with', () => {
  test('another tag of the official image has that tag\'s facts and no old digest', () => {
    const jvm = SparkImage.apache('3.5.7').with({ tag: '3.5.7-scala' });
    expect([jvm.facts.python, jvm.facts.r]).toEqual([false, false]);
    const r = SparkImage.apache('3.5.7').with({ tag: '3.5.7-r' });
    expect([r.facts.python, r.facts.r]).toEqual([false, true]);
    const pinned = SparkImage.apache('3.5.7', { digest: `sha256:${'a'.repeat(64)}` });
    expect(pinned.with({ tag: '3.5.7-r' }).digest).toBeUndefined();
    expect(pinned.with({ pullPolicy: ImagePullPolicy.ALWAYS }).digest).toBe(pinned.digest);
    expect(SparkImage.apache('3.5.7').with({ sparkVersion: '3.5.6' }).reference).toBe('docker.io/apache/spark:3.5.6');
  });

  test('a copy in another repository keeps the image\'s facts (the same content, e.g. in a mirror)', () => {
    const copy = SparkImage.apache('3.5.7', { tag: '3.5.7-r' }).with({ repository: 'registry.example.com/apache/spark' });
    expect([copy.facts.python, copy.facts.r, copy.facts.passwdUids]).toEqual([false, true, [185]]);
  });
});
