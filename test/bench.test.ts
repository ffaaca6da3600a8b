// The bench's cases (scripts/bench/) are not run by CI: this keeps them
// working, and checks that the floor (the fleet with plain ApiObjects for its
// jobs) and the cdk8s-only replay write exactly the fleet's output (the bench
// checks that too, at full size).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixtureOf, platformWithFleet, platformWithPlainJobs } from '../scripts/bench/cases';
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

describe('npm run bench refuses bad options before it compiles anything', () => {
  const bench = (...args: string[]) => spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'bench.mjs'), ...args], { encoding: 'utf8' });

  test.each([
    [['--runs', '4'], '--runs must be a whole number of at least 5 (got "4")'],
    [['--apps', '0'], '--apps must be a whole number of at least 1 (got "0")'],
    [['--tenants', 'ten'], '--tenants must be a whole number of at least 1 (got "ten")'],
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
