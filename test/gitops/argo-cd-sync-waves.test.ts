import { ApiObject, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ArgoCdApplication, ArgoCdCrdApply, ArgoCdSparkHealthChecks, ArgoCdSyncLayer, ArgoCdSyncWaves, ArgoCdSyncWavesProps, ScheduledSparkApplication,
  SparkApplication, SparkApplicationType, SparkOperator, SparkOperatorInstall, SparkSubmitJob, SparkTenant,
  TenantApiServerAccess,
} from '../../src';
import { synthValid } from '../harness/manifests';

/** The API server's address, which every isolated tenant must state. */
const API = TenantApiServerAccess.toCidrs(['192.168.10.10/32']);

const WAVE = 'argocd.argoproj.io/sync-wave';
const OPTIONS = 'argocd.argoproj.io/sync-options';
const PI = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

/** A platform: operator (with CRDs), a tenant, a job, a scheduled job, a plain service, Argo CD objects. */
function platform() {
  const app = Testing.app();
  const chart = new Chart(app, 'platform');
  const operator = new SparkOperatorInstall(chart, 'Operator');
  const tenant = new SparkTenant(chart, 'TeamA', { namespace: 'team-a', apiServer: API });
  const job = new SparkApplication(chart, 'Pi', { ...PI, namespace: 'team-a', name: 'pi' });
  new ScheduledSparkApplication(chart, 'Nightly', { ...PI, namespace: 'team-a', name: 'nightly', schedule: '0 3 * * *' });
  const service = new Construct(chart, 'History');
  new k8s.KubeConfigMap(service, 'Config', { metadata: { name: 'history', namespace: 'team-a' } });
  new ArgoCdSparkHealthChecks(chart, 'Health');
  return { app, chart, operator, tenant, job, service };
}

const key = (m: any) => `${m.kind}/${m.metadata.name}`;
function waves(manifests: any[]): { [wave: string]: string[] } {
  const out: { [wave: string]: string[] } = {};
  for (const m of manifests) {
    const wave = m.metadata.annotations?.[WAVE] ?? 'none';
    (out[wave] ??= []).push(key(m));
  }
  return out;
}

/** The default platform with default waves, synthesized once for the tests that only read it. */
let defaults: { chart: Chart; sync: ArgoCdSyncWaves; manifests: any[] } | undefined;
function defaultPlatform() {
  if (!defaults) {
    const { app, chart } = platform();
    const sync = ArgoCdSyncWaves.apply(app);
    defaults = { chart, sync, manifests: synthValid(chart) };
  }
  return defaults;
}

