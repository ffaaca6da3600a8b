// Times one synthesis in this process and prints one JSON line: start-up and
// module loading (ms since the process started), construction, synthesis,
// CPU time and peak RSS of the whole process. `fixtureMs` is time the process
// spent reading a fixture, which the bench takes off the wall, load and CPU times.
import * as fs from 'fs';
import { App } from 'cdk8s';
import type { BenchFixture } from './fixture';

export function measure(build: () => App, after?: (app: App) => void, fixtureMs: number = 0): void {
  const loaded = performance.now();
  const app = build();
  const built = performance.now();
  app.synth();
  const synthesized = performance.now();
  const usage = process.resourceUsage();
  after?.(app);
  process.stdout.write(`${JSON.stringify({
    loadMs: loaded,
    buildMs: built - loaded,
    synthMs: synthesized - built,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    maxRssKiB: usage.maxRSS,
    fixtureMs,
  })}\n`);
}

/** Reads the fleet's fixture; returns it and the milliseconds that took (taken off the measurement). */
export function readFixture(file: string): [BenchFixture, number] {
  const started = performance.now();
  const fixture: BenchFixture = JSON.parse(fs.readFileSync(file, 'utf8'));
  return [fixture, performance.now() - started];
}
