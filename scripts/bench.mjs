// `npm run bench [-- options]`: synthesis time and memory, against a budget.
//
// It compiles the library, examples/platform and scripts/bench/*.ts to
// JavaScript in .bench/ (tsc, no type-check gate), then runs every case in a
// fresh `node` process, several times, interleaved:
//   platform  examples/platform: buildApp() + app.synth()
//   fleet     the platform plus --apps SparkApplications over --tenants SparkTenants
//   floor     the fleet with each SparkApplication replaced by a plain cdk8s
//             ApiObject of its exact JSON (same output, checked byte for byte)
//   cdk8s     every object of the fleet replayed as plain ApiObjects with only
//             cdk8s loaded: what cdk8s alone costs for that output (reported)
// ratio is fleet/floor (the budget); cdk8sRatio is fleet/cdk8s.
// Wall time is measured around the child process (node start-up included);
// peak RSS is the child's own maxRSS. Medians are reported.
//
// Options: --json (one JSON object on stdout), --runs N (default 5),
// --apps N (1000), --tenants N (10), --check (exit 1 when over budget).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '.bench');
const RUNNERS = join(OUT, 'scripts', 'bench');
const FIXTURE = join(OUT, 'fixture.json');

// Seconds and megabytes (10^6 bytes) on the 2-core reference machine.
const BUDGET = [
  { name: 'platform wall', unit: 'ms', limit: 500, value: (r) => r.cases.platform?.wallMs.median },
  { name: 'platform peak RSS', unit: 'MB', limit: 120, value: (r) => r.cases.platform?.peakRssMB.median },
  { name: 'fleet wall', unit: 'ms', limit: 2000, value: (r) => r.cases.fleet?.wallMs.median },
  { name: 'fleet peak RSS', unit: 'MB', limit: 250, value: (r) => r.cases.fleet?.peakRssMB.median },
  { name: 'fleet / floor wall', unit: '', limit: 1.3, value: (r) => r.ratio },
];

const log = (message) => process.stderr.write(`${message}\n`);

const USAGE = `usage: npm run bench [-- --json] [--runs N] [--apps N] [--tenants N] [--check]
  --json       print one JSON object on stdout (progress goes to stderr)
  --runs N     runs per case, at least 5; medians reported (default 5)
  --apps N     SparkApplications in the fleet case (default 1000)
  --tenants N  tenants they are spread over (default 10)
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

await compile();

// One untimed fleet run writes the fixture of the floor and the replay (and warms the file cache).
const reference = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
runCase('fleet', reference, { BENCH_DUMP: FIXTURE });

const cases = ['platform', 'fleet', 'floor', 'cdk8s'];
const samples = Object.fromEntries(cases.map((c) => [c, []]));
for (let run = 1; run <= runs; run++) {
  for (const name of cases) {
    const outdir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
    samples[name].push(runCase(name, outdir));
    if ((name === 'floor' || name === 'cdk8s') && run === 1) {
      assertSameOutput(name, reference, outdir);
    }
    rmSync(outdir, { recursive: true, force: true });
  }
  log(`run ${run}/${runs} done`);
}
rmSync(reference, { recursive: true, force: true });

const result = {
  node: process.version,
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model,
  runs,
  apps,
  tenants,
  cases: Object.fromEntries(cases.map((c) => [c, summarize(samples[c])])),
};
result.ratio = round(result.cases.fleet.wallMs.median / result.cases.floor.wallMs.median, 2);
result.cpuRatio = round(result.cases.fleet.cpuMs.median / result.cases.floor.cpuMs.median, 2);
result.cdk8sRatio = round(result.cases.fleet.wallMs.median / result.cases.cdk8s.wallMs.median, 2);
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
  log(`compiled to ${relative(process.cwd(), OUT) || OUT} in ${(performance.now() - started).toFixed(0)} ms`);
}

function runCase(name, outdir, env = {}) {
  const started = process.hrtime.bigint();
  const args = name === 'cdk8s'
    ? [join(RUNNERS, 'run-replay.js'), outdir, FIXTURE]
    : [join(RUNNERS, 'run-case.js'), name, outdir, String(apps), String(tenants), FIXTURE];
  const child = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) {
    log(`case ${name} failed (exit ${child.status ?? child.signal}):\n${child.stderr}`);
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

/** The floor and the replay only compare with the fleet if they write exactly what it writes. */
function assertSameOutput(name, expectedDir, actualDir) {
  const expected = listFiles(expectedDir);
  const actual = listFiles(actualDir);
  const problem = JSON.stringify(expected) !== JSON.stringify(actual)
    ? `files differ: ${expected.join(', ')} vs ${actual.join(', ')}`
    : expected.find((f) => !readFileSync(join(expectedDir, f)).equals(readFileSync(join(actualDir, f))));
  if (problem) {
    log(`the ${name} case's output differs from the fleet's: ${problem}`);
    process.exit(1);
  }
}

function summarize(list) {
  const stat = (key, digits) => {
    const values = list.map((s) => s[key]).sort((a, b) => a - b);
    const mid = values.length >> 1;
    const median = values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    return { median: round(median, digits), min: round(values[0], digits), max: round(values[values.length - 1], digits) };
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

function round(value, digits) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function printTable(r) {
  const rows = [
    ['case', 'wall ms (min-max)', 'start+load ms', 'build ms', 'synth ms', 'CPU ms', 'peak RSS MB'],
    ...Object.entries(r.cases).map(([name, c]) => [
      name === 'fleet' ? `fleet (${r.apps} apps, ${r.tenants} ns)` : name,
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
  for (const b of r.budget) {
    console.log(`${b.ok ? 'ok  ' : 'OVER'} ${b.name}: ${b.value}${b.unit ? ` ${b.unit}` : ''} (budget ${b.limit}${b.unit ? ` ${b.unit}` : ''})`);
  }
}