describe('ArgoCdSyncWaves', () => {
  test('defaults (snapshot of the annotations)', () => {
    const { manifests } = defaultPlatform();
    expect(manifests.map((m) => [key(m), m.metadata.annotations ?? {}])).toMatchSnapshot();
  });

  test('namespaces, CRDs, operator, tenants, services, jobs in order; Argo CD objects untouched', () => {
    const { sync, manifests } = defaultPlatform();
    const w = waves(manifests);
    expect(Object.keys(w).sort()).toEqual(['-10', '-20', '-30', '-40', '0', '10', 'none']);
    expect(w['-40']).toEqual(['Namespace/spark-operator', 'Namespace/team-a']);
    expect(w['-30']).toEqual([
      'CustomResourceDefinition/sparkapplications.sparkoperator.k8s.io',
      'CustomResourceDefinition/scheduledsparkapplications.sparkoperator.k8s.io',
      'CustomResourceDefinition/sparkconnects.sparkoperator.k8s.io',
    ]);
    // The operator, including its Roles in the tenant namespace.
    expect(w['-20']).toEqual(expect.arrayContaining([
      'Deployment/spark-operator-controller', 'Deployment/spark-operator-webhook',
      'MutatingWebhookConfiguration/spark-operator-webhook', 'Role/spark-operator-controller-jobs',
    ]));
    expect(w['-10']).toEqual([
      'LimitRange/tenant-limits', 'NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns', 'NetworkPolicy/allow-apiserver',
      'NetworkPolicy/allow-spark-pods', 'ServiceAccount/spark-driver', 'Role/spark-driver', 'RoleBinding/spark-driver',
    ]);
    expect(w['0']).toEqual(['ConfigMap/history']);
    expect(w['10']).toEqual(['SparkApplication/pi', 'ScheduledSparkApplication/nightly']);
    expect(w.none).toEqual(['ConfigMap/argocd-cm']);
    expect(sync.waveOf(ArgoCdSyncLayer.JOBS)).toBe(10);
  });

  test('CRDs apply server-side; Spark custom resources skip the dry run while their CRD is missing', () => {
    const { chart, manifests } = defaultPlatform();
    for (const crd of manifests.filter((m) => m.kind === 'CustomResourceDefinition')) {
      expect(crd.metadata.annotations[OPTIONS]).toBe('ServerSideApply=true');
    }
    for (const cr of manifests.filter((m) => m.apiVersion.startsWith('sparkoperator.k8s.io/'))) {
      expect(cr.metadata.annotations[OPTIONS]).toBe('SkipDryRunOnMissingResource=true');
    }
    // The 3 CRDs, the 2 Spark resources, and the partial argocd-cm (its own options, see ArgoCdSparkHealthChecks).
    expect(manifests.filter((m) => m.metadata.annotations?.[OPTIONS]).length).toBe(6);
    expect(manifests.find((m) => m.metadata.name === 'argocd-cm').metadata.annotations[OPTIONS])
      .toBe('ServerSideApply=true,Prune=false,Delete=false');
    // Synthesizing twice does not stack annotations.
    expect(Testing.synth(chart)).toEqual(manifests);
  });

  test('custom waves, Replace for CRDs, assignments, explicit annotations and options kept', () => {
    const { app, chart, service, job } = platform();
    const explicit = new ApiObject(chart, 'Explicit', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'explicit', namespace: 'team-a', annotations: { [WAVE]: '7', [OPTIONS]: 'Prune=false' } },
    });
    const sync = ArgoCdSyncWaves.apply(app, {
      namespaces: -5,
      crds: -4,
      sparkOperator: -3,
      tenants: -3,
      services: 1,
      jobs: 2,
      crdApply: ArgoCdCrdApply.REPLACE,
      skipDryRunOnMissingCrd: false,
    });
    sync.assign(service, ArgoCdSyncLayer.TENANTS);
    sync.assign(job, ArgoCdSyncLayer.SERVICES);
    const manifests = synthValid(chart);
    const w = waves(manifests);
    expect(w['-3']).toEqual(expect.arrayContaining(['ConfigMap/history', 'Deployment/spark-operator-controller', 'LimitRange/tenant-limits']));
    expect(w['1']).toEqual(['SparkApplication/pi']);
    expect(w['2']).toEqual(['ScheduledSparkApplication/nightly']);
    expect(w['7']).toEqual(['ConfigMap/explicit']);
    const crd = manifests.find((m) => m.kind === 'CustomResourceDefinition');
    expect(crd.metadata.annotations[OPTIONS]).toBe('Replace=true');
    expect(manifests.find((m) => m.kind === 'SparkApplication').metadata.annotations[OPTIONS]).toBeUndefined();
    expect(manifests.find((m) => m.metadata.name === 'explicit').metadata.annotations[OPTIONS]).toBe('Prune=false');
    expect(sync.layerOf(explicit)).toBe(ArgoCdSyncLayer.SERVICES);
  });

  test('client-side apply leaves CRD sync options out; options merge with existing ones', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const obj = new ApiObject(chart, 'Crd', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x.example.com' },
    });
    const app2 = Testing.app();
    const chart2 = new Chart(app2, 'c');
    const obj2 = new ApiObject(chart2, 'Crd', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x.example.com', annotations: { [OPTIONS]: 'Prune=false' } },
    });
    ArgoCdSyncWaves.apply(chart, { crdApply: ArgoCdCrdApply.CLIENT_SIDE_APPLY });
    ArgoCdSyncWaves.apply(chart2);
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual({ [WAVE]: '-30' });
    expect(Testing.synth(chart2)[0].metadata.annotations).toEqual({ [WAVE]: '-30', [OPTIONS]: 'Prune=false,ServerSideApply=true' });
    expect(obj.name).toBe(obj2.name);
  });

  test('an Application in the same app is not annotated', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'gitops');
    new ArgoCdApplication(chart, 'App', { repoUrl: 'https://git.example.com/x.git', path: 'dist' });
    ArgoCdSyncWaves.apply(app);
    expect(Testing.synth(chart)[0].metadata.annotations).toBeUndefined();
  });

  // One row per refusal: the waves given and the message.
  const refusals: Array<[string, ArgoCdSyncWavesProps, string]> = [
    ['jobs before services', { jobs: -25 }, 'invalid jobs -25: a wave no earlier than services (0)'],
    ['jobs in the operator\'s wave', { sparkOperator: 1, tenants: 1, services: 1, jobs: 1 }, 'invalid jobs 1: a wave later than sparkOperator (1)'],
    ['a fractional wave', { crds: 1.5 }, 'invalid crds 1.5: a 32-bit integer'],
    ['a wave beyond 32 bits', { namespaces: -(2 ** 31) - 1 }, 'invalid namespaces -2147483649: a 32-bit integer'],
    ['an unknown CRD apply mode', { crdApply: 'Apply' as ArgoCdCrdApply }, 'invalid crdApply "Apply": one of ServerSideApply=true, Replace=true, client-side'],
  ];
  test.each(refusals)('refuses %s', (_name, props, message) => {
    expect(() => ArgoCdSyncWaves.apply(new Chart(Testing.app(), 'c'), props)).toThrow(`c/ArgoCdSyncWaves: ${message}`);
  });

  test('refuses a second apply on one scope and an unknown layer', () => {
    const chart = new Chart(Testing.app(), 'd');
    const sync = ArgoCdSyncWaves.apply(chart);
    expect(() => ArgoCdSyncWaves.apply(chart)).toThrow('d: invalid ArgoCdSyncWaves "d": one ArgoCdSyncWaves.apply per scope');
    expect(() => sync.assign(chart, 'later' as ArgoCdSyncLayer)).toThrow('d/ArgoCdSyncWaves: invalid layer "later": one of namespaces');
  });

  test('the waves do not depend on whether ArgoCdSyncWaves is applied before or after the objects', () => {
    const after = platform();
    ArgoCdSyncWaves.apply(after.app);
    const before = Testing.app();
    ArgoCdSyncWaves.apply(before);
    const chart = new Chart(before, 'platform');
    new SparkOperatorInstall(chart, 'Operator');
    new SparkTenant(chart, 'TeamA', { namespace: 'team-a', apiServer: API });
    new SparkApplication(chart, 'Pi', { ...PI, namespace: 'team-a', name: 'pi' });
    new ScheduledSparkApplication(chart, 'Nightly', { ...PI, namespace: 'team-a', name: 'nightly', schedule: '0 3 * * *' });
    const service = new Construct(chart, 'History');
    new k8s.KubeConfigMap(service, 'Config', { metadata: { name: 'history', namespace: 'team-a' } });
    new ArgoCdSparkHealthChecks(chart, 'Health');
    expect(before.synthYaml()).toEqual(after.app.synthYaml());
  });

  test('an imported operator emits nothing to put in a wave; its jobs and their driver identity keep their waves', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'jobs');
    SparkOperator.fromExisting(chart, 'Operator', { jobNamespaces: ['team-a'] });
    new SparkApplication(chart, 'Pi', { ...PI, namespace: 'team-a', name: 'pi' });
    ArgoCdSyncWaves.apply(app);
    expect(waves(Testing.synth(chart))).toEqual({
      [-10]: ['ServiceAccount/spark-driver', 'Role/spark-driver', 'RoleBinding/spark-driver'],
      10: ['SparkApplication/pi'],
    });
  });
});

