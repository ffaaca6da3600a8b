// Issue #18: no literal credential in anything the examples produce — manifests (env values,
// ConfigMap files, SparkApplication confs, container arguments) and generated files — checked
// with the same classifier the constructs refuse with (core/credentials).
import { App, Testing } from 'cdk8s';
import * as cloudEventLogs from '../../examples/cloud-event-logs/main';
import * as connect from '../../examples/connect/main';
import * as multiTenant from '../../examples/multi-tenant/main';
import * as platform from '../../examples/platform/main';
import * as registryObjectStorage from '../../examples/registry-object-storage/main';
import * as shuffle from '../../examples/shuffle/main';
import * as sparkJobs from '../../examples/spark-jobs/main';
import * as standalone from '../../examples/standalone/main';
import * as thrift from '../../examples/thrift/main';
import { GeneratedFile } from '../../src';
import { isCredentialConfKey, isCredentialEnvName, urlHasCredentials } from '../../src/core/credentials';

const EXAMPLES: Array<[string, () => App]> = [
  ['platform', () => platform.buildApp(Testing.app())],
  ['spark-jobs', () => sparkJobs.buildApp(Testing.app())],
  ['thrift', () => thrift.buildApp(Testing.app())],
  ['standalone', () => standalone.buildApp(Testing.app())],
  ['connect', () => connect.buildApp(Testing.app())],
  ['multi-tenant', () => { const app = Testing.app(); multiTenant.buildApp(app); return app; }],
  ['cloud-event-logs', () => cloudEventLogs.buildApp(Testing.app())],
  ['shuffle', () => shuffle.buildApp(Testing.app())],
  ['registry-object-storage', () => registryObjectStorage.buildApp(Testing.app())],
];

// A value that only names a variable (`${env.ABFS_ACCOUNT_KEY}`), which Hadoop's Configuration
// resolves from the container's environment, filled from a Secret: a reference, not a credential.
const ENV_REFERENCE = /^\$\{env\.[A-Za-z_][A-Za-z0-9_]*\}$/;

/** Every finding: a path in the output and what is wrong there. */
function findings(value: unknown, where: string, out: string[]): string[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => findings(v, `${where}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const o = value as { [key: string]: unknown };
    // A container variable: a credential's value comes from a Secret, never literally.
    if (typeof o.name === 'string' && 'value' in o && isCredentialEnvName(o.name) && typeof o.value === 'string' && o.value !== '') {
      out.push(`${where}: variable ${o.name} has a literal value`);
    }
    for (const [key, v] of Object.entries(o)) {
      // sparkConf / hadoopConf maps of SparkApplications, and any other key/value map.
      if (typeof v === 'string' && isCredentialConfKey(key) && v !== '' && !ENV_REFERENCE.test(v)) {
        out.push(`${where}.${key}: a credential key with a literal value`);
      }
      findings(v, `${where}.${key}`, out);
    }
  } else if (typeof value === 'string') {
    textFindings(value, where, out);
  }
  return out;
}

/** Lines of rendered files (spark-defaults.conf, hive-site.xml, scripts) and URLs anywhere. */
function textFindings(text: string, where: string, out: string[]): void {
  for (const token of text.split(/[\s"'<>]+/)) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(token) && urlHasCredentials(token)) {
      out.push(`${where}: a URL with credentials`);
    }
  }
  for (const line of text.split('\n')) {
    // spark-defaults.conf ("key value"), --conf key=value, and <name>key</name><value>v</value> in one line.
    const conf = /^\s*(?:--conf[= ])?([A-Za-z][\w.-]+)[ =]\s*(\S.*)$/.exec(line);
    // The standalone cluster's client conf sets spark.authenticate.secret to a marker: Spark's
    // SecurityManager wants the key set, and reads the real secret from _SPARK_AUTH_SECRET, a
    // variable from the cluster's Secret (src/standalone/spark-standalone-cluster.ts).
    const marker = /^taken-from-the-_SPARK_AUTH_SECRET-environment-variable$/;
    if (conf && conf[1].includes('.') && isCredentialConfKey(conf[1]) && !/^\$|^\{\{|^@@/.test(conf[2]) && !marker.test(conf[2].trim())) {
      out.push(`${where}: ${conf[1]} set literally`);
    }
  }
}

describe('no literal credential in the examples\' output', () => {
  test.each(EXAMPLES)('%s: manifests and generated files', (_name, build) => {
    const app = build();
    const out: string[] = [];
    for (const chart of app.charts) {
      Testing.synth(chart).forEach((manifest: any, i: number) => findings(manifest, `${chart.node.id}[${i}] ${manifest.kind}/${manifest.metadata?.name}`, out));
    }
    for (const file of GeneratedFile.allOf(app)) {
      textFindings(file.content, file.path, out);
    }
    expect(out).toEqual([]);
  });

  // The check can fail: a planted literal credential in each form is found.
  test.each<[string, unknown, string]>([
    ['a literal secret variable', { env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'x' }] }, 'variable AWS_SECRET_ACCESS_KEY has a literal value'],
    ['a conf map entry', { sparkConf: { 'spark.hadoop.fs.s3a.secret.key': 'x' } }, 'a credential key with a literal value'],
    ['a conf map entry beside a variable reference', { sparkConf: { 'spark.hadoop.fs.azure.account.key.a.dfs.core.windows.net': 'x${env.K}' } },
      'a credential key with a literal value'],
    ['a spark-defaults line', { data: { 'spark-defaults.conf': 'spark.master spark://m:7077\nspark.authenticate.secret abc\n' } }, 'spark.authenticate.secret set literally'],
    ['a URL with user info', { args: ['--repo', 'https://bot:tok@git.example.com/r.git'] }, 'a URL with credentials'],
  ])('the check finds %s', (_name, planted, message) => {
    expect(findings(planted, 'planted', []).join('\n')).toContain(message);
  });

  test('a variable reference in a credential key is no literal (EventLogStore.abfs with an account key)', () => {
    expect(findings({ sparkConf: { 'spark.hadoop.fs.azure.account.key.a.dfs.core.windows.net': '${env.ABFS_ACCOUNT_KEY}' } }, 'planted', [])).toEqual([]);
  });
});
