import { Testing } from 'cdk8s';
import { StandardLabels } from '../../src';

describe('StandardLabels', () => {
  const chart = Testing.chart();

  test('defaults', () => {
    expect(StandardLabels.of(chart, { name: 'spark-history-server' }).all()).toMatchSnapshot();
  });

  test('all labels and the stable selector subset', () => {
    const labels = StandardLabels.of(chart, {
      name: 'spark-operator',
      instance: 'ops',
      component: 'controller',
      version: '2.5.2',
      partOf: 'data-platform',
    });
    expect(labels.all()).toEqual({
      'app.kubernetes.io/name': 'spark-operator',
      'app.kubernetes.io/instance': 'ops',
      'app.kubernetes.io/component': 'controller',
      'app.kubernetes.io/part-of': 'data-platform',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/version': '2.5.2',
    });
    // A version bump must not change an immutable selector.
    expect(labels.selector()).toEqual({
      'app.kubernetes.io/name': 'spark-operator',
      'app.kubernetes.io/instance': 'ops',
      'app.kubernetes.io/component': 'controller',
    });
    expect(labels.forComponent(chart, 'webhook').selector()['app.kubernetes.io/component']).toBe('webhook');
  });

  test.each<[string, string, any, string]>([
    ['an empty name', 'name', { name: '' }, 'a non-empty label value'],
    ['a blank in the name', 'name', { name: 'has space' }, 'a label value has at most 63 characters'],
    ['a slash in the version', 'version', { name: 'x', version: 'v1.0/beta' }, 'a label value has at most 63 characters'],
    ['a leading dash in the component', 'component', { name: 'x', component: '-lead' }, 'starting and ending with a letter or digit'],
    ['an instance of 64 characters', 'instance', { name: 'x', instance: 'a'.repeat(64) }, 'at most 63 characters'],
    ['a trailing dot in part-of', 'partOf', { name: 'x', partOf: 'platform.' }, 'a label value'],
    ['a blank in managed-by', 'managedBy', { name: 'x', managedBy: 'cdk 8s' }, 'a label value'],
  ])('refuses %s', (_name, property, props, rule) => {
    expect(() => StandardLabels.of(chart, props)).toThrow(new RegExp(`^${chart.node.path}: invalid ${property} `));
    expect(() => StandardLabels.of(chart, props)).toThrow(rule);
  });
});
