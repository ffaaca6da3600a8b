// One measured run of the floor, in this (fresh) process; it loads cdk8s only:
//   node .bench/scripts/bench/run-floor.js <outdir> <fixture.json>
import * as fs from 'fs';
import { floor } from './floor';
import { measure } from './measure';

const [outdir, fixtureFile] = process.argv.slice(2);
measure(() => floor(outdir, JSON.parse(fs.readFileSync(fixtureFile, 'utf8'))));
