// scripts/gen-spark-image-tags.mjs on a small apache/spark-docker history:
// the tags of every version that versions.json ever listed, with the facts
// of their variant directory, and no preview.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OFFICIAL_SPARK_IMAGE_TAGS } from '../../src/imports/spark-docker/image-tags';

const SCRIPT = path.join(__dirname, '../../scripts/gen-spark-image-tags.mjs');

const entry = (version: string, variant: string, tags: string[]) => ({ path: `${version}/${variant}`, tags });

function repository(documents: object[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-docker-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]);
  git('init', '-q');
  documents.forEach((doc, i) => {
    fs.writeFileSync(path.join(dir, 'versions.json'), JSON.stringify(doc));
    git('add', 'versions.json');
    git('commit', '-q', '-m', `versions ${i}`);
  });
  return dir;
}

describe('gen-spark-image-tags', () => {
  const git = spawnSync('git', ['--version']);
  (git.status === 0 ? test : test.skip)('collects every listed tag, keeps versions that left the file, skips previews', () => {
    const dir = repository([
      { versions: [entry('3.3.0', 'scala2.12-java11-python3-ubuntu', ['3.3.0-scala2.12-java11-python3-ubuntu', '3.3.0', 'latest'])] },
      {
        versions: [
          entry('4.2.0-preview5', 'scala2.13-java21-python3-ubuntu', ['4.2.0-preview5']),
          entry('3.5.7', 'scala2.12-java17-python3-r-ubuntu', ['3.5.7-scala2.12-java17-python3-r-ubuntu']),
          entry('3.5.7', 'scala2.12-java11-r-ubuntu', ['3.5.7-scala2.12-java11-r-ubuntu', '3.5.7-r', 'r']),
          entry('3.5.7', 'scala2.12-java11-ubuntu', ['3.5.7-scala']),
        ],
      },
    ]);
    const out = path.join(dir, 'image-tags.ts');
    const result = spawnSync(process.execPath, [SCRIPT, path.join(dir, '.git'), '--out', out], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const text = fs.readFileSync(out, 'utf8');
    const tags = [...text.matchAll(/^ {2}"([^"]+)": (\{.*\}),$/gm)].map((m) => [m[1], m[2]]);
    expect(tags).toEqual([
      ['3.3.0', '{ version: "3.3.0", scala: "2.12", java: 11, python: true, r: false }'],
      ['3.3.0-scala2.12-java11-python3-ubuntu', '{ version: "3.3.0", scala: "2.12", java: 11, python: true, r: false }'],
      ['3.5.7-r', '{ version: "3.5.7", scala: "2.12", java: 11, python: false, r: true }'],
      ['3.5.7-scala', '{ version: "3.5.7", scala: "2.12", java: 11, python: false, r: false }'],
      ['3.5.7-scala2.12-java11-r-ubuntu', '{ version: "3.5.7", scala: "2.12", java: 11, python: false, r: true }'],
      ['3.5.7-scala2.12-java17-python3-r-ubuntu', '{ version: "3.5.7", scala: "2.12", java: 17, python: true, r: true }'],
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('refuses a variant directory it does not know', () => {
    const dir = repository([{ versions: [entry('3.5.7', 'scala2.12-java11-gpu-ubuntu', ['3.5.7-gpu'])] }]);
    const result = spawnSync(process.execPath, [SCRIPT, path.join(dir, '.git'), '--out', path.join(dir, 'x.ts')], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('unknown image variant scala2.12-java11-gpu-ubuntu');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the committed list: releases only, each with its plain, -r and -scala tags', () => {
    const versions = new Set(Object.values(OFFICIAL_SPARK_IMAGE_TAGS).map((i) => i.version));
    expect([...versions].every((v) => /^\d+\.\d+\.\d+$/.test(v))).toBe(true);
    for (const version of versions) {
      expect([OFFICIAL_SPARK_IMAGE_TAGS[version]?.python, OFFICIAL_SPARK_IMAGE_TAGS[`${version}-r`]?.r]).toEqual([true, true]);
    }
    // apache/spark-docker: Spark 4.0 is built for Scala 2.13 and Java 17 by default; 3.5 for Scala 2.12 and Java 11.
    expect(OFFICIAL_SPARK_IMAGE_TAGS['4.0.3']).toEqual({ version: '4.0.3', scala: '2.13', java: 17, python: true, r: false });
    expect(OFFICIAL_SPARK_IMAGE_TAGS['3.5.7']).toEqual({ version: '3.5.7', scala: '2.12', java: 11, python: true, r: false });
  });
});
