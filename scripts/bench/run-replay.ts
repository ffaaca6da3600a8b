// One measured run of the cdk8s-only replay, in this (fresh) process; it loads cdk8s only:
//   node .bench/scripts/bench/run-replay.js <outdir> <fixture.json>
import { replay } from './replay';
import { measure, readFixture } from './measure';

const [outdir, fixtureFile] = process.argv.slice(2);
const [fixture, fixtureMs] = readFixture(fixtureFile);
measure(() => replay(outdir, fixture.replay), undefined, fixtureMs);
