// `npm run bench [-- options]`: synthesis time and memory, against a budget.
//
// It compiles the library, examples/platform and scripts/bench/*.ts to
// JavaScript in .bench/ (tsc, no type-check gate), then runs every case in a
// fresh `node` process, several times, interleaved:
//   platform        examples/platform: buildApp() + app.synth()
//   fleet           the platform plus --apps SparkApplications over --tenants SparkTenants
//   floor           the fleet with each SparkApplication replaced by a plain cdk8s
//                   ApiObject of its exact JSON (same output, checked byte for byte)
//   cdk8s           every object of the fleet replayed as plain ApiObjects with only
//                   cdk8s loaded: what cdk8s alone costs for that output (reported)
//   spark-platform  a SparkPlatform: operator, --tenants tenants, history server,
//                   Argo CD sync waves; no jobs
//   platform-jobs   that platform plus --jobs SparkApplications through jobsChart()
//   platform-jobs-large  the same with --large jobs (growth per job; --large 0 skips it)
// Each SparkPlatform case has its cdk8s replay (`<case>-cdk8s`), run right after it.
// ratio is fleet/floor; cdk8sRatio fleet/cdk8s; the SparkPlatform cases'
// ratios are case/replay. Ratios are medians of the runs' own ratios (each run
// takes a case and its reference back to back, so both see the same machine).
// Wall time is measured around the child process (node start-up included);
// peak RSS is the child's own maxRSS. Medians are reported.
//
// Options: --json (one JSON object on stdout), --runs N (default 5),
// --apps N (1000), --tenants N (10), --jobs N (1000), --large N (10000),
// --check (exit 1 when over budget).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');
const RUNNERS = join(OUT, 'scripts', 'bench');
const fixtureFile = (name) => join(OUT, `fixture-${name}.json`);

// Seconds and megabytes (10^6 bytes) on the 2-core reference machine.
const BUDGET = [
  { name: 'platform wall', unit: 'ms', limit: 500, value: (r) => r.cases.platform?.wallMs.median },
  { name: 'platform peak RSS', unit: 'MB', limit: 120, value: (r) => r.cases.platform?.peakRssMB.median },
  { name: 'fleet wall', unit: 'ms', limit: 2000, value: (r) => r.cases.fleet?.wallMs.median },
  { name: 'fleet peak RSS', unit: 'MB', limit: 250, value: (r) => r.cases.fleet?.peakRssMB.median },
  { name: 'fleet / floor wall', unit: '', limit: 1.3, value: (r) => r.ratio },
  { name: 'spark-platform / cdk8s wall', unit: '', limit: 1.5, value: (r) => r.sparkPlatformRatio },
  { name: 'platform-jobs / cdk8s wall', unit: '', limit: 1.3, value: (r) => r.platformJobsRatio },
];

// How the table names the cases with a size.
const LABELS = {
  fleet: (r) => `fleet (${r.apps} apps, ${r.tenants} ns)`,
  'spark-platform': (r) => `spark-platform (${r.tenants} tenants)`,
  'platform-jobs': (r) => `platform-jobs (${r.jobs} jobs)`,
  'platform-jobs-large': (r) => `platform-jobs-large (${r.large} jobs)`,
};

const log = (message) => process.stderr.write(`${message}\n`);

const USAGE = `usage: npm run bench [-- --json] [--runs N] [--apps N] [--tenants N] [--jobs N] [--large N] [--check]
  --json       print one JSON object on stdout (progress goes to stderr)
  --runs N     runs per case, at least 5; medians reported (default 5)
  --apps N     SparkApplications in the fleet case (default 1000)
  --tenants N  tenants they are spread over, in the fleet and the SparkPlatform cases (default 10)
  --jobs N     SparkApplications in the platform-jobs case (default 1000)
  --large N    SparkApplications in the platform-jobs-large case, 0 to skip it (default 10000)
  --check      exit 1 when a budget is exceeded`;

