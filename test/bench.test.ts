// The bench's cases (scripts/bench/) are not run by CI: this keeps them
// working, and checks that the floor (the fleet with plain ApiObjects for its
// jobs) and the cdk8s-only replay write exactly the fleet's output (the bench
// checks that too, at full size).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { platformWithFleet, platformWithPlainJobs } from '../scripts/bench/cases';
import { fixtureOf } from '../scripts/bench/fixture';
import { platformJob } from '../scripts/bench/jobs';
import { sparkPlatformWithJobs } from '../scripts/bench/platform-cases';
import { replay } from '../scripts/bench/replay';

function filesUnder(dir: string): { [file: string]: string } {
  const out: { [file: string]: string } = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  }
  return out;
}

test('the floor and the replay write byte for byte what the fleet case writes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
  try {
    const options = { apps: 12, tenants: 3 };
    const fleet = platformWithFleet(path.join(dir, 'fleet'), options);
    fleet.synth();
    const fixture = JSON.parse(JSON.stringify(fixtureOf(fleet)));
    expect(fixture.jobs).toHaveLength(12);
    platformWithPlainJobs(path.join(dir, 'floor'), options, fixture.jobs).synth();
    replay(path.join(dir, 'replay'), fixture.replay).synth();

    const expected = filesUnder(path.join(dir, 'fleet'));
    expect(filesUnder(path.join(dir, 'floor'))).toEqual(expected);
    expect(filesUnder(path.join(dir, 'replay'))).toEqual(expected);
    expect(() => platformWithPlainJobs(path.join(dir, 'short'), options, fixture.jobs.slice(1))).toThrow('the fixture has 11 jobs, not 12');

    // The jobs are spread over the tenants' charts, 4 each.
    const jobs = Object.entries(expected).map(([file, yaml]) => [file, yaml.match(/^kind: SparkApplication$/gm)?.length ?? 0]);
    expect(jobs.filter(([file]) => /tenant-\d+\.k8s\.yaml$/.test(file as string)).map(([, n]) => n)).toEqual([4, 4, 4]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the cdk8s replay writes byte for byte what the SparkPlatform cases write', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
  try {
    for (const jobs of [0, 7]) {
      const app = sparkPlatformWithJobs(path.join(dir, `platform-${jobs}`), { jobs, tenants: 3 }, platformJob);
      app.synth();
      const fixture = JSON.parse(JSON.stringify(fixtureOf(app)));
      replay(path.join(dir, `replay-${jobs}`), fixture.replay).synth();
      const expected = filesUnder(path.join(dir, `platform-${jobs}`));
      expect(filesUnder(path.join(dir, `replay-${jobs}`))).toEqual(expected);

      // The platform's charts (nested in the platform construct), then one jobs chart per tenant with jobs.
      const files = Object.keys(expected).sort();
      expect(files.map((f) => f.replace(/-c8[0-9a-f]{6}\.k8s\.yaml$/, ''))).toEqual([
        '0000-platform-tenants', '0001-platform-spark-operator', '0002-platform-spark-services',
        ...(jobs ? ['0003-platform-jobs-tenant-00', '0004-platform-jobs-tenant-01', '0005-platform-jobs-tenant-02'] : []),
      ]);
      const count = (file: string, pattern: RegExp) => expected[file].match(pattern)?.length ?? 0;
      expect(files.slice(3).map((f) => count(f, /^kind: SparkApplication$/gm))).toEqual(jobs ? [3, 2, 2] : []);
      // History server, Argo CD waves on every object, each job in its tenant's namespace, logging where the server reads.
      expect(count(files[2], /^kind: Deployment$/gm)).toBe(1);
      for (const file of files) {
        expect(count(file, /^kind: /gm)).toBe(count(file, /^    argocd\.argoproj\.io\/sync-wave: /gm));
      }
      for (const file of files.slice(3)) {
        const namespace = file.match(/jobs-(tenant-\d\d)-/)![1];
        expect(count(file, new RegExp(`^  namespace: ${namespace}$`, 'gm'))).toBe(count(file, /^kind: SparkApplication$/gm));
        expect(count(file, /spark\.eventLog\.dir: hdfs:\/\/namenode\.hadoop\.svc:8020\/spark-logs$/gm))
          .toBe(count(file, /^kind: SparkApplication$/gm));
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('npm run bench refuses bad options before it compiles anything', () => {
  const bench = (...args: string[]) => spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'bench.mjs'), ...args], { encoding: 'utf8' });

  test.each([
    [['--runs', '4'], '--runs must be a whole number of at least 5 (got "4")'],
    [['--apps', '0'], '--apps must be a whole number of at least 1 (got "0")'],
    [['--tenants', 'ten'], '--tenants must be a whole number of at least 1 (got "ten")'],
    [['--jobs', '0'], '--jobs must be a whole number of at least 1 (got "0")'],
    [['--large', 'some'], '--large must be a whole number of at least 0 (got "some")'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('%j', (args, message) => {
    const result = bench(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  test('--help prints the usage', () => {
    const result = bench('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('usage: npm run bench');
  });
});
