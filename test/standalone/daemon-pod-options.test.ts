// Issue #19, Bitnami `master.extraVolumeClaimTemplates` and
// `worker.extraVolumeClaimTemplates`: claims each pod of the master's or the
// workers' StatefulSet gets its own of, mounted by name into the daemon's
// container, beside the construct's own (recovery, work directory); and
// `master.lifecycleHooks`/`worker.lifecycleHooks`: exec hooks of the daemon's container;
// `master.updateStrategy`/`worker.updateStrategy`: the StatefulSets' update strategy.
import { App, Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode, PersistentVolumeClaim, Secret, StatefulSetUpdateStrategy, Volume } from 'cdk8s-plus-28';
import {
  ClusterStorage, SparkStandaloneCluster, SparkStandaloneClusterProps, StandaloneAuthentication, StandaloneVolumeClaimTemplate, StorageClassRef,
  WorkerStorage,
} from '../../src';
import { podSecurityViolations } from '../../src/core/cluster-model/pod-security';
import { synthValid } from '../harness/manifests';

function synth(props: Partial<SparkStandaloneClusterProps>): any[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'analytics' });
  // The classes the claims name (the app checks that a claim's class exists).
  ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
  ClusterStorage.declare(chart, StorageClassRef.existing('fast'));
  new SparkStandaloneCluster(chart, 'Cluster', {
    authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }),
    ...props,
  });
  return synthValid(chart);
}
const statefulSet = (manifests: any[], role: string) =>
  manifests.find((m) => m.kind === 'StatefulSet' && m.metadata.name.endsWith(role));

const CACHE: StandaloneVolumeClaimTemplate = { name: 'ivy-cache', size: Size.gibibytes(10), mountPath: '/opt/spark/.ivy2' };

describe('volume claim templates of the standalone master and workers', () => {
  test('each pod gets its claim, mounted by name; the construct\'s own claims stay first', () => {
    const manifests = synth({
      master: { recovery: {}, volumeClaimTemplates: [{ name: 'history', size: Size.mebibytes(512), mountPath: '/data/history', storageClassName: 'fast' }] },
      workers: {
        workDir: WorkerStorage.persistentVolume({ size: Size.gibibytes(50) }),
        volumeClaimTemplates: [CACHE, {
          name: 'shared',
          size: Size.gibibytes(1),
          mountPath: '/shared',
          readOnly: true,
          accessModes: [PersistentVolumeAccessMode.READ_ONLY_MANY, PersistentVolumeAccessMode.READ_ONLY_MANY],
        }],
      },
    });
    const master = statefulSet(manifests, 'master');
    expect(master.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['recovery', 'history']);
    expect(master.spec.volumeClaimTemplates[1].spec).toEqual({
      accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '512Mi' } },
    });
    expect(master.spec.volumeClaimTemplates[1].metadata.labels).toEqual(master.spec.volumeClaimTemplates[0].metadata.labels);
    expect(master.spec.template.spec.containers[0].volumeMounts).toEqual(expect.arrayContaining([{ name: 'history', mountPath: '/data/history' }]));

    const workers = statefulSet(manifests, 'worker');
    expect(workers.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.accessModes, t.spec.resources.requests.storage])).toEqual([
      ['work', ['ReadWriteOnce'], '50Gi'],
      ['ivy-cache', ['ReadWriteOnce'], '10Gi'],
      ['shared', ['ReadOnlyMany'], '1Gi'],
    ]);
    const mounts = workers.spec.template.spec.containers[0].volumeMounts;
    expect(mounts).toEqual(expect.arrayContaining([
      { name: 'ivy-cache', mountPath: '/opt/spark/.ivy2' },
      { name: 'shared', mountPath: '/shared', readOnly: true },
    ]));
    // Claim volumes come from the templates, not from the pod's volumes.
    expect(workers.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('ivy-cache');
    // One retention policy per StatefulSet: with the user's claims, the default (kept).
    expect(workers.spec.persistentVolumeClaimRetentionPolicy).toBeUndefined();
    expect(podSecurityViolations(workers.spec.template.spec, 'restricted')).toEqual([]);
  });

  test('without the user\'s claims, the persistent work directory\'s are still deleted with their worker', () => {
    const workers = statefulSet(synth({ workers: { workDir: WorkerStorage.persistentVolume({ size: Size.gibibytes(50) }) } }), 'worker');
    expect(workers.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Delete' });
  });

  test.each<[string, (chart: Chart) => Partial<SparkStandaloneClusterProps>, string]>([
    ['a name that is not a DNS label', () => ({ workers: { volumeClaimTemplates: [{ ...CACHE, name: 'Ivy_Cache' }] } }),
      'invalid workers.volumeClaimTemplates[0].name "Ivy_Cache"'],
    ['a name twice', () => ({ workers: { volumeClaimTemplates: [CACHE, { ...CACHE, mountPath: '/other' }] } }),
      'invalid workers.volumeClaimTemplates[1].name "ivy-cache": distinct template names'],
    ['the name of the construct\'s own claim', () => ({ master: { recovery: {}, volumeClaimTemplates: [{ ...CACHE, name: 'recovery' }] } }),
      'invalid master.volumeClaimTemplates[0].name "recovery": a name the construct\'s own claim templates do not use (recovery)'],
    ['the name of a pod volume', () => ({ workers: { volumeClaimTemplates: [{ ...CACHE, name: 'tmp' }] } }),
      'invalid workers.volumeClaimTemplates[0].name "tmp": a name no volume of the pod has'],
    ['the name of a volume of the user\'s pod options', (c) => ({
      workers: {
        pod: { volumeMounts: [{ volume: Volume.fromPersistentVolumeClaim(c, 'D', PersistentVolumeClaim.fromClaimName(c, 'C', 'data'), { name: 'data' }), path: '/data' }] },
        volumeClaimTemplates: [{ ...CACHE, name: 'data' }],
      },
    }), 'invalid workers.volumeClaimTemplates[0].name "data": a name no volume of the pod has'],
    ['a path the construct mounts at', () => ({ workers: { volumeClaimTemplates: [{ ...CACHE, mountPath: '/tmp' }] } }),
      'invalid workers.volumeClaimTemplates[0].mountPath "/tmp": a path nothing else is mounted at in container worker'],
    ['a relative path', () => ({ workers: { volumeClaimTemplates: [{ ...CACHE, mountPath: 'cache' }] } }),
      'invalid workers.volumeClaimTemplates[0].mountPath "cache": an absolute path'],
    ['a size below a mebibyte', () => ({ workers: { volumeClaimTemplates: [{ ...CACHE, size: Size.kibibytes(512) }] } }),
      'invalid workers.volumeClaimTemplates[0].size'],
    ['a bad StorageClass name', () => ({ workers: { volumeClaimTemplates: [{ ...CACHE, storageClassName: 'Fast SSD' }] } }),
      'invalid workers.volumeClaimTemplates[0].storageClassName "Fast SSD"'],
    ['an unknown access mode', () => ({ workers: { volumeClaimTemplates: [{ ...CACHE, accessModes: ['ReadWriteAll' as PersistentVolumeAccessMode] }] } }),
      'invalid workers.volumeClaimTemplates[0].accessModes[0] "ReadWriteAll": one of ReadWriteOnce'],
    ['no access mode', () => ({ workers: { volumeClaimTemplates: [{ ...CACHE, accessModes: [] }] } }),
      'invalid workers.volumeClaimTemplates[0].accessModes []: at least one access mode'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => {
      const chart = new Chart(Testing.app(), 'test', { namespace: 'analytics' });
      new SparkStandaloneCluster(chart, 'Cluster', {
        authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }),
        ...props(chart),
      });
      Testing.synth(chart);
    }).toThrow(message);
  });
});

