// The monitor-targets rule: a ServiceMonitor / PodMonitor endpoint whose port
// none of the selected objects declares yields no target (prometheus-operator
// keeps the targets whose port name equals the endpoint's; Prometheus's pod
// role makes one target per declared container port).
import { monitorPortRule } from '../../../src/core/cluster-model/monitors';

const deployment = (labels: object, ports: string[], namespace = 'apps') => ({
  json: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', ports: ports.map((name, i) => ({ name, containerPort: 8000 + i })) }] } } },
  },
});
const service = (labels: object, ports: string[]) => ({
  json: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'apps', labels }, spec: { ports: ports.map((name, i) => ({ name, port: 80 + i })) } },
});
const monitor = (kind: 'PodMonitor' | 'ServiceMonitor', port: string, extra: object = {}) => ({
  path: 'app/Monitor',
  json: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind,
    metadata: { name: 'm', namespace: 'apps' },
    spec: { selector: { matchLabels: { app: 'web' } }, [kind === 'PodMonitor' ? 'podMetricsEndpoints' : 'endpoints']: [{ port }], ...extra },
  },
});

describe('monitor-targets', () => {
  test('a PodMonitor port the selected pods declare, and one they do not', () => {
    expect(monitorPortRule([monitor('PodMonitor', 'metrics'), deployment({ app: 'web' }, ['http', 'metrics'])])).toEqual([]);
    expect(monitorPortRule([monitor('PodMonitor', 'stats'), deployment({ app: 'web' }, ['http', 'metrics'])])).toEqual([
      'PodMonitor apps/m (app/Monitor): endpoint port "stats" is declared by none of the pods it selects (Deployment apps/web: http, metrics), '
      + 'so Prometheus finds no target for it; name a port a container declares',
    ]);
  });

  test('init containers count (Prometheus lists their ports too)', () => {
    const d: any = deployment({ app: 'web' }, []);
    d.json.spec.template.spec.initContainers = [{ name: 'i', ports: [{ name: 'stats', containerPort: 9102 }] }];
    expect(monitorPortRule([monitor('PodMonitor', 'stats'), d])).toEqual([]);
  });

  test('a ServiceMonitor port: the Service port names, not the pods', () => {
    expect(monitorPortRule([monitor('ServiceMonitor', 'metrics'), service({ app: 'web' }, ['metrics'])])).toEqual([]);
    expect(monitorPortRule([monitor('ServiceMonitor', 'metrics'), service({ app: 'web' }, ['http']), deployment({ app: 'web' }, ['metrics'])]))
      .toHaveLength(1);
  });

  test('not judged when the app emits nothing it selects (pods made at run time), or in other namespaces', () => {
    expect(monitorPortRule([monitor('PodMonitor', 'spark-ui')])).toEqual([]);
    expect(monitorPortRule([monitor('PodMonitor', 'stats'), deployment({ app: 'web' }, ['metrics'], 'other')])).toEqual([]);
    expect(monitorPortRule([monitor('PodMonitor', 'stats', { namespaceSelector: { matchNames: ['other'] } }), deployment({ app: 'web' }, ['metrics'], 'other')]))
      .toHaveLength(1);
    expect(monitorPortRule([monitor('PodMonitor', 'stats', { namespaceSelector: { any: true } }), deployment({ app: 'web' }, ['metrics'], 'other')]))
      .toHaveLength(1);
  });

  test('pods that do not match the selector are not looked at', () => {
    expect(monitorPortRule([monitor('PodMonitor', 'stats'), deployment({ app: 'other' }, ['metrics'])])).toEqual([]);
  });
});
