/**
 * The `@example`s of the doc comments (API.md, and every jsii language's docs
 * through jsii-rosetta): the main constructs have one, and each runs. An
 * example uses objects rosetta/default.ts-fixture declares (`chart`, `tls`,
 * ...); here they are real objects in a fresh app, the example runs with them,
 * and the app synthesizes manifests the API server accepts. `npx projen
 * test:snippets` compiles the same examples, strictly, in that fixture.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, Secret } from 'cdk8s-plus-28';
import * as ts from 'typescript';
import * as lib from '../src';
import { expectValidManifests } from './harness/manifests';
import { thirdPartyCrds } from './harness/third-party-crds';

const ROOT = path.join(__dirname, '..');
const SRC = path.join(ROOT, 'src');

/** The constructs a user starts from (issue #21): each shows itself in an example. */
const MAIN_CONSTRUCTS = [
  'SparkApplication', 'ScheduledSparkApplication', 'SparkSubmitJob', 'SparkOperatorInstall', 'SparkHistoryServer',
  'SparkThriftServer', 'SparkStandaloneCluster', 'ZeppelinNotebook', 'RegistryMirror', 'RegistryMirrorSet',
  'KubeadmClusterPrereqs', 'ClusterNetwork', 'FlannelCni', 'LocalPathProvisioner', 'SparkTenant', 'SparkPlatform',
  'ArgoCdApplication', 'SparkImage', 'SparkConnectServer', 'SparkConnectDeployment',
];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'imports' ? [] : sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every exported class's `@example`, as TypeScript (and jsii) parse the doc comment. */
function examples(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sources(SRC)) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const node of source.statements) {
      if (!ts.isClassDeclaration(node) || !node.name) continue;
      const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === 'example');
      if (tag) found.set(node.name.text, ts.getTextOfJSDocComment(tag.comment) ?? '');
    }
  }
  return found;
}

/** A fixture object made only when an example names it. */
class OnUse {
  constructor(readonly make: () => unknown) {}
}

/** What rosetta/default.ts-fixture declares for the samples, as real objects in `app`. */
function fixture(app: App): { [name: string]: unknown } {
  const chart = new Chart(app, 'chart');
  const cluster = new Chart(app, 'cluster');
  const registries = new Chart(app, 'registries');
  const nodes: lib.ClusterNode[] = [{ name: 'cp1', ip: '192.168.1.10', role: lib.NodeRole.CONTROL_PLANE }];
  const network = new lib.ClusterNetwork(cluster, 'FixtureNetwork', { podCidr: '10.244.0.0/16', nodes });
  const eventLog = lib.EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs');
  return {
    app,
    chart,
    cluster,
    clusterChart: cluster,
    registries,
    jobs: new Chart(app, 'jobs'),
    nodes,
    network,
    apiServer: lib.TenantApiServerAccess.fromClusterNetwork(network),
    tls: lib.RegistryTls.fromSecret(Secret.fromSecretName(registries, 'Tls', 'registry-tls')),
    htpasswd: Secret.fromSecretName(registries, 'Htpasswd', 'registry-htpasswd'),
    pullSecret: Secret.fromSecretName(chart, 'Pull', 'registry-pull'),
    metastoreDb: Secret.fromSecretName(chart, 'MetastoreDb', 'hive-metastore-db'),
    authSecret: Secret.fromSecretName(chart, 'Auth', 'spark-auth'),
    s3Keys: Secret.fromSecretName(chart, 'S3Keys', 's3-keys'),
    image: lib.SparkImage.apache('4.0.4'),
    eventLog,
    store: eventLog,
    minio: lib.NetworkPeer.namespace('storage', { app: 'minio' }),
    // Made only for an example that names them: they add objects of their own to the app.
    mirrors: new OnUse(() => new lib.RegistryMirrorSet(registries, 'FixtureMirrors', { namespace: 'registry', network })),
    tenant: new OnUse(() => new lib.SparkTenant(chart, 'FixtureTenant', {
      namespace: 'analytics', apiServer: lib.TenantApiServerAccess.fromClusterNetwork(network),
    })),
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    repoUrl: 'https://git.example.com/platform/spark.git',
    quota: (cores: number, memoryGiB: number, applications: number): lib.TenantQuota => ({
      cpuRequests: Cpu.units(cores), memoryRequests: Size.gibibytes(memoryGiB), sparkApplications: applications,
    }),
  };
}

const found = examples();

test('the main constructs have an @example', () => {
  expect(MAIN_CONSTRUCTS.filter((name) => !found.get(name)?.trim())).toEqual([]);
});

test('the objects given to the examples here are the ones the rosetta fixture declares', () => {
  const declared = [...fs.readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf8')
    .matchAll(/^declare (?:const|function) (\w+)/gm)].map((m) => m[1]);
  expect(Object.keys(fixture(Testing.app())).sort()).toEqual(declared.sort());
});

let sparkCrds: any[] | undefined;
function crds(): any[] {
  if (!sparkCrds) {
    const chart = new Chart(Testing.app(), 'crds');
    new lib.SparkOperatorCrds(chart, 'Crds');
    sparkCrds = [...Testing.synth(chart), ...thirdPartyCrds()];
  }
  return sparkCrds;
}

test.each([...found.keys()].sort())('the @example of %s runs and synthesizes valid manifests', (name) => {
  const app = Testing.app();
  const code = found.get(name)!;
  const given = Object.fromEntries(Object.entries(fixture(app))
    .filter(([key, value]) => !(value instanceof OnUse)
      || (new RegExp(`\\b${key}\\b`).test(code) && !new RegExp(`\\b(?:const|let|var) ${key}\\b`).test(code)))
    .map(([key, value]) => [key, value instanceof OnUse ? value.make() : value]));
  // The example's names: the library's exports, the cdk8s and cdk8s-plus ones
  // the fixture imports, and the fixture's objects (an example may declare
  // one of them again: it runs in a block of its own).
  const scope: { [name: string]: unknown } = { ...lib, App, Chart, Duration, Size, Cpu, Secret, ...given };
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function(...Object.keys(scope), `{\n${js}\n}`)(...Object.values(scope));
  app.synth();
  expectValidManifests(app.charts.flatMap((c) => Testing.synth(c)), { crds: crds() });
});
