// The cdk8s-only reference: every object of a library case (the fleet: platform,
// tenants and jobs; a SparkPlatform with or without jobs), written with plain
// cdk8s ApiObjects from their JSON. It loads
// cdk8s only: no construct library, no rendering, no validation; what is left
// is cdk8s's own cost (construct tree, token resolution, YAML serialization,
// file writes).
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';

/** What a library case synthesizes, as the replay writes it again. */
export interface ReplayFixture {
  /**
   * Charts in output order: their path under the app (`platform/tenants`; the
   * file name derives from it), the charts they depend on, their objects' JSON.
   */
  readonly charts: Array<{ readonly path: string; readonly dependsOn: string[]; readonly objects: any[] }>;
  /** Files other than manifests (GeneratedFile), written as they are. */
  readonly files: Array<{ readonly path: string; readonly content: string; readonly mode: number }>;
}

export function replay(outdir: string, fixture: ReplayFixture): App {
  const app = new App({ outdir });
  const charts = new Map<string, Chart>();
  for (const spec of fixture.charts) {
    const ids = spec.path.split('/');
    const chart = new Chart(scopeOf(app, ids.slice(0, -1)), ids[ids.length - 1]);
    charts.set(spec.path, chart);
    // The same chart dependencies, hence the same order and file names.
    // (Only these: cdk8s turns a chart dependency into one between every
    // pair of their objects, and walks chains of them exhaustively.)
    for (const id of spec.dependsOn) {
      chart.addDependency(charts.get(id)!);
    }
    spec.objects.forEach((json, i) => new ApiObject(chart, `o${i}`, json));
  }
  // The case's GeneratedFiles are written while the app validates, once.
  let written = false;
  app.node.addValidation({
    validate: () => {
      if (written) {
        return [];
      }
      written = true;
      for (const file of fixture.files) {
        const target = path.join(outdir, file.path);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, file.content, { mode: file.mode });
      }
      return [];
    },
  });
  return app;
}

/** The plain construct at `ids` under the app (a SparkPlatform's charts live in the platform construct). */
function scopeOf(app: App, ids: string[]): Construct {
  let scope: Construct = app;
  for (const id of ids) {
    scope = (scope.node.tryFindChild(id) as Construct | undefined) ?? new Construct(scope, id);
  }
  return scope;
}
