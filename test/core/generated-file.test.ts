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

  test('two files with one path fail the synth, naming both', () => {
    const app = tempApp();
    const chart = new Chart(app, 'c');
    new GeneratedFile(chart, 'A', { path: 'x.sh', content: 'a' });
    new GeneratedFile(chart, 'B', { path: 'x.sh', content: 'b' });
    expect(() => app.synth()).toThrow('c/A: generated file path "x.sh" is also written by c/B');
  });

  test.each([
    ['/etc/passwd', 'a relative path inside the output directory'],
    ['../escape.sh', 'a relative path inside the output directory'],
    ['./x.sh', 'a relative path inside the output directory'],
    ['a//b.sh', 'a relative path inside the output directory'],
    ['', 'a relative path inside the output directory'],
    ['nodes.k8s.yaml', 'a name that does not end in .k8s.yaml'],
  ])('rejects the path %j', (p, rule) => {
    const chart = Testing.chart();
    expect(() => new GeneratedFile(chart, 'F', { path: p, content: '' }))
      .toThrow(`${chart.node.path}/F: invalid path ${JSON.stringify(p)}: ${rule}`);
  });

  test('rejects a mode out of range', () => {
    const chart = Testing.chart();
    expect(() => new GeneratedFile(chart, 'F', { path: 'a.sh', content: '', mode: 0o4755 }))
      .toThrow('invalid mode 2541: a Unix mode from 0 to 0o777');
  });
});
