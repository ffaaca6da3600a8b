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

describe('several guards on one construct', () => {
  // Checked together (one serialization per validation pass), reported one by one.
  function setup() {
    const app = Testing.app();
    const user = new Construct(new Chart(app, 'c'), 'User');
    const input: { args: string[]; conf: { [key: string]: string }; absent?: string[]; secret: Construct } = {
      args: ['a'], conf: { x: '1' }, secret: new Construct(app, 'Secret'),
    };
    guardLateChange(user, 'props.arguments', () => input.args, 'call addArgument()');
    guardLateChange(user, 'props.absent', () => input.absent, 'give it first');
    guardLateChange(user, 'props.conf', () => input.conf, 'call addConf()');
    guardLateChange(user, 'props.secret', () => ({ secret: input.secret }), 'give the secret first');
    return { app, input };
  }

  test('unchanged: one validation for all of them, and it synthesizes', () => {
    const { app } = setup();
    const user = app.node.findChild('c').node.findChild('User');
    expect((user.node as any)._validations).toHaveLength(1);
    expect(() => app.synth()).not.toThrow();
  });

  test.each<[string, (input: ReturnType<typeof setup>['input'], app: App) => void, string[]]>([
    ['the last one changed', (input) => { input.conf.x = '2'; }, ['props.conf']],
    ['an absent input given', (input) => { input.absent = ['z']; }, ['props.absent']],
    ['another construct given', (input, app) => { input.secret = new Construct(app, 'Other'); }, ['props.secret']],
    ['two changed', (input) => { input.args.push('b'); input.conf.y = '3'; }, ['props.arguments', 'props.conf']],
  ])('%s: each changed input is named, in order', (_name, change, changed) => {
    const { app, input } = setup();
    change(input, app);
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/props\.[a-z]+ changed after/g)).toEqual(changed.map((p) => `${p} changed after`));
  });
});

test('a guard added after a synthesis is checked with the others', () => {
  const app = Testing.app();
  const user = new Construct(new Chart(app, 'c'), 'User');
  const first = ['a'];
  const second = { x: '1' };
  guardLateChange(user, 'props.first', () => first, 'fix the first');
  app.synth();
  guardLateChange(user, 'props.second', () => second, 'fix the second');
  expect(() => app.synth()).not.toThrow();
  second.x = '2';
  expect(() => app.synth()).toThrow('c/User: props.second changed after c/User was created, so the change would be ignored: fix the second');
});
