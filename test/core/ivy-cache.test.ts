// Ivy's cache for deps.packages: where the pods that resolve packages can write it.
import * as fs from 'fs';
import { Chart, Testing } from 'cdk8s';
import {
  DeployMode, ScheduledSparkApplication, SparkApplication, SparkApplicationProps, SparkApplicationType, SparkConf,
  SparkConnectDeployment, SparkConnectServer, SparkSubmitJob, SparkSubmitJobProps,
} from '../../src';
import { IVY_CACHE_DIR, withIvyCache } from '../../src/core/ivy-cache';
import { synthValid } from '../harness/manifests';
import { referencePath } from '../harness/reference';
import { libraryOperatorCrds, pairsAfter } from '../harness/spark-operator';

const PACKAGES = ['org.apache.hadoop:hadoop-aws:3.4.1'];
const PI: SparkApplicationProps = {
  name: 'pi',
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

describe('withIvyCache', () => {
  test.each<[string, SparkConf | undefined, string[] | undefined, { [key: string]: string } | undefined]>([
    ['no packages, no conf', undefined, undefined, undefined],
    ['no packages', SparkConf.of({ 'spark.a': '1' }), [], { 'spark.a': '1' }],
    ['packages, no conf', undefined, PACKAGES, { 'spark.jars.ivy': IVY_CACHE_DIR }],
    ['packages', SparkConf.of({ 'spark.a': '1' }), PACKAGES, { 'spark.a': '1', 'spark.jars.ivy': IVY_CACHE_DIR }],
    ['packages, the user\'s directory', SparkConf.of({ 'spark.jars.ivy': '/cache/ivy' }), PACKAGES, { 'spark.jars.ivy': '/cache/ivy' }],
    // Spark places Ivy's directory after loading a settings file (MavenUtils.loadIvySettings, processIvyPathArg).
    ['packages, the user\'s settings file', SparkConf.of({ 'spark.jars.ivySettings': '/etc/ivy.xml' }), PACKAGES,
      { 'spark.jars.ivySettings': '/etc/ivy.xml', 'spark.jars.ivy': IVY_CACHE_DIR }],
  ])('%s', (_name, conf, packages, expected) => {
    const before = conf?.toRecord();
    expect(withIvyCache(conf, packages, 'test')?.toRecord()).toEqual(expected);
    // The given conf never changes.
    expect(conf?.toRecord()).toEqual(before);
  });

  // Why a default is needed: the official images' spark user has no home
  // directory, and the JVM takes user.home from the passwd entry.
  test('the apache/spark images\' spark user has the home directory /nonexistent (apache/spark-docker Dockerfiles)', () => {
    const dockerfile = referencePath('ivy-cache', 'spark-docker', '4.0.0', 'scala2.13-java17-ubuntu', 'Dockerfile');
    if (dockerfile === undefined) {
      return;
    }
    expect(fs.readFileSync(dockerfile, 'utf8')).toMatch(/useradd --system --uid=\$\{spark_uid\} --gid=spark -d \/nonexistent spark/);
  });
});

describe('operator jobs: spark.jars.ivy when they resolve packages', () => {
  const sparkConf = (job: SparkApplication | ScheduledSparkApplication) => {
    const spec = synthValid(job.node.scope as Chart, { crds: libraryOperatorCrds() }).find((o) => o.metadata.name === job.name).spec;
    return (spec.template ?? spec).sparkConf;
  };
  const make = (props: Partial<SparkApplicationProps> = {}) => new SparkApplication(new Chart(Testing.app(), 'test'), 'Pi', { ...PI, ...props });

  test('packages: Ivy\'s cache under /tmp, for the operator\'s spark-submit and the driver alike', () => {
    expect(sparkConf(make({ deps: { packages: PACKAGES } }))).toEqual({ 'spark.jars.ivy': '/tmp/.ivy2' });
    const scheduled = new ScheduledSparkApplication(new Chart(Testing.app(), 'test'), 'Nightly',
      { ...PI, name: 'nightly', schedule: '@daily', deps: { packages: PACKAGES } });
    expect(sparkConf(scheduled)).toEqual({ 'spark.jars.ivy': '/tmp/.ivy2' });
  });

  test('no packages: no key', () => {
    expect(sparkConf(make({ deps: { jars: ['local:///opt/spark/jars/extra.jar'] } }))).toBeUndefined();
  });

  test('the user\'s spark.jars.ivy in sparkConf stands, without the default', () => {
    expect(sparkConf(make({ deps: { packages: PACKAGES }, sparkConf: SparkConf.of({ 'spark.jars.ivy': '/cache/ivy' }) })))
      .toEqual({ 'spark.jars.ivy': '/cache/ivy' });
  });

  test('an Ivy settings file keeps the default directory (Spark places it after loading the file)', () => {
    expect(sparkConf(make({ deps: { packages: PACKAGES }, sparkConf: SparkConf.of({ 'spark.jars.ivySettings': '/opt/ivysettings.xml' }) })))
      .toEqual({ 'spark.jars.ivySettings': '/opt/ivysettings.xml', 'spark.jars.ivy': '/tmp/.ivy2' });
    const job = make({ deps: { packages: PACKAGES } });
    job.addSparkConf('spark.jars.ivySettings', '/opt/ivysettings.xml');
    expect(sparkConf(job)).toEqual({ 'spark.jars.ivy': '/tmp/.ivy2', 'spark.jars.ivySettings': '/opt/ivysettings.xml' });
  });

  test('addSparkConf(spark.jars.ivy) replaces the default', () => {
    const job = make({ deps: { packages: PACKAGES } });
    job.addSparkConf('spark.jars.ivy', '/cache/ivy');
    expect(sparkConf(job)).toEqual({ 'spark.jars.ivy': '/cache/ivy' });
  });

  test('other keys added later keep the default', () => {
    const job = make({ deps: { packages: PACKAGES } });
    job.addSparkConf('spark.sql.shuffle.partitions', '400');
    expect(sparkConf(job)).toEqual({ 'spark.jars.ivy': '/tmp/.ivy2', 'spark.sql.shuffle.partitions': '400' });
  });
});

describe('spark-submit Jobs: spark.jars.ivy when they resolve packages', () => {
  const SUBMIT: SparkSubmitJobProps = {
    type: SparkApplicationType.SCALA,
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.13-4.0.4.jar',
  };
  /** The `--conf` pairs of the submit container. */
  const confOf = (job: SparkSubmitJob) => {
    const manifests = synthValid(job.node.scope as Chart);
    return pairsAfter(manifests.find((m) => m.kind === 'Job').spec.template.spec.containers[0].args);
  };
  const make = (props: Partial<SparkSubmitJobProps> = {}) => new SparkSubmitJob(new Chart(Testing.app(), 'test'), 'Pi', { ...SUBMIT, ...props });

  test.each([
    ['cluster mode', {}],
    ['client mode', { deployMode: DeployMode.CLIENT }],
  ])('%s with packages: Ivy\'s cache under /tmp', (_name, props) => {
    const conf = confOf(make({ ...props, deps: { packages: PACKAGES } }));
    expect(conf['spark.jars.packages']).toBe(PACKAGES[0]);
    expect(conf['spark.jars.ivy']).toBe('/tmp/.ivy2');
  });

  test('no packages: no key', () => {
    expect(confOf(make())['spark.jars.ivy']).toBeUndefined();
  });

  test('the user\'s choice stands, given in sparkConf or added later', () => {
    expect(confOf(make({ deps: { packages: PACKAGES }, sparkConf: SparkConf.of({ 'spark.jars.ivy': '/cache/ivy' }) }))['spark.jars.ivy'])
      .toBe('/cache/ivy');
    const job = make({ deps: { packages: PACKAGES } });
    job.addSparkConf('spark.jars.ivy', '/cache/ivy');
    expect(confOf(job)['spark.jars.ivy']).toBe('/cache/ivy');
  });
});

describe('Spark Connect servers: spark.jars.ivy when their conf resolves packages', () => {
  const packagesConf = (extra: { [key: string]: string } = {}) => SparkConf.of({ 'spark.jars.packages': PACKAGES[0], ...extra });

  test('SparkConnectServer (the operator\'s SparkConnect): in its sparkConf, unless the user places Ivy', () => {
    const conf = (sparkConf?: SparkConf) => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'analytics' });
      new SparkConnectServer(chart, 'Connect', { name: 'connect', sparkConf });
      return Testing.synth(chart).find((m) => m.kind === 'SparkConnect').spec.sparkConf;
    };
    expect(conf(packagesConf())['spark.jars.ivy']).toBe('/tmp/.ivy2');
    expect(conf(packagesConf({ 'spark.jars.ivy': '/cache/ivy' }))['spark.jars.ivy']).toBe('/cache/ivy');
    expect(conf()?.['spark.jars.ivy']).toBeUndefined();
  });

  test('SparkConnectDeployment: in the conf it starts with', () => {
    const conf = (sparkConf?: SparkConf) => new SparkConnectDeployment(new Chart(Testing.app(), 'test', { namespace: 'analytics' }), 'Connect',
      { name: 'connect', sparkConf }).sparkConf;
    expect(conf(packagesConf()).get('spark.jars.ivy')).toBe('/tmp/.ivy2');
    expect(conf().get('spark.jars.ivy')).toBeUndefined();
  });
});