let parsed;
try {
  parsed = parseArgs({ options: {
    help: { type: 'boolean', short: 'h', default: false },
    json: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    apps: { type: 'string', default: '1000' },
    tenants: { type: 'string', default: '10' },
    jobs: { type: 'string', default: '1000' },
    large: { type: 'string', default: '10000' },
  } });
} catch (e) {
  process.stderr.write(`${e.message}\n${USAGE}\n`);
  process.exit(2);
}
const opts = parsed.values;
if (opts.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const runs = atLeast('runs', opts.runs, 5);
const apps = atLeast('apps', opts.apps, 1);
const tenants = atLeast('tenants', opts.tenants, 1);
const jobs = atLeast('jobs', opts.jobs, 1);
const large = atLeast('large', opts.large, 0);

// Each case: its runner's arguments; `dump` writes the fixture of its floor
// or replay (one untimed run first); `replays` runs the cdk8s-only replay of
// that case's fixture; `reads` the fixture the floor takes its jobs from;
// `sameAs` the case whose output it must write byte for byte.
const CASES = [
  { name: 'platform', args: ['platform'] },
  { name: 'fleet', args: ['fleet', apps, tenants], dump: true },
  { name: 'floor', args: ['floor', apps, tenants], reads: 'fleet', sameAs: 'fleet' },
  { name: 'cdk8s', replays: 'fleet', sameAs: 'fleet' },
  { name: 'spark-platform', args: ['platform-jobs', 0, tenants], dump: true },
  { name: 'spark-platform-cdk8s', replays: 'spark-platform', sameAs: 'spark-platform' },
  { name: 'platform-jobs', args: ['platform-jobs', jobs, tenants], dump: true },
  { name: 'platform-jobs-cdk8s', replays: 'platform-jobs', sameAs: 'platform-jobs' },
  ...(large > 0 ? [
    { name: 'platform-jobs-large', args: ['platform-jobs', large, tenants], dump: true },
    { name: 'platform-jobs-large-cdk8s', replays: 'platform-jobs-large', sameAs: 'platform-jobs-large' },
  ] : []),
];

await compile();

// One untimed run of each dumping case writes the fixture of its floor and
// replay, and the output they are compared with (and warms the file cache).
const references = {};
for (const c of CASES.filter((x) => x.dump)) {
  references[c.name] = mkdtempSync(join(tmpdir(), `bench-${c.name}-`));
  runCase(c, references[c.name], { BENCH_DUMP: fixtureFile(c.name) });
}

const cases = CASES.map((c) => c.name);
const samples = Object.fromEntries(cases.map((c) => [c, []]));
for (let run = 1; run <= runs; run++) {
  for (const c of CASES) {
    const outdir = mkdtempSync(join(tmpdir(), `bench-${c.name}-`));
    samples[c.name].push(runCase(c, outdir));
    if (c.sameAs && run === 1) {
      assertSameOutput(c.name, c.sameAs, references[c.sameAs], outdir);
    }
    rmSync(outdir, { recursive: true, force: true });
  }
  log(`run ${run}/${runs} done`);
}
for (const dir of Object.values(references)) {
  rmSync(dir, { recursive: true, force: true });
}

const result = {
  node: process.version,
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model,
  runs,
  apps,
  tenants,
  jobs,
  large,
  cases: Object.fromEntries(cases.map((c) => [c, summarize(samples[c])])),
};
result.ratio = pairedRatio('fleet', 'floor', 'wallMs');
result.cpuRatio = pairedRatio('fleet', 'floor', 'cpuMs');
result.cdk8sRatio = pairedRatio('fleet', 'cdk8s', 'wallMs');
result.sparkPlatformRatio = pairedRatio('spark-platform', 'spark-platform-cdk8s', 'wallMs');
result.platformJobsRatio = pairedRatio('platform-jobs', 'platform-jobs-cdk8s', 'wallMs');
if (large > 0) {
  result.platformJobsLargeRatio = pairedRatio('platform-jobs-large', 'platform-jobs-large-cdk8s', 'wallMs');
  // Wall time per job beyond the platform alone, per run: linear growth keeps it level.
  result.perJobMs = {
    jobs: perJob('platform-jobs', 'spark-platform', jobs),
    large: perJob('platform-jobs-large', 'spark-platform', large),
    cdk8sJobs: perJob('platform-jobs-cdk8s', 'spark-platform-cdk8s', jobs),
    cdk8sLarge: perJob('platform-jobs-large-cdk8s', 'spark-platform-cdk8s', large),
  };
  result.perJobMs.growth = round(result.perJobMs.large / result.perJobMs.jobs, 2);
}
result.loadAverage = loadavg().map((l) => round(l, 2));
result.budget = BUDGET.map((b) => {
  const value = b.value(result);
  return { name: b.name, unit: b.unit, limit: b.limit, value, ok: value <= b.limit };
});
result.ok = result.budget.every((b) => b.ok);

if (opts.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  printTable(result);
}
if (opts.check && !result.ok) {
  process.exit(1);
}

function atLeast(name, text, min) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    log(`--${name} must be a whole number of at least ${min} (got "${text}")`);
    process.exit(2);
  }
  return n;
}

/** tsc to .bench/: the runners and everything they import (library, example, cases). */
async function compile() {
  const started = performance.now();
  // Loaded here: option errors and --help answer without it.
  const { default: ts } = await import('typescript');
  rmSync(OUT, { recursive: true, force: true });
  const roots = ['run-case.ts', 'run-replay.ts'].map((f) => join(ROOT, 'scripts', 'bench', f));
  const program = ts.createProgram(roots, {
    outDir: OUT,
    rootDir: ROOT,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    noEmitOnError: false,
  });
  const emitted = program.emit();
  if (emitted.emitSkipped) {
    log(ts.formatDiagnosticsWithColorAndContext(emitted.diagnostics, ts.createCompilerHost({})));
    process.exit(1);
  }
  // The index users get from lib/ (the compile task rewrites it the same way).
  const { lazyIndex } = await import('./lazy-index.mjs');
  writeFileSync(join(OUT, 'src', 'index.js'), lazyIndex(join(OUT, 'src', 'index.js')));
  log(`compiled to ${relative(process.cwd(), OUT) || OUT} in ${(performance.now() - started).toFixed(0)} ms`);
}

