import { Chart, Duration, Testing } from 'cdk8s';
import {
  CelebornClientJar, CelebornShuffleWriter, NetworkPeer, RemoteShuffleService, ScheduledSparkApplication, ScheduledSparkSubmitJob,
  SparkApplication, SparkApplicationType, SparkConf, SparkImage, SparkSubmitJob, SparkTenant, TenantApiServerAccess,
  TenantEgress,
} from '../../src';
import { synthValid } from '../harness/manifests';
import { libraryOperatorCrds, pairsAfter } from '../harness/spark-operator';

const crds = libraryOperatorCrds;

const MASTERS = ['celeborn-master-0.celeborn-master-svc.shuffle:9097', 'celeborn-master-1.celeborn-master-svc.shuffle:9097',
  'celeborn-master-2.celeborn-master-svc.shuffle:9097'];
const celeborn = (more: object = {}) => RemoteShuffleService.fromEndpoints({ masterEndpoints: MASTERS, ...more });

const APP = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

function applicationSpec(props: object): any {
  const chart = new Chart(Testing.app(), 'test');
  new SparkApplication(chart, 'Pi', { ...APP, ...props });
  return synthValid(chart, { crds: crds() }).find((m) => m.kind === 'SparkApplication').spec;
}

/** The `--conf` pairs of the spark-submit container of a Job or CronJob. */
function submitConf(manifests: any[]): { [key: string]: string } {
  const workload = manifests.find((m) => m.kind === 'Job' || m.kind === 'CronJob');
  const pod = workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
  return pairsAfter(pod.containers[0].args, '--conf');
}

const CELEBORN_CONF = {
  'spark.shuffle.manager': 'org.apache.spark.shuffle.celeborn.SparkShuffleManager',
  'spark.serializer': 'org.apache.spark.serializer.KryoSerializer',
  'spark.celeborn.master.endpoints': MASTERS.join(','),
  'spark.shuffle.service.enabled': 'false',
};

