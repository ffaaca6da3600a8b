// Times one synthesis in this process and prints one JSON line: start-up and
// module loading (ms since the process started), construction, synthesis,
// CPU time and peak RSS of the whole process.
import { App } from 'cdk8s';

export function measure(build: () => App, after?: (app: App) => void): void {
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
  })}\n`);
}