function runCase(c, outdir, env = {}) {
  const started = process.hrtime.bigint();
  const args = c.replays
    ? [join(RUNNERS, 'run-replay.js'), outdir, fixtureFile(c.replays)]
    : [join(RUNNERS, 'run-case.js'), c.args[0], outdir, ...c.args.slice(1).map(String), ...(c.reads ? [fixtureFile(c.reads)] : [])];
  const child = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) {
    log(`case ${c.name} failed (exit ${child.status ?? child.signal}):\n${child.stderr}`);
    process.exit(1);
  }
  const lines = child.stdout.trim().split('\n');
  const reported = JSON.parse(lines[lines.length - 1]);
  // Reading a fixture is the harness's work, not the case's.
  const fixtureMs = reported.fixtureMs ?? 0;
  return {
    ...reported,
    wallMs: wallMs - fixtureMs,
    loadMs: reported.loadMs - fixtureMs,
    cpuMs: reported.cpuMs - fixtureMs,
    peakRssMB: (reported.maxRssKiB * 1024) / 1e6,
  };
}

function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

/** The floor and the replays only compare with their case if they write exactly what it writes. */
function assertSameOutput(name, expectedName, expectedDir, actualDir) {
  const expected = listFiles(expectedDir);
  const actual = listFiles(actualDir);
  const problem = JSON.stringify(expected) !== JSON.stringify(actual)
    ? `files differ: ${expected.join(', ')} vs ${actual.join(', ')}`
    : expected.find((f) => !readFileSync(join(expectedDir, f)).equals(readFileSync(join(actualDir, f))));
  if (problem) {
    log(`the ${name} case's output differs from the ${expectedName} case's: ${problem}`);
    process.exit(1);
  }
}

function summarize(list) {
  const stat = (key, digits) => {
    const values = list.map((s) => s[key]).sort((a, b) => a - b);
    return { median: round(median(values), digits), min: round(values[0], digits), max: round(values[values.length - 1], digits) };
  };
  return {
    wallMs: stat('wallMs', 0),
    loadMs: stat('loadMs', 0),
    buildMs: stat('buildMs', 0),
    synthMs: stat('synthMs', 0),
    cpuMs: stat('cpuMs', 0),
    peakRssMB: stat('peakRssMB', 1),
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median of the runs' ratios a/b of a figure. */
function pairedRatio(a, b, key) {
  return round(median(samples[a].map((s, i) => s[key] / samples[b][i][key])), 2);
}

/** The median over the runs of the wall time per job beyond the same run's `base` case. */
function perJob(name, base, count) {
  return round(median(samples[name].map((s, i) => (s.wallMs - samples[base][i].wallMs) / count)), 3);
}

function round(value, digits) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function printTable(r) {
  const rows = [
    ['case', 'wall ms (min-max)', 'start+load ms', 'build ms', 'synth ms', 'CPU ms', 'peak RSS MB'],
    ...Object.entries(r.cases).map(([name, c]) => [
      LABELS[name]?.(r) ?? name,
      `${c.wallMs.median} (${c.wallMs.min}-${c.wallMs.max})`,
      String(c.loadMs.median),
      String(c.buildMs.median),
      String(c.synthMs.median),
      String(c.cpuMs.median),
      String(c.peakRssMB.median),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  console.log(`node ${r.node}, ${r.cpus} CPUs (${r.cpuModel}), load average ${r.loadAverage.join(' ')}; `
    + `median of ${r.runs} runs, each in a fresh process`);
  for (const row of rows) {
    console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  }
  console.log(`ratio fleet/floor: ${r.ratio} (wall), ${r.cpuRatio} (CPU); fleet/cdk8s: ${r.cdk8sRatio} (wall)`);
  console.log(`spark-platform/cdk8s: ${r.sparkPlatformRatio}; platform-jobs/cdk8s: ${r.platformJobsRatio}`
    + `${r.large > 0 ? `; platform-jobs-large/cdk8s: ${r.platformJobsLargeRatio}` : ''} (wall)`);
  if (r.perJobMs) {
    const p = r.perJobMs;
    console.log(`wall per job beyond the platform: ${p.jobs} ms at ${r.jobs} jobs, ${p.large} ms at ${r.large} (x${p.growth}); `
      + `cdk8s alone ${p.cdk8sJobs} and ${p.cdk8sLarge} ms`);
  }
  for (const b of r.budget) {
    console.log(`${b.ok ? 'ok  ' : 'OVER'} ${b.name}: ${b.value}${b.unit ? ` ${b.unit}` : ''} (budget ${b.limit}${b.unit ? ` ${b.unit}` : ''})`);
  }
}