describe('RemoteShuffleService.fromEndpoints', () => {
  test('keeps the parsed masters and the worker ports', () => {
    expect(celeborn().masterEndpoints).toEqual(MASTERS.map((e) => ({ host: e.split(':')[0], port: 9097 })));
    expect(celeborn().workerPorts).toEqual([]);
    expect(celeborn({ workerPorts: [9091, 9092, 9093, 9093] }).workerPorts).toEqual([9091, 9092, 9093]);
  });

  test.each([
    ['no master', { masterEndpoints: [] }, 'RemoteShuffleService.fromEndpoints: invalid masterEndpoints []: at least one master endpoint "host:port"'],
    ['a master without port', { masterEndpoints: ['celeborn-master'] }, 'invalid masterEndpoints "celeborn-master": HOST:PORT'],
    ['a URL', { masterEndpoints: ['http://celeborn:9097'] }, 'invalid masterEndpoints "http://celeborn:9097"'],
    ['a master twice', { masterEndpoints: ['a:9097', 'a:9097'] }, 'invalid masterEndpoints "a:9097": distinct endpoints; this one is listed twice'],
    ['a typed key in sparkConf', { masterEndpoints: MASTERS, sparkConf: SparkConf.of({ 'spark.celeborn.client.push.replicate.enabled': 'true' }) },
      'RemoteShuffleService: invalid sparkConf key "spark.celeborn.client.push.replicate.enabled": a key no typed option sets; set it through replicate'],
    ['a non-Celeborn key in sparkConf', { masterEndpoints: MASTERS, sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '400' }) },
      'RemoteShuffleService: invalid sparkConf key "spark.sql.shuffle.partitions": a Celeborn client key "spark.celeborn.*"'],
    ['an unknown writer', { masterEndpoints: MASTERS, shuffleWriter: 'fast' }, 'RemoteShuffleService: invalid shuffleWriter "fast": hash or sort'],
    ['a worker port out of range', { masterEndpoints: MASTERS, workerPorts: [70000] }, 'RemoteShuffleService.fromEndpoints: invalid workerPorts 70000'],
  ])('refuses %s', (_, props, message) => {
    expect(() => RemoteShuffleService.fromEndpoints(props as any)).toThrow(message);
  });

  test.each([
    ['mavenCentral', () => CelebornClientJar.mavenCentral('0.7'), 'CelebornClientJar.mavenCentral: invalid version "0.7": a Celeborn release'],
    ['fromUrl', () => CelebornClientJar.fromUrl('celeborn.jar'), 'CelebornClientJar.fromUrl: invalid url "celeborn.jar": the URL of a jar'],
    ['fromUrl with a list', () => CelebornClientJar.fromUrl('https://a/x.jar,https://b/y.jar'), 'CelebornClientJar.fromUrl: invalid url'],
  ])('CelebornClientJar.%s refuses bad input', (_, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('a SparkApplication with shuffle: Celeborn', () => {
  test('gets the client conf and jar; dynamic allocation runs without shuffle tracking', () => {
    const spec = applicationSpec({ shuffle: celeborn(), dynamicAllocation: { minExecutors: 1, maxExecutors: 8 } });
    expect(spec.sparkConf).toEqual({
      ...CELEBORN_CONF,
      // Spark 3.5+: the ShuffleDataIO that tells Spark the shuffle data is stored remotely.
      'spark.shuffle.sort.io.plugin.class': 'org.apache.spark.shuffle.celeborn.CelebornShuffleDataIO',
      // The client jar is a package: Ivy's cache where the operator and the driver can write it.
      'spark.jars.ivy': '/tmp/.ivy2',
    });
    // The default image is Spark 4: the Spark 4 client, Scala 2.13.
    expect(spec.deps).toEqual({ packages: ['org.apache.celeborn:celeborn-client-spark-4-shaded_2.13:0.7.0'] });
    expect(spec.dynamicAllocation).toEqual({ enabled: true, minExecutors: 1, maxExecutors: 8, shuffleTrackingEnabled: false });
  });

  test('without Celeborn, dynamic allocation keeps shuffle tracking', () => {
    const spec = applicationSpec({ dynamicAllocation: { maxExecutors: 8 } });
    expect(spec.dynamicAllocation).toEqual({ enabled: true, maxExecutors: 8, shuffleTrackingEnabled: true });
    expect(spec.sparkConf).toBeUndefined();
    expect(spec.deps).toBeUndefined();
  });

  test('a fixed executor count needs no ShuffleDataIO', () => {
    const spec = applicationSpec({ shuffle: celeborn() });
    expect(spec.sparkConf).toEqual({ ...CELEBORN_CONF, 'spark.jars.ivy': '/tmp/.ivy2' });
    expect(spec.dynamicAllocation).toBeUndefined();
  });

  test('Spark 3.5 gets the Spark 3 client for Scala 2.12; the options reach the conf', () => {
    const spec = applicationSpec({
      image: SparkImage.apache('3.5.7'),
      deps: { packages: ['org.apache.hadoop:hadoop-aws:3.3.4'] },
      sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '400' }),
      shuffle: celeborn({
        shuffleWriter: CelebornShuffleWriter.SORT,
        replicate: true,
        clientJar: CelebornClientJar.mavenCentral('0.6.1'),
        sparkConf: SparkConf.of({ 'spark.celeborn.client.push.maxReqsInFlight': '128' }),
      }),
    });
    expect(spec.deps.packages).toEqual(['org.apache.hadoop:hadoop-aws:3.3.4', 'org.apache.celeborn:celeborn-client-spark-3-shaded_2.12:0.6.1']);
    expect(spec.sparkConf).toMatchObject({
      'spark.sql.shuffle.partitions': '400',
      'spark.celeborn.client.spark.shuffle.writer': 'sort',
      'spark.celeborn.client.push.replicate.enabled': 'true',
      'spark.celeborn.client.push.maxReqsInFlight': '128',
    });
  });

  test('a jar by URL goes to deps.jars; a jar in the image adds nothing', () => {
    const url = 'https://repo.example.com/celeborn-client-spark-4-shaded_2.13-0.7.0.jar';
    expect(applicationSpec({ shuffle: celeborn({ clientJar: CelebornClientJar.fromUrl(url) }) }).deps).toEqual({ jars: [url] });
    expect(applicationSpec({ shuffle: celeborn({ clientJar: CelebornClientJar.inImage() }) }).deps).toBeUndefined();
  });

  test.each([
    ['dynamic allocation on Spark 3.4', { image: SparkImage.apache('3.4.4'), dynamicAllocation: { maxExecutors: 4 } },
      'test/Pi: invalid dynamicAllocation "Spark 3.4": Spark 3.5 or later with a remote shuffle service'],
    ['a shuffle tracking timeout', { dynamicAllocation: { maxExecutors: 4, shuffleTrackingTimeout: Duration.minutes(5) } },
      'test/Pi: invalid dynamicAllocation.shuffleTrackingTimeout "5 minutes": no timeout with a remote shuffle service'],
    ['the external shuffle service in sparkConf', { sparkConf: SparkConf.of({ 'spark.shuffle.service.enabled': 'true' }) },
      'spark.shuffle.service.enabled'],
    ['a name instead of the service', { shuffle: 'celeborn' }, 'test/Pi: invalid shuffle "celeborn": a RemoteShuffleService'],
  ])('refuses %s', (_, props, message) => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new SparkApplication(chart, 'Pi', { ...APP, shuffle: celeborn(), ...props } as any)).toThrow(message);
  });

  test('addSparkConf cannot undo the shuffle service', () => {
    const chart = new Chart(Testing.app(), 'test');
    const job = new SparkApplication(chart, 'Pi', { ...APP, shuffle: celeborn() });
    expect(() => {
      job.addSparkConf('spark.shuffle.manager', 'sort');
      Testing.synth(chart);
    }).toThrow('test/Pi: invalid Spark conf key "spark.shuffle.manager" "sort": it is set to '
      + '"org.apache.spark.shuffle.celeborn.SparkShuffleManager" by the sparkConf prop, the event log store or the shuffle service');
    const submit = new SparkSubmitJob(new Chart(Testing.app(), 'test'), 'Pi', {
      ...APP, image: SparkImage.apache(), mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.13-4.0.4.jar', shuffle: celeborn(),
    });
    expect(() => submit.addSparkConf('spark.shuffle.service.enabled', 'true'))
      .toThrow('invalid Spark conf key "spark.shuffle.service.enabled" "true": it is set to "false" by test/Pi shuffle');
  });

  test('a ScheduledSparkApplication gets the same', () => {
    const chart = new Chart(Testing.app(), 'test');
    new ScheduledSparkApplication(chart, 'Nightly', { ...APP, schedule: '0 2 * * *', shuffle: celeborn(), dynamicAllocation: { maxExecutors: 4 } });
    const spec = synthValid(chart, { crds: crds() }).find((m) => m.kind === 'ScheduledSparkApplication').spec.template;
    expect(spec.sparkConf).toMatchObject(CELEBORN_CONF);
    expect(spec.dynamicAllocation.shuffleTrackingEnabled).toBe(false);
  });
});

