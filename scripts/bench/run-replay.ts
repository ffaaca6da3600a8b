// One measured run of the cdk8s-only replay, in this (fresh) process; it loads cdk8s only:
//   node .bench/scripts/bench/run-replay.js <outdir> <fixture.json>
import { measure, readFixture } from './measure';
import { replay } from './replay';

const [outdir, fixtureFile] = process.argv.slice(2);
const [fixture, fixtureMs] = readFixture(fixtureFile);
measure(() => replay(outdir, fixture.replay), undefined, fixtureMs);
