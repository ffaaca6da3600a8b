// End to end: the real `cdk8s synth` CLI (cdk8s-cli from node_modules) on a
// tiny app in a temp dir whose cdk8s.yaml enables the plugin, offline
// (--no-check-upgrade: the CLI's own check for a newer CLI is its only network use).
// The plugin is loaded from examples/validation-plugin.js (the sources through
// tsx), as the example apps load it.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
const PLUGIN = path.join(ROOT, 'examples', 'validation-plugin.js');

/** The app: a namespace enforcing restricted, a pod, a ConfigMap; `defects` makes the pod privileged and misspells `data`. */
function appSource(defects: boolean): string {
  return `const { ApiObject, App, Chart } = require(${JSON.stringify(require.resolve('cdk8s'))});
const app = new App();
const chart = new Chart(app, 'demo');
new ApiObject(chart, 'Namespace', { apiVersion: 'v1', kind: 'Namespace',
  metadata: { name: 'restricted', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
const securityContext = ${defects} ? { privileged: true } : {
  allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
new ApiObject(chart, 'Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'worker', namespace: 'restricted' },
  spec: { containers: [{ name: 'main', image: 'busybox:1.36', securityContext }] } });
new ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf', namespace: 'restricted' },
  ${JSON.stringify(defects ? 'datta' : 'data')}: { key: 'value' } });
app.synth();
`;
}

function synth(defects: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-spark-cli-'));
  fs.writeFileSync(path.join(dir, 'app.js'), appSource(defects));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
    'app: node app.js',
    'output: dist',
    'validations:',
    `  - package: ${PLUGIN}`,
    '    version: 1.0.0',
    '    class: SparkManifestValidation',
    '    properties:',
    '      scripts: false',
    '',
  ].join('\n'));
  const started = Date.now();
  const result = spawnSync(process.execPath, [CLI, 'synth', '--no-check-upgrade', '--validation-reports-output-file', 'report.json'], {
    cwd: dir, encoding: 'utf8', timeout: 180_000, env: { ...process.env, FORCE_COLOR: '0' },
  });
  const ms = Date.now() - started;
  const report = fs.existsSync(path.join(dir, 'report.json')) ? JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) : undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  // eslint-disable-next-line no-console
  console.log(`cdk8s synth with the plugin (${defects ? 'defects' : 'clean'}): ${ms} ms, exit ${result.status}`);
  return { ...result, report };
}

describe('cdk8s synth with the plugin enabled in cdk8s.yaml', () => {
  test('a clean app passes', () => {
    const { status, stdout, stderr, report } = synth(false);
    expect({ status, stderr: stderr.trim() }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toContain('Validations ended succesfully'); // (sic, cdk8s-cli)
    expect(report.reports).toHaveLength(1);
    expect(report.reports[0].summary).toMatchObject({ status: 'success', plugin: PLUGIN, version: '1.0.0' });
    expect(report.reports[0].violations).toEqual([]);
  }, 200_000);

  test('an app with defects fails with exit code 2 and the report names rule, object, construct, file and location', () => {
    const { status, stdout, stderr, report } = synth(true);
    expect(status).toBe(2);
    expect(stderr).toContain('Validation failed. See above reports for details');
    expect(stdout).toContain('pod-security (1 occurrences)');
    const violations = report.reports[0].violations;
    expect(violations.map((v: any) => v.ruleName)).toEqual(['unknown-field', 'pod-security']);
    expect(violations[0].violatingConstructs).toEqual([{
      resourceName: 'ConfigMap restricted/conf (construct demo/Config)',
      manifestPath: 'dist/demo.k8s.yaml',
      locations: ['datta: unknown field (not declared in IoK8sApiCoreV1ConfigMap; did you mean "data"?)'],
    }]);
    expect(violations[1].violatingConstructs).toEqual([{
      resourceName: 'Pod restricted/worker (construct demo/Pod)',
      manifestPath: 'dist/demo.k8s.yaml',
      locations: [expect.stringContaining('enforces Pod Security "restricted" and the API server would refuse the pods: '
        + 'container main is privileged (Privileged Containers)')],
    }]);
    expect(report.reports[0].summary.metadata).toMatchObject({ Manifests: '1 file(s), 3 object(s)', Violations: '2' });
  }, 200_000);
});
