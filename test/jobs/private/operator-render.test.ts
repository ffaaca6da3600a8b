// The spec check of operator jobs skips cdk8s's rendering when its result is
// known (plain data, the default resolvers, no patch). These tests pin the
// cases where it is not: the check must still see what cdk8s writes.
import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { ScheduledSparkApplication, SparkApplication, SparkApplicationProps, SparkApplicationType } from '../../../src';
import { renderedJson, RENDER_WITHOUT_CDK8S } from '../../../src/core/rendered-json';

const PI: SparkApplicationProps = {
  name: 'pi',
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

/** Replaces the driver's cores by 0 in the rendered manifests. */
class ZeroCores implements IResolver {
  public resolve(context: ResolutionContext): void {
    const key = context.key.join('/');
    if ((key === 'spec/driver/cores' || key === 'spec/template/driver/cores') && context.value !== 0) {
      context.replaceValue(0);
    }
  }
}

test('an app resolver that breaks the spec fails the constructor', () => {
  const chart = new Chart(new App({ resolvers: [new ZeroCores()] }), 'test');
  expect(() => new SparkApplication(chart, 'Pi', PI)).toThrow('test/Pi: invalid spec.driver.cores 0: an integer of at least 1');
  expect(() => new ScheduledSparkApplication(chart, 'Nightly', { ...PI, name: 'nightly', schedule: '@daily' }))
    .toThrow('test/Nightly: invalid spec.template.driver.cores 0: an integer of at least 1');
});

test('a resolver added after the job is checked at synth', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  new SparkApplication(chart, 'Pi', PI);
  app.resolvers.unshift(new ZeroCores());
  expect(() => app.synth()).toThrow(/test\/Pi: invalid spec\.driver\.cores 0: an integer of at least 1/);
});

test('tokens in props are checked as they resolve at synth', () => {
  let team: any = 'analytics';
  const chart = new Chart(Testing.app(), 'test');
  const job = new SparkApplication(chart, 'Pi', { ...PI, driver: { labels: { team: Lazy.any({ produce: () => team }) as any } } });
  expect(job.apiObject.toJson().spec.driver.labels).toEqual({ team: 'analytics' });
  team = 42;
  expect(() => Testing.synth(chart)).toThrow(/test\/Pi: invalid spec\.driver\.labels\.team 42: a string/);
});

test('the spec is taken when the job is created: a later change to an array or map passed in props fails synth', () => {
  const args = ['100'];
  const labels: { [key: string]: string } = { team: 'analytics' };
  const chart = new Chart(Testing.app(), 'test');
  new SparkApplication(chart, 'Pi', { ...PI, arguments: args, driver: { labels } });
  args.push('42');
  labels.team = 'other';
  expect(() => Testing.synth(chart)).toThrow(/test\/Pi: props.arguments changed after test\/Pi was created[^]*call addArgument\(\)/);
  expect(() => Testing.synth(chart)).toThrow(/test\/Pi: props.driver changed after test\/Pi was created/);
});

test('of several problems, the constructor reports the first in the key order cdk8s writes', () => {
  const chart = new Chart(Testing.app(), 'test');
  expect(() => new SparkApplication(chart, 'Pi', { ...PI, driver: { labels: { zone: 1, app: 2 } as any } }))
    .toThrow('test/Pi: invalid spec.driver.labels.app 2: a string');
});

