// What a library case wrote, for the floor and the cdk8s-only replay
// (written by run-case.ts after the measurement, with BENCH_DUMP).
import { App, Chart } from 'cdk8s';
import { ReplayFixture } from './replay';
import { GeneratedFile, SparkApplication, SparkJobs } from '../../src';

/** What a case wrote, for the floor and the cdk8s-only replay. */
export interface BenchFixture {
  /** The fleet's jobs' JSON, in the fleet's order (for the floor). */
  readonly jobs: any[];
  /** Every chart's objects and dependencies, and the generated files (for the replay). */
  readonly replay: ReplayFixture;
}

/** The fixture of a synthesized app (charts by their path under the app: a SparkPlatform's are nested). */
export function fixtureOf(app: App): BenchFixture {
  return {
    jobs: SparkJobs.all(app)
      .filter((job): job is SparkApplication => job instanceof SparkApplication && /^tenant-\d+$/.test(Chart.of(job).node.id))
      .map((job) => job.apiObject.toJson()),
    replay: {
      charts: app.charts.map((chart) => ({
        path: chart.node.path,
        dependsOn: chart.node.dependencies.filter((d) => d instanceof Chart).map((d) => d.node.path),
        objects: chart.toJson(),
      })),
      files: GeneratedFile.allOf(app).map((f) => ({ path: f.path, content: f.content, mode: f.mode })),
    },
  };
}
