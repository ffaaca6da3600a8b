// The apps `npm run bench` measures (scripts/bench.mjs compiles this file,
// the library and examples/platform to JavaScript in .bench/ and runs each
// case in a fresh `node` process through ./run-case.ts); the SparkPlatform
// cases are in ./platform-cases.ts.
import { ApiObject, App, Chart } from 'cdk8s';
import { sparkApplication } from './jobs';
import { CONTROL_PLANE, tenantNamespace, TO_MAVEN_MIRROR } from './platform-cases';
import { buildApp } from '../../examples/platform/main';
import { SparkTenant } from '../../src';

/** Size of the "platform plus jobs" case. */
export interface FleetOptions {
  /** Number of SparkApplications. */
  readonly apps: number;
  /** Number of tenant namespaces they are spread over (one chart each). */
  readonly tenants: number;
}

/** (a) The full examples/platform app. */
export function platform(outdir: string): App {
  return buildApp(new App({ outdir }));
}

/**
 * (b) The platform plus `apps` SparkApplications spread round-robin over
 * `tenants` SparkTenants, one chart per tenant. The jobs vary the way real ones
 * do (language, sizes, conf, dependencies, restart policy, dynamic allocation).
 */
export function platformWithFleet(outdir: string, options: FleetOptions): App {
  return withTenants(outdir, options, sparkApplication);
}

/**
 * (c) The floor: the fleet case with each SparkApplication replaced by a plain
 * cdk8s ApiObject holding its exact JSON (`jobs`, in the fleet's order); the
 * platform and the tenants are built as in (b). The difference is what the
 * SparkApplication construct costs.
 */
export function platformWithPlainJobs(outdir: string, options: FleetOptions, jobs: any[]): App {
  if (jobs.length !== options.apps) {
    throw new Error(`the fixture has ${jobs.length} jobs, not ${options.apps}`);
  }
  return withTenants(outdir, options, (chart, i) => new ApiObject(chart, `Job${i}`, jobs[i]));
}

/** The platform and the tenants' charts, then `addJob` for every job (round-robin over the charts). */
function withTenants(outdir: string, options: FleetOptions, addJob: (chart: Chart, i: number) => void): App {
  const app = platform(outdir);
  const tenants: Chart[] = [];
  for (let t = 0; t < options.tenants; t++) {
    const namespace = tenantNamespace(t);
    const chart = new Chart(app, namespace, { namespace });
    // Namespace, LimitRange, NetworkPolicies, the drivers' ServiceAccount;
    // the operator picks the namespace up.
    new SparkTenant(chart, 'Tenant', { namespace, apiServer: CONTROL_PLANE, egress: [TO_MAVEN_MIRROR] });
    tenants.push(chart);
  }
  for (let i = 0; i < options.apps; i++) {
    addJob(tenants[i % tenants.length], i);
  }
  return app;
}
