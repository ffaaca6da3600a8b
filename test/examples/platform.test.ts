import { Testing } from 'cdk8s';
import { buildApp } from '../../examples/platform/main';
import { expectValidManifests } from '../harness/manifests';

describe('examples/platform', () => {
  test('synthesizes valid manifests (snapshot)', () => {
    const app = buildApp(Testing.app());
    const charts = Object.fromEntries(app.charts.map((chart) => [chart.node.id, Testing.synth(chart)]));
    for (const manifests of Object.values(charts)) {
      expectValidManifests(manifests);
    }
    expect(charts).toMatchSnapshot();
  });
});