describe('a SparkSubmitJob with shuffle: Celeborn', () => {
  const SUBMIT = {
    type: SparkApplicationType.SCALA,
    image: SparkImage.apache(),
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.13-4.0.4.jar',
  };

  test('gets the client conf and jar; dynamic allocation runs without shuffle tracking', () => {
    const chart = new Chart(Testing.app(), 'test');
    new SparkSubmitJob(chart, 'Pi', { ...SUBMIT, shuffle: celeborn(), dynamicAllocation: { maxExecutors: 8 } });
    const conf = submitConf(synthValid(chart));
    expect(conf).toMatchObject({
      ...CELEBORN_CONF,
      'spark.shuffle.sort.io.plugin.class': 'org.apache.spark.shuffle.celeborn.CelebornShuffleDataIO',
      'spark.dynamicAllocation.enabled': 'true',
      'spark.dynamicAllocation.shuffleTracking.enabled': 'false',
      'spark.jars.packages': 'org.apache.celeborn:celeborn-client-spark-4-shaded_2.13:0.7.0',
    });
  });

  test('without Celeborn, the old rule applies', () => {
    const chart = new Chart(Testing.app(), 'test');
    new SparkSubmitJob(chart, 'Pi', { ...SUBMIT, dynamicAllocation: { maxExecutors: 8 } });
    const conf = submitConf(synthValid(chart));
    expect(conf['spark.dynamicAllocation.shuffleTracking.enabled']).toBe('true');
    expect(conf['spark.shuffle.manager']).toBeUndefined();
    expect(conf['spark.jars.packages']).toBeUndefined();
  });

  test('a ScheduledSparkSubmitJob gets the same', () => {
    const chart = new Chart(Testing.app(), 'test');
    new ScheduledSparkSubmitJob(chart, 'Nightly', { ...SUBMIT, schedule: '0 2 * * *', shuffle: celeborn(), dynamicAllocation: { maxExecutors: 8 } });
    const conf = submitConf(synthValid(chart));
    expect(conf).toMatchObject({ ...CELEBORN_CONF, 'spark.dynamicAllocation.shuffleTracking.enabled': 'false' });
  });

  test('refuses dynamic allocation with Celeborn on Spark 3.4', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new SparkSubmitJob(chart, 'Pi', {
      ...SUBMIT,
      image: SparkImage.apache('3.4.4'),
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.4.4.jar',
      shuffle: celeborn(),
      dynamicAllocation: { maxExecutors: 8 },
    })).toThrow('test/Pi: invalid dynamicAllocation "Spark 3.4": Spark 3.5 or later with a remote shuffle service');
  });
});

describe('TenantEgress.toShuffleService', () => {
  test("lets a tenant's pods reach the masters and the workers", () => {
    const chart = new Chart(Testing.app(), 'test');
    new SparkTenant(chart, 'T', {
      namespace: 'analytics',
      apiServer: TenantApiServerAccess.toCidrs(['192.168.10.10/32']),
      egress: [TenantEgress.toShuffleService(celeborn({ workerPorts: [9091, 9092, 9093] }), NetworkPeer.namespace('shuffle'))],
    });
    const policy = synthValid(chart).find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'allow-egress-shuffle');
    expect(policy.spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shuffle' } } }],
        ports: [9097, 9091, 9092, 9093].map((port) => ({ protocol: 'TCP', port })),
      }],
    });
  });

  test('refuses a service whose worker ports are unknown', () => {
    expect(() => TenantEgress.toShuffleService(celeborn(), NetworkPeer.namespace('shuffle')))
      .toThrow('TenantEgress.toShuffleService: invalid service.workerPorts []: the ports the workers listen on');
  });
});
