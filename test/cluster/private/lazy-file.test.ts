import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { LazyFile } from '../../../src/cluster/private/lazy-file';
import { GeneratedFile } from '../../../src/core/generated-file';

describe('cluster/private/lazy-file', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lazy-file-'));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('the content is produced when the app writes the file, so later additions are in it', () => {
    const app = new App({ outdir });
    const chart = new Chart(app, 'nodes');
    const steps = ['first'];
    let calls = 0;
    const file = new LazyFile(chart, 'Script', 'nodes/prepare.sh', 0o755, () => {
      calls++;
      return `#!/bin/bash\n${steps.map((s) => `echo ${s}`).join('\n')}\n`;
    });
    expect(calls).toBe(0); // nothing is rendered at construction
    steps.push('added after the construct');
    app.synth();
    const target = path.join(outdir, 'nodes/prepare.sh');
    expect(fs.readFileSync(target, 'utf8')).toBe('#!/bin/bash\necho first\necho added after the construct\n');
    expect((fs.statSync(target).mode % 0o1000).toString(8)).toBe('755');
    expect(file.content).toBe(fs.readFileSync(target, 'utf8'));
    expect(file.path).toBe('nodes/prepare.sh');
    expect(file.mode).toBe(0o755);
  });

  test('a second synth writes what the producer gives then', () => {
    const app = new App({ outdir });
    const chart = new Chart(app, 'nodes');
    let version = 1;
    new LazyFile(chart, 'Conf', 'nodes/kubeadm-config.yaml', 0o644, () => `version: ${version}\n`);
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'nodes/kubeadm-config.yaml'), 'utf8')).toBe('version: 1\n');
    version = 2;
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'nodes/kubeadm-config.yaml'), 'utf8')).toBe('version: 2\n');
  });

  test('it is a GeneratedFile: found by GeneratedFile.allOf and held to its path rules', () => {
    const app = new App({ outdir });
    const chart = new Chart(app, 'nodes');
    const file = new LazyFile(chart, 'Script', 'nodes/worker.sh', 0o755, () => '');
    expect(GeneratedFile.isGeneratedFile(file)).toBe(true);
    expect(GeneratedFile.allOf(chart)).toEqual([file]);
  });

  test.each<[string, string, number, string]>([
    ['an absolute path', '/etc/worker.sh', 0o755, 'nodes/Bad: invalid path "/etc/worker.sh": a relative path inside the output directory'],
    ['a path leaving the output directory', '../worker.sh', 0o755, 'nodes/Bad: invalid path "../worker.sh"'],
    ['a manifest name', 'nodes/worker.k8s.yaml', 0o644, 'a name that does not end in .k8s.yaml'],
    ['a mode beyond 0o777', 'nodes/worker.sh', 0o4755, 'nodes/Bad: invalid mode 2541: a Unix mode from 0 to 0o777'],
  ])('refuses %s', (_name, filePath, mode, message) => {
    const chart = new Chart(new App({ outdir }), 'nodes');
    expect(() => new LazyFile(chart, 'Bad', filePath, mode, () => '')).toThrow(message);
  });

  test('two files with one path fail synth naming both', () => {
    const app = new App({ outdir });
    const chart = new Chart(app, 'nodes');
    new LazyFile(chart, 'A', 'nodes/worker.sh', 0o755, () => 'a');
    new LazyFile(chart, 'B', 'nodes/worker.sh', 0o755, () => 'b');
    expect(() => app.synth()).toThrow('nodes/A: generated file path "nodes/worker.sh" is also written by nodes/B');
  });
});
