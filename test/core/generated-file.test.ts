import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { GeneratedFile } from '../../src';

describe('GeneratedFile', () => {
  function tempApp(): App {
    return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-gen-')) });
  }

  test('defaults: written on synth next to the manifests, mode 0644', () => {
    const app = tempApp();
    const chart = new Chart(app, 'nodes');
    const file = new GeneratedFile(chart, 'Config', { path: 'kubeadm/kubeadm-config.yaml', content: 'kind: x\n' });
    expect({ path: file.path, mode: file.mode.toString(8), content: file.content }).toMatchSnapshot();
    app.synth();
    const written = path.join(app.outdir, 'kubeadm/kubeadm-config.yaml');
    expect(fs.readFileSync(written, 'utf8')).toBe('kind: x\n');
    expect((fs.statSync(written).mode % 0o1000).toString(8)).toBe('644');
    expect(fs.existsSync(path.join(app.outdir, 'nodes.k8s.yaml'))).toBe(true);
  });

  test('scripts keep their executable mode, also when the file existed before', () => {
    const app = tempApp();
    fs.mkdirSync(path.join(app.outdir, 'nodes'), { recursive: true });
    fs.writeFileSync(path.join(app.outdir, 'nodes/worker.sh'), 'old', { mode: 0o600 });
    new GeneratedFile(new Chart(app, 'c'), 'Worker', { path: 'nodes/worker.sh', content: '#!/bin/bash\n', mode: 0o755 });
    app.synth();
    const stat = fs.statSync(path.join(app.outdir, 'nodes/worker.sh'));
    expect((stat.mode % 0o1000).toString(8)).toBe('755');
    expect(fs.readFileSync(path.join(app.outdir, 'nodes/worker.sh'), 'utf8')).toBe('#!/bin/bash\n');
  });

  test('allOf lists the files of the whole app', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    new GeneratedFile(a, 'One', { path: 'one.sh', content: '' });
    new GeneratedFile(b, 'Two', { path: 'two.sh', content: '' });
    expect(GeneratedFile.allOf(a).map((f) => f.path)).toEqual(['one.sh', 'two.sh']);
  });

  test('isGeneratedFile', () => {
    const chart = Testing.chart();
    expect(GeneratedFile.isGeneratedFile(new GeneratedFile(chart, 'F', { path: 'f.sh', content: '' }))).toBe(true);
    expect(GeneratedFile.isGeneratedFile(chart)).toBe(false);
  });

  test('two files with one path fail the synth, naming both', () => {
    const app = tempApp();
    const chart = new Chart(app, 'c');
    new GeneratedFile(chart, 'A', { path: 'x.sh', content: 'a' });
    new GeneratedFile(chart, 'B', { path: 'x.sh', content: 'b' });
    expect(() => app.synth()).toThrow('c/A: generated file path "x.sh" is also written by c/B');
  });

  test.each<[string, { path: string; mode?: number }, string]>([
    ['an absolute path', { path: '/etc/passwd' }, 'invalid path "/etc/passwd": a relative path inside the output directory'],
    ['a path leaving the output directory', { path: '../escape.sh' }, 'invalid path "../escape.sh": a relative path inside the output directory'],
    ['a path with ./', { path: './x.sh' }, 'invalid path "./x.sh": a relative path inside the output directory'],
    ['a path with an empty segment', { path: 'a//b.sh' }, 'invalid path "a//b.sh": a relative path inside the output directory'],
    ['an empty path', { path: '' }, 'invalid path "": a relative path inside the output directory'],
    ['a manifest name', { path: 'nodes.k8s.yaml' }, 'invalid path "nodes.k8s.yaml": a name that does not end in .k8s.yaml'],
    ['a setuid mode', { path: 'a.sh', mode: 0o4755 }, 'invalid mode 2541: a Unix mode from 0 to 0o777'],
    ['a negative mode', { path: 'a.sh', mode: -1 }, 'invalid mode -1: a Unix mode from 0 to 0o777'],
    ['a fractional mode', { path: 'a.sh', mode: 1.5 }, 'invalid mode 1.5'],
  ])('refuses %s', (_name, props, message) => {
    const chart = Testing.chart();
    expect(() => new GeneratedFile(chart, 'F', { content: '', ...props })).toThrow(`${chart.node.path}/F: ${message}`);
  });
});
