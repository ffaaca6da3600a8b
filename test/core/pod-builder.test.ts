import { createHash } from 'crypto';
import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { PodBuilder } from '../../src/core/pod-builder';

const chart = () => new Chart(Testing.app(), 'test');

describe('PodBuilder', () => {
  test('restricted pod and container contexts, no token, no service links, by default', () => {
    const pod = new PodBuilder('Test', { runAsUser: 185 });
    pod.addContainer({ name: 'main', image: 'img:1' });
    expect(pod.renderSpec()).toEqual({
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185, seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [{
        name: 'main',
        image: 'img:1',
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 185,
          runAsGroup: 185,
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      }],
    });
  });

  test('pull secrets once each, service account, grace period, fsGroupChangePolicy', () => {
    const pod = new PodBuilder('Test', {
      runAsUser: 1000,
      runAsGroup: 2000,
      fsGroup: 3000,
      fsGroupChangePolicy: 'OnRootMismatch',
      pullSecrets: ['a', 'b', 'a'],
      serviceAccountName: 'sa',
      automountServiceAccountToken: true,
      terminationGracePeriodSeconds: 60,
    });
    pod.addContainer({ name: 'main', image: 'img' });
    const spec = pod.renderSpec();
    expect(spec.imagePullSecrets).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(spec.serviceAccountName).toBe('sa');
    expect(spec.automountServiceAccountToken).toBe(true);
    expect(spec.terminationGracePeriodSeconds).toBe(60);
    expect(spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 2000, fsGroup: 3000, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(spec.containers[0].securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 2000 });
  });

  test('scratch dirs: one emptyDir per name, mounted in each container asked for', () => {
    const pod = new PodBuilder('Test', { runAsUser: 185 });
    pod.addInitContainer({ name: 'init', image: 'img' });
    pod.addContainer({ name: 'main', image: 'img' });
    pod.addScratch('tmp', '/tmp', ['init', 'main'], { sizeLimit: k8s.Quantity.fromString('1Gi') });
    pod.addScratch('tmp', '/tmp', []);
    const spec = pod.renderSpec();
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } }]);
    expect(spec.initContainers![0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  test('bind: an add-on\'s volumes once, its mounts and env in the container', () => {
    const pod = new PodBuilder('Test', { runAsUser: 185 });
    pod.addContainer({ name: 'a', image: 'img', env: [{ name: 'FIRST', value: '1' }] });
    pod.addContainer({ name: 'b', image: 'img' });
    const binding = {
      volumes: [{ name: 'store', persistentVolumeClaim: { claimName: 'logs' } }],
      volumeMounts: [{ name: 'store', mountPath: '/logs' }],
      env: [{ name: 'KEY', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
    };
    pod.bind('a', binding);
    pod.bind('b', binding);
    const spec = pod.renderSpec();
    expect(spec.volumes).toEqual(binding.volumes);
    expect(spec.containers.map((c) => c.env?.map((e) => e.name))).toEqual([['FIRST', 'KEY'], ['KEY']]);
    expect(spec.containers.map((c) => c.volumeMounts)).toEqual([binding.volumeMounts, binding.volumeMounts]);
  });

  test('checksums and annotations; spread over nodes', () => {
    const pod = new PodBuilder('Test', { runAsUser: 185 });
    pod.addContainer({ name: 'main', image: 'img' });
    expect(pod.renderAnnotations()).toBeUndefined();
    pod.addChecksum('checksum/config', 'a=1');
    pod.addAnnotation('x', 'y');
    pod.spreadAcrossNodes({ app: 'x' });
    const template = pod.renderTemplate({ app: 'x' });
    expect(template.metadata).toEqual({
      labels: { app: 'x' },
      annotations: { 'checksum/config': createHash('sha256').update('a=1').digest('hex'), 'x': 'y' },
    });
    expect(template.spec!.topologySpreadConstraints).toEqual([{
      maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'x' } },
    }]);
  });

  test('a changed checksum input changes the annotation', () => {
    const hash = (content: string) => {
      const pod = new PodBuilder('Test', { runAsUser: 185 });
      pod.addChecksum('c', content);
      return pod.renderAnnotations()!.c;
    };
    expect(hash('a=1')).toBe(hash('a=1'));
    expect(hash('a=1')).not.toBe(hash('a=2'));
  });

  test('container overrides of the restricted context (a writable root, NET_BIND_SERVICE)', () => {
    const pod = new PodBuilder('Test', { runAsUser: 185 });
    pod.addContainer({ name: 'main', image: 'img', security: { readOnlyRootFilesystem: false, addCapabilities: ['NET_BIND_SERVICE'] } });
    expect(pod.renderSpec().containers[0].securityContext).toMatchObject({
      readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
    });
  });

  test.each<[string, (pod: PodBuilder) => void, string]>([
    ['two containers of one name', (pod) => { pod.addContainer({ name: 'a', image: 'i' }); pod.addInitContainer({ name: 'a', image: 'i' }); },
      'test: invalid containers "a": distinct container names in one pod'],
    ['two volumes of one name', (pod) => { pod.addVolume({ name: 'v', emptyDir: {} }); pod.addVolume({ name: 'v', emptyDir: {} }); },
      'test: invalid volumes "v": distinct volume names in one pod'],
    ['a mount into a container that does not exist', (pod) => pod.addVolumeMount('nope', { name: 'v', mountPath: '/v' }),
      'PodBuilder: no container named nope'],
    ['a root user', () => new PodBuilder(chart(), { runAsUser: 0 }).renderSpec(),
      'SecurityDefaults: invalid runAsUser 0'],
  ])('refuses %s', (_name, act, message) => {
    const pod = new PodBuilder(chart(), { runAsUser: 185 });
    expect(() => act(pod)).toThrow(message);
  });
});