describe('lifecycle hooks of the standalone master and workers', () => {
  test('exec hooks on the daemon\'s container; none by default', () => {
    const manifests = synth({
      master: { lifecycleHooks: { postStart: ['/bin/sh', '-c', 'echo started > /tmp/started'] } },
      workers: { lifecycleHooks: { preStop: ['/bin/sh', '-c', 'sleep 30'] } },
    });
    expect(statefulSet(manifests, 'master').spec.template.spec.containers[0].lifecycle)
      .toEqual({ postStart: { exec: { command: ['/bin/sh', '-c', 'echo started > /tmp/started'] } } });
    expect(statefulSet(manifests, 'worker').spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 30'] } } });
    expect(statefulSet(synth({}), 'worker').spec.template.spec.containers[0].lifecycle).toBeUndefined();
  });

  test.each<[string, any, string]>([
    ['an empty command', { preStop: [] }, 'invalid workers.lifecycleHooks.preStop []: a command and its arguments'],
    ['a command that is a string', { postStart: 'sleep 30' }, 'invalid workers.lifecycleHooks.postStart "sleep 30": a command and its arguments'],
    ['no hook', {}, 'invalid workers.lifecycleHooks {}: postStart, preStop or both'],
  ])('refuses %s', (_name, hooks, message) => {
    expect(() => synth({ workers: { lifecycleHooks: hooks } })).toThrow(message);
  });

  test('a hook or claim changed after the cluster was made fails synthesis', () => {
    const app = new App();
    const chart = new Chart(app, 'test', { namespace: 'analytics' });
    ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
    const preStop = ['/bin/sh', '-c', 'sleep 30'];
    const claims = [CACHE];
    new SparkStandaloneCluster(chart, 'Cluster', {
      authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }),
      workers: { lifecycleHooks: { preStop }, volumeClaimTemplates: claims },
    });
    preStop.push('extra');
    expect(() => app.synth()).toThrow('workers.lifecycleHooks changed after');
    claims.push({ ...CACHE, name: 'other' });
    preStop.pop();
    expect(() => app.synth()).toThrow('workers.volumeClaimTemplates changed after');
  });
});

describe('update strategy of the standalone master and workers', () => {
  test('as given; none rendered by default (the StatefulSet default, RollingUpdate)', () => {
    const manifests = synth({
      master: { updateStrategy: StatefulSetUpdateStrategy.onDelete() },
      workers: { replicas: 4, updateStrategy: StatefulSetUpdateStrategy.rollingUpdate({ partition: 2 }) },
    });
    expect(statefulSet(manifests, 'master').spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(statefulSet(manifests, 'worker').spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 2 } });
    expect(statefulSet(synth({}), 'worker').spec.updateStrategy).toBeUndefined();
  });

  test.each<[string, any, string]>([
    ['a plain object', { type: 'OnDelete' }, 'invalid workers.updateStrategy "object": a StatefulSetUpdateStrategy'],
    ['a negative partition', StatefulSetUpdateStrategy.rollingUpdate({ partition: -1 }), 'invalid workers.updateStrategy partition -1: a whole number, at least 0'],
    ['a fractional partition', StatefulSetUpdateStrategy.rollingUpdate({ partition: 1.5 }), 'invalid workers.updateStrategy partition 1.5'],
  ])('refuses %s', (_name, strategy, message) => {
    expect(() => synth({ workers: { updateStrategy: strategy } })).toThrow(message);
  });
});
