// The Spark platform, end to end. It grows with every capability of the library.
import { App, Chart, ChartProps } from 'cdk8s';
import { KubeNamespace } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { StandardLabels } from '../../src';

export class PlatformChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const labels = StandardLabels.of(this, { name: 'spark-platform', component: 'namespace', version: '0.1.0' });
    new KubeNamespace(this, 'Namespace', {
      metadata: { name: 'spark-jobs', labels: { ...labels.all(), 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
  }
}

export function buildApp(app: App = new App()): App {
  new PlatformChart(app, 'platform');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
