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

  test.each([
    ['name', { name: '' }],
    ['name', { name: 'has space' }],
    ['version', { name: 'x', version: 'v1.0/beta' }],
    ['component', { name: 'x', component: '-lead' }],
    ['instance', { name: 'x', instance: 'a'.repeat(64) }],
  ])('rejects an invalid %s', (property, props) => {
    expect(() => StandardLabels.of(chart, props)).toThrow(new RegExp(`^${chart.node.path}: invalid ${property} `));
  });
});