describe('the checks at synth read what cdk8s writes without rendering jobs again (renderedJson)', () => {
  const FULL: SparkApplicationProps = {
    ...PI,
    arguments: ['100'],
    sparkConf: undefined,
    hadoopConf: { 'fs.s3a.path.style.access': 'true' },
    driver: { labels: { zone: 'a', app: 'pi' }, cores: 2 },
    executor: { instances: 3 },
  };
  // The same data as toJson(), values and arrays' order included; the order of
  // an object's keys may differ (the readers look fields up; cdk8s sorts them when it writes).
  const sorted = (v: unknown): unknown => Array.isArray(v) ? v.map(sorted)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as any)[k])])) : v;
  // A job's toJson() skips cdk8s's rendering when the spec renders as checked:
  // its text, key order included, is still cdk8s's own (ApiObject's toJson).
  const byCdk8s = (job: SparkApplication | ScheduledSparkApplication) => ApiObject.prototype.toJson.call(job.apiObject);
  const same = (job: SparkApplication | ScheduledSparkApplication) => {
    const rendered = renderedJson(job.apiObject);
    expect(JSON.stringify(job.apiObject.toJson())).toBe(JSON.stringify(byCdk8s(job)));
    expect(JSON.stringify(sorted(rendered))).toBe(JSON.stringify(sorted(byCdk8s(job))));
    return rendered;
  };
  const known = (job: SparkApplication | ScheduledSparkApplication) => (job.apiObject as any)[RENDER_WITHOUT_CDK8S]();

  test('an unchanged job: known without rendering, equal to toJson()', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'jobs' });
    const app = new SparkApplication(chart, 'Pi', FULL);
    const scheduled = new ScheduledSparkApplication(chart, 'Nightly', { ...FULL, name: 'nightly', schedule: '@daily' });
    app.apiObject.metadata.addAnnotation('note', 'later');
    app.apiObject.metadata.addLabel('tier', 'batch');
    for (const job of [app, scheduled]) {
      expect(known(job)).toBeDefined();
      same(job);
    }
    expect(renderedJson(app.apiObject).metadata.annotations).toEqual({ note: 'later' });
    // What Testing.synth writes (through toJson) is cdk8s's rendering too.
    const synthesized = Testing.synth(chart).filter((o) => o.apiVersion === 'sparkoperator.k8s.io/v1beta2');
    expect(JSON.stringify(synthesized)).toBe(JSON.stringify([byCdk8s(app), byCdk8s(scheduled)]));
    expect(synthesized[0].metadata).toMatchObject({ namespace: 'jobs', labels: { tier: 'batch' }, annotations: { note: 'later' } });
  });

  test('a token in the metadata: the spec as checked, the metadata rendered by cdk8s', () => {
    const chart = new Chart(Testing.app(), 'test');
    const job = new SparkApplication(chart, 'Pi', FULL);
    job.apiObject.metadata.addAnnotation('late', Lazy.any({ produce: () => 'value' }) as any);
    expect(known(job)).toBeDefined();
    expect(same(job).metadata.annotations).toEqual({ late: 'value' });
  });

  test.each<[string, (chart: Chart) => SparkApplication]>([
    ['patched', (chart) => {
      const job = new SparkApplication(chart, 'Pi', FULL);
      job.apiObject.addJsonPatch(JsonPatch.add('/spec/timeToLiveSeconds', 60));
      return job;
    }],
    ['changed by a mutator', (chart) => {
      const job = new SparkApplication(chart, 'Pi', FULL);
      job.addArgument('200');
      return job;
    }],
    ['holding a token', (chart) => new SparkApplication(chart, 'Pi', { ...FULL, driver: { labels: { team: Lazy.any({ produce: () => 'a' }) as any } } })],
  ])('a job %s is rendered by cdk8s', (_name, make) => {
    const job = make(new Chart(Testing.app(), 'test'));
    expect(known(job)).toBeUndefined();
    same(job);
  });

  test('an app with its own resolver: rendered by cdk8s', () => {
    const app = Testing.app();
    const job = new SparkApplication(new Chart(app, 'test'), 'Pi', FULL);
    expect(known(job)).toBeDefined();
    app.resolvers.unshift({ resolve: () => undefined });
    expect(known(job)).toBeUndefined();
    same(job);
  });

  test('CDK8S_DISABLE_SORT: the keys in the order cdk8s keeps', () => {
    const before = process.env.CDK8S_DISABLE_SORT;
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const job = new SparkApplication(new Chart(Testing.app(), 'test'), 'Pi', FULL);
      expect(known(job)).toBeDefined();
      expect(Object.keys(same(job).spec.driver.labels)).toEqual(['zone', 'app']);
    } finally {
      if (before === undefined) {
        delete process.env.CDK8S_DISABLE_SORT;
      } else {
        process.env.CDK8S_DISABLE_SORT = before;
      }
    }
  });

  test('other objects are rendered by cdk8s', () => {
    const chart = new Chart(Testing.app(), 'test');
    const obj = new ApiObject(chart, 'Cm', { apiVersion: 'v1', kind: 'ConfigMap', data: { b: '1', a: '2' } });
    expect(JSON.stringify(renderedJson(obj))).toBe(JSON.stringify(obj.toJson()));
  });
});
