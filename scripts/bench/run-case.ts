// One measured run of a library case, in this (fresh) process:
//   node .bench/scripts/bench/run-case.js <platform|fleet> <outdir> [apps tenants]
// With BENCH_DUMP=<file>, the fleet case also writes the floor's fixture there.
import * as fs from 'fs';
import { floorFixtureOf, platform, platformWithFleet } from './cases';
import { measure } from './measure';

const [name, outdir, apps = '1000', tenants = '10'] = process.argv.slice(2);
const dumpTo = process.env.BENCH_DUMP;

if (name === 'platform') {
  measure(() => platform(outdir));
} else if (name === 'fleet') {
  measure(() => platformWithFleet(outdir, { apps: Number(apps), tenants: Number(tenants) }),
    dumpTo ? (app) => fs.writeFileSync(dumpTo, JSON.stringify(floorFixtureOf(app))) : undefined);
} else {
  process.stderr.write(`unknown case "${name}": platform or fleet\n`);
  process.exit(2);
}
