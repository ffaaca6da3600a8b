// One measured run of a library case, in this (fresh) process:
//   node .bench/scripts/bench/run-case.js <platform|fleet|floor> <outdir> [apps tenants [fixture.json]]
// With BENCH_DUMP=<file>, the fleet case also writes the fixture of the floor
// and of the cdk8s-only replay there; the floor reads it.
import * as fs from 'fs';
import { fixtureOf, platform, platformWithFleet, platformWithPlainJobs } from './cases';
import { measure, readFixture } from './measure';

const [name, outdir, apps = '1000', tenants = '10', fixtureFile] = process.argv.slice(2);
const options = { apps: Number(apps), tenants: Number(tenants) };
const dumpTo = process.env.BENCH_DUMP;

if (name === 'platform') {
  measure(() => platform(outdir));
} else if (name === 'fleet') {
  measure(() => platformWithFleet(outdir, options),
    dumpTo ? (app) => fs.writeFileSync(dumpTo, JSON.stringify(fixtureOf(app))) : undefined);
} else if (name === 'floor' && fixtureFile) {
  const [fixture, fixtureMs] = readFixture(fixtureFile);
  measure(() => platformWithPlainJobs(outdir, options, fixture.jobs), undefined, fixtureMs);
} else {
  process.stderr.write(`unknown case "${name}" (platform, fleet, or floor with a fixture file)\n`);
  process.exit(2);
}
