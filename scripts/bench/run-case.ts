// One measured run of a library case, in this (fresh) process:
//   node .bench/scripts/bench/run-case.js <platform|fleet|floor> <outdir> [apps tenants [fixture.json]]
//   node .bench/scripts/bench/run-case.js platform-jobs <outdir> <jobs> <tenants>   (jobs 0: the platform alone)
// With BENCH_DUMP=<file>, the fleet and platform-jobs cases also write the
// fixture of the floor and of the cdk8s-only replay there; the floor reads it.
import * as fs from 'fs';
import { App } from 'cdk8s';
import { fixtureOf, platform, platformWithFleet, platformWithPlainJobs, sparkPlatformWithJobs } from './cases';
import { measure, readFixture } from './measure';

const [name, outdir, apps = '1000', tenants = '10', fixtureFile] = process.argv.slice(2);
const options = { apps: Number(apps), tenants: Number(tenants) };
const dumpTo = process.env.BENCH_DUMP;
const dump = dumpTo ? (app: App) => fs.writeFileSync(dumpTo, JSON.stringify(fixtureOf(app))) : undefined;

if (name === 'platform') {
  measure(() => platform(outdir));
} else if (name === 'fleet') {
  measure(() => platformWithFleet(outdir, options), dump);
} else if (name === 'floor' && fixtureFile) {
  const [fixture, fixtureMs] = readFixture(fixtureFile);
  measure(() => platformWithPlainJobs(outdir, options, fixture.jobs), undefined, fixtureMs);
} else if (name === 'platform-jobs') {
  measure(() => sparkPlatformWithJobs(outdir, { jobs: options.apps, tenants: options.tenants }), dump);
} else {
  process.stderr.write(`unknown case "${name}" (platform, fleet, platform-jobs, or floor with a fixture file)\n`);
  process.exit(2);
}
