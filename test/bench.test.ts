// The bench's cases (scripts/bench/) are not run by CI: this keeps them
// working, and checks that the floor really is the fleet's output written
// with plain ApiObjects (the bench checks that too, at full size).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { floorFixtureOf, platformWithFleet } from '../scripts/bench/cases';
import { floor } from '../scripts/bench/floor';

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

test('the floor writes byte for byte what the fleet case writes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
  try {
    const fleet = platformWithFleet(path.join(dir, 'fleet'), { apps: 12, tenants: 3 });
    fleet.synth();
    const fixture = JSON.parse(JSON.stringify(floorFixtureOf(fleet)));
    floor(path.join(dir, 'floor'), fixture).synth();

    const expected = filesUnder(path.join(dir, 'fleet'));
    expect(filesUnder(path.join(dir, 'floor'))).toEqual(expected);

    // The jobs are spread over the tenants' charts, 4 each.
    const jobs = Object.entries(expected).map(([file, yaml]) => [file, yaml.match(/^kind: SparkApplication$/gm)?.length ?? 0]);
    expect(jobs.filter(([file]) => /tenant-\d+\.k8s\.yaml$/.test(file as string)).map(([, n]) => n)).toEqual([4, 4, 4]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
