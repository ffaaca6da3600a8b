import { createHash } from 'crypto';
import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { podSecurityViolations } from '../../src/core/cluster-model/pod-security';
import { NodeSystemPodOptions, PodBuilder } from '../../src/core/pod-builder';

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

  test('keepImageGroup: no runAsGroup where none is given, so the image\'s group for the user applies', () => {
    const pod = new PodBuilder('Test', { runAsUser: 1000, keepImageGroup: true });
    pod.addInitContainer({ name: 'init', image: 'img', security: { runAsGroup: 1000 } });
    pod.addContainer({ name: 'main', image: 'img', security: { readOnlyRootFilesystem: false } });
    const spec = pod.renderSpec();
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.initContainers![0].securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, readOnlyRootFilesystem: true });
    expect(spec.containers[0].securityContext).not.toHaveProperty('runAsGroup');
    expect(spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, readOnlyRootFilesystem: false });
    // Still restricted: the group is not part of the standard.
    expect(podSecurityViolations(spec, 'restricted')).toEqual([]);
  });

  test('keepImageGroup with a group given: that group everywhere, as without the option', () => {
    const build = (keepImageGroup: boolean) => {
      const pod = new PodBuilder('Test', { runAsUser: 1000, runAsGroup: 2000, keepImageGroup });
      pod.addContainer({ name: 'main', image: 'img' });
      return pod.renderSpec();
    };
    expect(build(true)).toEqual(build(false));
    expect(build(true).securityContext).toMatchObject({ runAsGroup: 2000, fsGroup: 2000 });
    expect(build(true).containers[0].securityContext).toMatchObject({ runAsGroup: 2000 });
  });

  test('scheduling options of a restricted pod: priority class, affinity, tolerations; still restricted', () => {
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'Exists' }] }] } } };
    const tolerations = [{ key: 't', operator: 'Exists', effect: 'NoSchedule' }];
    const pod = new PodBuilder('Test', { runAsUser: 185, priorityClassName: 'high', affinity, tolerations });
    pod.addContainer({ name: 'main', image: 'img' });
    const spec = pod.renderSpec();
    expect(spec).toMatchObject({ priorityClassName: 'high', affinity, tolerations });
    expect(podSecurityViolations(spec, 'restricted')).toEqual([]);
  });

  describe('a node system pod', () => {
    const daemon: NodeSystemPodOptions = {
      priorityClassName: 'system-node-critical',
      serviceAccountName: 'daemon',
      hostNetwork: true,
      tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
      hostPaths: ['/run/daemon', '/etc/cni/net.d'],
      capabilities: ['NET_ADMIN'],
      pullSecrets: ['a', 'a'],
    };
    const noEscalation = { privileged: false, allowPrivilegeEscalation: false };

    test('emits exactly what was asked: no token, service-link or seccomp setting of its own', () => {
      const pod = PodBuilder.nodeSystemPod('Test', daemon);
      pod.addInitContainer({ name: 'copy', image: 'img', nodeSystemSecurity: { ...noEscalation, capabilities: { drop: ['ALL'] } } });
      pod.addContainer({ name: 'main', image: 'img', nodeSystemSecurity: { ...noEscalation, capabilities: { add: ['NET_ADMIN'] } } });
      pod.addVolume({ name: 'run', hostPath: { path: '/run/daemon' } });
      pod.addVolume({ name: 'cfg', configMap: { name: 'cfg' } });
      pod.addVolumeMount('main', { name: 'run', mountPath: '/run/daemon' });
      expect(pod.renderSpec()).toEqual({
        priorityClassName: 'system-node-critical',
        serviceAccountName: 'daemon',
        hostNetwork: true,
        tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
        imagePullSecrets: [{ name: 'a' }],
        initContainers: [{ name: 'copy', image: 'img', securityContext: { ...noEscalation, capabilities: { drop: ['ALL'] } } }],
        containers: [{
          name: 'main',
          image: 'img',
          securityContext: { ...noEscalation, capabilities: { add: ['NET_ADMIN'] } },
          volumeMounts: [{ name: 'run', mountPath: '/run/daemon' }],
        }],
        volumes: [{ name: 'run', hostPath: { path: '/run/daemon' } }, { name: 'cfg', configMap: { name: 'cfg' } }],
      });
    });

    test('is what Pod Security admits only as privileged (the restricted pods are not)', () => {
      const pod = PodBuilder.nodeSystemPod('Test', daemon);
      pod.addContainer({ name: 'main', image: 'img', nodeSystemSecurity: { ...noEscalation, capabilities: { add: ['NET_ADMIN'] } } });
      pod.addVolume({ name: 'run', hostPath: { path: '/run/daemon' } });
      expect(podSecurityViolations(pod.renderSpec(), 'baseline')).toEqual([
        'hostNetwork: true (Host Namespaces)',
        'volume run is a hostPath (HostPath Volumes)',
        'container main adds capability NET_ADMIN (Capabilities)',
      ]);
    });

    test('the token, service links and RuntimeDefault seccomp when asked', () => {
      const pod = PodBuilder.nodeSystemPod('Test', { automountServiceAccountToken: false, enableServiceLinks: false, runtimeDefaultSeccomp: true });
      pod.addContainer({ name: 'helper', image: 'img', nodeSystemSecurity: { ...noEscalation, readOnlyRootFilesystem: true } });
      expect(pod.renderSpec()).toEqual({
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'helper', image: 'img', securityContext: { ...noEscalation, readOnlyRootFilesystem: true } }],
      });
    });

    test('a later change of the given options or contexts does not reach the rendered pod', () => {
      const options = { hostPaths: ['/run/daemon'], capabilities: ['NET_ADMIN'] };
      const context = { ...noEscalation, capabilities: { add: ['NET_ADMIN'] } };
      const pod = PodBuilder.nodeSystemPod('Test', options);
      pod.addContainer({ name: 'main', image: 'img', nodeSystemSecurity: context });
      const before = JSON.stringify(pod.renderSpec());
      context.capabilities.add.push('SYS_ADMIN');
      options.hostPaths.push('/');
      expect(JSON.stringify(pod.renderSpec())).toBe(before);
      expect(() => pod.addVolume({ name: 'root', hostPath: { path: '/' } })).toThrow('one of the node system pod\'s hostPaths (/run/daemon)');
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
    ['a node system context in a restricted pod',
      (pod) => pod.addContainer({ name: 'a', image: 'i', nodeSystemSecurity: { allowPrivilegeEscalation: false } }),
      'test: invalid nodeSystemSecurity "a": a security context of its own only in a node system pod (PodBuilder.nodeSystemPod)'],
    ['a hostPath volume in a restricted pod', (pod) => pod.addVolume({ name: 'h', hostPath: { path: '/var/log' } }),
      'test: invalid volumes "h (hostPath /var/log)": no hostPath volume in a restricted pod'],
    ['a hostPath volume bound into a restricted pod', (pod) => {
      pod.addContainer({ name: 'a', image: 'i' });
      pod.bind('a', { volumes: [{ name: 'h', hostPath: { path: '/' } }] });
    }, 'test: invalid volumes "h (hostPath /)": no hostPath volume in a restricted pod'],
  ])('refuses %s', (_name, act, message) => {
    const pod = new PodBuilder(chart(), { runAsUser: 185 });
    expect(() => act(pod)).toThrow(message);
  });

  const granted: NodeSystemPodOptions = { hostPaths: ['/run/daemon'], capabilities: ['NET_ADMIN'] };
  const safe = { privileged: false, allowPrivilegeEscalation: false };
  test.each<[string, (pod: PodBuilder) => void, string]>([
    ['a container without a stated context', (pod) => pod.addContainer({ name: 'a', image: 'i' }),
      'test: invalid nodeSystemSecurity "a": a security context stated for every container of a node system pod'],
    ['restricted options on its container', (pod) => pod.addContainer({ name: 'a', image: 'i', nodeSystemSecurity: safe, security: { readOnlyRootFilesystem: false } }),
      'test: invalid security "a": restricted options only in a restricted pod'],
    ['a privileged container', (pod) => pod.addContainer({ name: 'a', image: 'i', nodeSystemSecurity: { ...safe, privileged: true } }),
      'test: invalid nodeSystemSecurity.privileged "a": no privileged container'],
    ['privilege escalation left unstated', (pod) => pod.addInitContainer({ name: 'a', image: 'i', nodeSystemSecurity: { privileged: false } }),
      'test: invalid nodeSystemSecurity.allowPrivilegeEscalation "a": allowPrivilegeEscalation: false, stated'],
    ['privilege escalation', (pod) => pod.addContainer({ name: 'a', image: 'i', nodeSystemSecurity: { allowPrivilegeEscalation: true } }),
      'test: invalid nodeSystemSecurity.allowPrivilegeEscalation "a": allowPrivilegeEscalation: false, stated'],
    ['a capability not granted', (pod) => pod.addContainer({ name: 'a', image: 'i', nodeSystemSecurity: { ...safe, capabilities: { add: ['NET_ADMIN', 'SYS_PTRACE'] } } }),
      'test: invalid nodeSystemSecurity.capabilities.add "a: SYS_PTRACE": one of the node system pod\'s capabilities (NET_ADMIN)'],
    ['an Unconfined seccomp profile', (pod) => pod.addContainer({ name: 'a', image: 'i', nodeSystemSecurity: { ...safe, seccompProfile: { type: 'Unconfined' } } }),
      'test: invalid nodeSystemSecurity.seccompProfile "a": RuntimeDefault, Localhost or none; not Unconfined'],
    ['an unmasked /proc', (pod) => pod.addContainer({ name: 'a', image: 'i', nodeSystemSecurity: { ...safe, procMount: 'Unmasked' } }),
      'test: invalid nodeSystemSecurity.procMount "a": the Default /proc mount'],
    ['a hostPath not granted', (pod) => pod.addVolume({ name: 'h', hostPath: { path: '/var/lib' } }),
      'test: invalid volumes "h (hostPath /var/lib)": one of the node system pod\'s hostPaths (/run/daemon)'],
    ['a hostPath not granted, bound', (pod) => {
      pod.addContainer({ name: 'a', image: 'i', nodeSystemSecurity: safe });
      pod.bind('a', { volumes: [{ name: 'h', hostPath: { path: '/run' } }] });
    }, 'test: invalid volumes "h (hostPath /run)": one of the node system pod\'s hostPaths (/run/daemon)'],
  ])('refuses in a node system pod %s', (_name, act, message) => {
    const pod = PodBuilder.nodeSystemPod(chart(), granted);
    expect(() => act(pod)).toThrow(message);
  });

  test.each<[string, NodeSystemPodOptions, string]>([
    ['a relative host path', { hostPaths: ['run/daemon'] }, 'test: invalid hostPaths "run/daemon": absolute node paths without ".." segments'],
    ['a host path with ..', { hostPaths: ['/run/../etc'] }, 'test: invalid hostPaths "/run/../etc": absolute node paths without ".." segments'],
    ['a capability named the kernel\'s way', { capabilities: ['CAP_NET_ADMIN'] },
      'test: invalid capabilities "CAP_NET_ADMIN": capability names as Kubernetes writes them (NET_ADMIN, not CAP_NET_ADMIN)'],
    ['a lowercase capability', { capabilities: ['net_admin'] }, 'test: invalid capabilities "net_admin": capability names as Kubernetes writes them'],
    ['SYS_ADMIN', { capabilities: ['SYS_ADMIN'] }, 'test: invalid capabilities "SYS_ADMIN": named capabilities short of privileged (not ALL or SYS_ADMIN)'],
    ['ALL capabilities', { capabilities: ['ALL'] }, 'test: invalid capabilities "ALL": named capabilities short of privileged (not ALL or SYS_ADMIN)'],
  ])('refuses a node system pod granted %s', (_name, options, message) => {
    expect(() => PodBuilder.nodeSystemPod(chart(), options)).toThrow(message);
  });
});
