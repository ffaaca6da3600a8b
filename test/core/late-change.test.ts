import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { guardLateChange } from '../../src/core/late-change';

describe('guardLateChange', () => {
  function setup() {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const user = new Construct(chart, 'User');
    const args = ['a'];
    guardLateChange(user, 'props.arguments', () => [...args], 'call addArgument() instead');
    return { app, args };
  }

  test('an unchanged input synthesizes', () => {
    const { app } = setup();
    expect(() => app.synth()).not.toThrow();
  });

  test('a change after construction fails synth, naming the construct, the property and the fix', () => {
    const { app, args } = setup();
    args.push('b');
    expect(() => app.synth()).toThrow('c/User: props.arguments changed after c/User was created, so the change would be ignored: call addArgument() instead');
  });

  test('the check runs on a plain App too', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const user = new Construct(new Chart(app, 'c'), 'U');
    const conf = { x: 1 };
    guardLateChange(user, 'props.conf', () => conf, 'use addConf()');
    conf.x = 2;
    expect(() => app.synth()).toThrow(/props.conf changed/);
  });
});

describe('guardLateChange with constructs in the input', () => {
  // Constructs stand for their path; most inputs hold none (V8's fast JSON path), some do.
  function setup(withConstruct: boolean) {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const secrets: Construct[] = withConstruct ? [new Construct(chart, 'A')] : [];
    guardLateChange(new Construct(chart, 'User'), 'props.secrets', () => secrets, 'use addSecret()');
    return { app, chart, secrets };
  }

  test('the same construct: synthesizes', () => {
    const { app } = setup(true);
    expect(() => app.synth()).not.toThrow();
  });

  test.each<[string, boolean, (secrets: Construct[], chart: Chart) => void]>([
    ['a construct added to an input that held none', false, (secrets, chart) => secrets.push(new Construct(chart, 'B'))],
    ['a construct replaced by another', true, (secrets, chart) => { secrets[0] = new Construct(chart, 'C'); }],
    ['a construct removed', true, (secrets) => { secrets.length = 0; }],
  ])('%s fails synth', (_name, withConstruct, change) => {
    const { app, chart, secrets } = setup(withConstruct);
    change(secrets, chart);
    expect(() => app.synth()).toThrow('c/User: props.secrets changed after c/User was created, so the change would be ignored: use addSecret()');
  });
});
