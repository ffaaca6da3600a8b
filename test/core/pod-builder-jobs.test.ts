import { k8s } from 'cdk8s-plus-28';
import { PodBuilder } from '../../src/core/pod-builder';
import { SecurityDefaults } from '../../src/core/security';

// The PodBuilder options a Job's pod needs (the spark-submit pod): a restart
// policy, the user's own security contexts, scheduling, envFrom. Kept apart
// from pod-builder.test.ts, which covers what every workload uses.

describe('PodBuilder options for the pods of Jobs', () => {
  test('none of them renders anything unless given', () => {
    const pod = new PodBuilder('Test', { runAsUser: 185 });
    pod.addContainer({ name: 'main', image: 'img' });
    const spec = pod.renderSpec();
    for (const field of ['restartPolicy', 'nodeSelector', 'tolerations', 'affinity', 'priorityClassName']) {
      expect(spec).not.toHaveProperty(field);
    }
    expect(spec.containers[0]).not.toHaveProperty('envFrom');
    expect(spec.securityContext).toEqual(SecurityDefaults.restrictedPod({ runAsUser: 185 }));
    expect(spec.containers[0].securityContext).toEqual(SecurityDefaults.restrictedContainer({ runAsUser: 185 }));
  });

  test('restartPolicy: a Job\'s pod is not restarted in place', () => {
    const pod = new PodBuilder('Test', { runAsUser: 185, restartPolicy: 'Never' });
    pod.addContainer({ name: 'main', image: 'img' });
    expect(pod.renderSpec().restartPolicy).toBe('Never');
  });

  test('the user\'s pod and container security contexts are used exactly as given, instead of the restricted ones', () => {
    const userPod: k8s.PodSecurityContext = { runAsUser: 2000, runAsNonRoot: true, fsGroup: 3000 };
    const userContainer: k8s.SecurityContext = { readOnlyRootFilesystem: false, runAsNonRoot: true };
    const pod = new PodBuilder('Test', { runAsUser: 185, fsGroupChangePolicy: 'OnRootMismatch', userPodSecurityContext: userPod });
    // The user's context wins over the construct's own `security` options too: it is the whole context.
    pod.addContainer({ name: 'main', image: 'img', security: { addCapabilities: ['NET_BIND_SERVICE'] }, userSecurityContext: userContainer });
    pod.addContainer({ name: 'other', image: 'img' });
    const spec = pod.renderSpec();
    expect(spec.securityContext).toEqual(userPod);
    expect(spec.containers[0].securityContext).toEqual(userContainer);
    // Another container without one keeps the restricted context.
    expect(spec.containers[1].securityContext).toEqual(SecurityDefaults.restrictedContainer({ runAsUser: 185 }));
  });

  test('scheduling: node selector, tolerations, affinity and priority class, each when given, copied', () => {
    const nodeSelector = { pool: 'spark' };
    const tolerations: k8s.Toleration[] = [{ key: 'spark', operator: 'Exists', effect: 'NoSchedule' }];
    const affinity: k8s.Affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] }] } },
    };
    const pod = new PodBuilder('Test', { runAsUser: 185, nodeSelector, tolerations, affinity, priorityClassName: 'batch' });
    pod.addContainer({ name: 'main', image: 'img' });
    const spec = pod.renderSpec();
    expect(spec).toMatchObject({ nodeSelector, tolerations, affinity, priorityClassName: 'batch' });
    expect(spec.nodeSelector).not.toBe(nodeSelector);
    const partial = new PodBuilder('Test', { runAsUser: 185, tolerations });
    partial.addContainer({ name: 'main', image: 'img' });
    expect(Object.keys(partial.renderSpec()).filter((k) => ['nodeSelector', 'tolerations', 'affinity', 'priorityClassName'].includes(k)))
      .toEqual(['tolerations']);
  });

  test('envFrom: rendered when given, in order, beside env', () => {
    const pod = new PodBuilder('Test', { runAsUser: 185 });
    pod.addContainer({
      name: 'main',
      image: 'img',
      env: [{ name: 'A', value: '1' }],
      envFrom: [{ configMapRef: { name: 'cm' } }, { secretRef: { name: 's' } }],
    });
    expect(pod.renderSpec().containers[0]).toMatchObject({
      env: [{ name: 'A', value: '1' }],
      envFrom: [{ configMapRef: { name: 'cm' } }, { secretRef: { name: 's' } }],
    });
  });
});
