// The spec check of operator jobs skips cdk8s's rendering when its result is
// known (plain data, the default resolvers, no patch). These tests pin the
// cases where it is not: the check must still see what cdk8s writes.
import { App, Chart, IResolver, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { ScheduledSparkApplication, SparkApplication, SparkApplicationProps, SparkApplicationType } from '../../../src';

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