// Issue #15, breaker 7: Argo CD re-runs finished jobs. A job that deletes itself is Missing
// for Argo CD, which creates it again from Git at its next sync, within seconds under selfHeal
// (argoproj/argo-cd docs/user-guide/auto_sync.md, "Automatic Self-Healing").
describe('one-shot jobs under Argo CD', () => {
  function synced(add: (chart: Chart) => void, underArgoCd = true) {
    const app = Testing.app();
    const chart = new Chart(app, 'jobs');
    new SparkOperatorInstall(chart, 'Operator');
    add(chart);
    if (underArgoCd) {
      ArgoCdSyncWaves.apply(app);
    }
    return () => Testing.synth(chart);
  }

  test('a SparkApplication with timeToLive fails synthesis, naming the job, the value and the fix', () => {
    const synth = synced((chart) => new SparkApplication(chart, 'Daily', { ...PI, namespace: 'team-a', name: 'daily', timeToLive: Duration.days(1) }));
    expect(synth).toThrow('jobs/Daily/Resource: SparkApplication team-a/daily: invalid timeToLive 86400s under Argo CD: the Spark operator '
      + 'deletes the application 86400s after it ends, and Argo CD creates it again from Git at its next sync (within seconds under '
      + 'selfHeal), so the job runs again. Remove timeToLive');
  });

  // The check reads the job as cdk8s writes it: patches and annotations added after the job count.
  test('a timeToLive patched in fails synthesis; a hook annotation added later exempts the job', () => {
    expect(synced((chart) => {
      const job = new SparkApplication(chart, 'Daily', { ...PI, namespace: 'team-a', name: 'daily' });
      job.apiObject.addJsonPatch(JsonPatch.add('/spec/timeToLiveSeconds', 600));
    })).toThrow('jobs/Daily/Resource: SparkApplication team-a/daily: invalid timeToLive 600s under Argo CD');
    expect(synced((chart) => {
      const job = new SparkApplication(chart, 'Daily', { ...PI, namespace: 'team-a', name: 'daily', timeToLive: Duration.days(1) });
      job.apiObject.metadata.addAnnotation('argocd.argoproj.io/hook', 'PostSync');
    })).not.toThrow();
  });

  test('a SparkSubmitJob with ttlAfterFinished fails synthesis', () => {
    const synth = synced((chart) => new SparkSubmitJob(chart, 'Once', {
      ...PI, namespace: 'team-a', name: 'once', ttlAfterFinished: Duration.hours(1),
    }));
    expect(synth).toThrow('Job team-a/once: invalid ttlSecondsAfterFinished 3600 under Argo CD: the TTL controller deletes the finished Job');
  });

  test('allowed: jobs without a time to live, scheduled jobs, Argo CD hooks, and any job outside Argo CD', () => {
    expect(synced((chart) => {
      new SparkApplication(chart, 'Once', { ...PI, namespace: 'team-a', name: 'once' });
      new ScheduledSparkApplication(chart, 'Nightly', { ...PI, namespace: 'team-a', name: 'nightly', schedule: '0 3 * * *' });
      new k8s.KubeJob(chart, 'Hook', {
        metadata: { name: 'migrate', namespace: 'team-a', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
        spec: { ttlSecondsAfterFinished: 60, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'busybox:1.37.0' }] } } },
      });
    })).not.toThrow();
    expect(synced((chart) => new SparkApplication(chart, 'Daily', { ...PI, namespace: 'team-a', name: 'daily', timeToLive: Duration.days(1) }), false))
      .not.toThrow();
  });
});
