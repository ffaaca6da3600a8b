// One measured run of a library case, in this (fresh) process:
//   node .bench/scripts/bench/run-case.js <platform|fleet|floor> <outdir> [apps tenants [fixture.json]]
//   node .bench/scripts/bench/run-case.js platform-jobs <outdir> <jobs> <tenants>   (jobs 0: the platform alone)
// With BENCH_DUMP=<file>, the fleet and platform-jobs cases also write the
// fixture of the floor and of the cdk8s-only replay there; the floor reads it.
// Each case loads only the modules it needs, as a user's app would (the
// wall time starts with the process: loading them is part of the cost).
/* eslint-disable @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import type { App } from 'cdk8s';
import type * as Cases from './cases';
import type * as Fixture from './fixture';
import type * as Jobs from './jobs';
import { measure, readFixture } from './measure';
import type * as PlatformCases from './platform-cases';

const [name, outdir, apps = '1000', tenants = '10', fixtureFile] = process.argv.slice(2);
const options = { apps: Number(apps), tenants: Number(tenants) };
const dumpTo = process.env.BENCH_DUMP;
// Runs after the measurement: loading the fixture writer is not the case's cost.
const dump = dumpTo ? (app: App) => {
  const { fixtureOf }: typeof Fixture = require('./fixture');
  fs.writeFileSync(dumpTo, JSON.stringify(fixtureOf(app)));
} : undefined;
// Loaded before the measurement reads the clock (start-up and loading are reported apart from construction).
const cases = (): typeof Cases => require('./cases');

if (name === 'platform') {
  const { platform } = cases();
  measure(() => platform(outdir));
} else if (name === 'fleet') {
  const { platformWithFleet } = cases();
  measure(() => platformWithFleet(outdir, options), dump);
} else if (name === 'floor' && fixtureFile) {
  const { platformWithPlainJobs } = cases();
  const [fixture, fixtureMs] = readFixture(fixtureFile);
  measure(() => platformWithPlainJobs(outdir, options, fixture.jobs), undefined, fixtureMs);
} else if (name === 'platform-jobs') {
  const { sparkPlatformWithJobs }: typeof PlatformCases = require('./platform-cases');
  const jobs = options.apps > 0 ? (require('./jobs') as typeof Jobs).platformJob : undefined;
  measure(() => sparkPlatformWithJobs(outdir, { jobs: options.apps, tenants: options.tenants }, jobs), dump);
} else {
  process.stderr.write(`unknown case "${name}" (platform, fleet, platform-jobs, or floor with a fixture file)\n`);
  process.exit(2);
}
