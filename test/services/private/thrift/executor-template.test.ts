import { EXECUTOR_CONTAINER_NAME, executorPodTemplate, ExecutorTemplateOptions } from '../../../../src/services/private/thrift/executor-template';
import { validateManifests } from '../../../harness/manifests';

const BASE: ExecutorTemplateOptions = { labels: { 'app.kubernetes.io/name': 'thrift', 'spark-role': 'executor' }, uid: 185 };
const spec = (o: Partial<ExecutorTemplateOptions> = {}) => executorPodTemplate({ ...BASE, ...o }).spec;

describe('services/private/thrift/executor-template', () => {
  // Spark picks the container to fill by spark.kubernetes.executor.podTemplateContainerName;
  // its own default name is "spark-kubernetes-executor" (apache/spark resource-managers/kubernetes
  // .../Constants.scala DEFAULT_EXECUTOR_CONTAINER_NAME).
  test('one container, under Spark\'s executor container name, with nothing Spark sets itself', () => {
    const s = spec();
    expect(EXECUTOR_CONTAINER_NAME).toBe('spark-kubernetes-executor');
    expect(s.containers).toHaveLength(1);
    expect(s.containers[0].name).toBe(EXECUTOR_CONTAINER_NAME);
    for (const key of ['image', 'command', 'args', 'resources', 'ports']) {
      expect(s.containers[0]).not.toHaveProperty(key);
    }
  });

  test('a schema-valid Pod (once Spark names it)', () => {
    const template = executorPodTemplate({
      ...BASE,
      env: [{ name: 'TZ', value: 'UTC' }],
      nodeSelector: { pool: 'spark' },
      tolerations: [{ key: 'spark', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(validateManifests([{ ...template, metadata: { ...template.metadata, name: 'executor' } }])).toEqual([]);
  });

  // The restricted Pod Security Standard (kubernetes.io/docs/concepts/security/pod-security-standards):
  // non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp, no host volumes.
  test('restricted security contexts as the given uid, read-only root filesystem, no API token', () => {
    const s = spec({ uid: 1000 });
    expect(s.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(s.containers[0].securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(s.containers[0].securityContext.capabilities).not.toHaveProperty('add');
    // Executors never call the API server.
    expect(s.automountServiceAccountToken).toBe(false);
    expect(s.enableServiceLinks).toBe(false);
  });

  // The apache/spark image works in /opt/spark/work-dir (apache/spark-docker Dockerfile: WORKDIR
  // /opt/spark/work-dir); Spark and the JVM write temporary files to /tmp.
  test('writable emptyDirs where an executor writes: /tmp and the image\'s work dir', () => {
    const s = spec();
    expect(s.volumes).toEqual([{ name: 'tmp', emptyDir: {} }, { name: 'work-dir', emptyDir: {} }]);
    expect(s.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'work-dir', mountPath: '/opt/spark/work-dir' }]);
    expect(s.volumes.every((v: any) => Object.keys(v).sort().join() === 'emptyDir,name')).toBe(true);
  });

  test.each<[string, Partial<ExecutorTemplateOptions>, (s: any) => void]>([
    ['no placement and no env: the fields are absent', {}, (s) => {
      expect(s).not.toHaveProperty('nodeSelector');
      expect(s).not.toHaveProperty('tolerations');
      expect(s.containers[0]).not.toHaveProperty('env');
    }],
    ['empty placement and env: the fields are absent', { nodeSelector: {}, tolerations: [], env: [] }, (s) => {
      expect(s).not.toHaveProperty('nodeSelector');
      expect(s).not.toHaveProperty('tolerations');
      expect(s.containers[0]).not.toHaveProperty('env');
    }],
    ['a node selector', { nodeSelector: { pool: 'spark' } }, (s) => expect(s.nodeSelector).toEqual({ pool: 'spark' })],
    ['tolerations', { tolerations: [{ key: 'spark', operator: 'Exists', effect: 'NoSchedule' }] },
      (s) => expect(s.tolerations).toEqual([{ key: 'spark', operator: 'Exists', effect: 'NoSchedule' }])],
    ['the user\'s environment, from a Secret too', { env: [{ name: 'TZ', value: 'UTC' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's3', key: 'token' } } }] },
      (s) => expect(s.containers[0].env).toEqual([{ name: 'TZ', value: 'UTC' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's3', key: 'token' } } }])],
  ])('%s', (_name, options, assert) => {
    assert(spec(options));
  });

  test('the labels are copied: a later change of the caller\'s object does not reach the template', () => {
    const labels = { 'spark-role': 'executor' };
    const nodeSelector = { pool: 'spark' };
    const template = executorPodTemplate({ labels, uid: 185, nodeSelector });
    labels['spark-role'] = 'changed';
    nodeSelector.pool = 'changed';
    expect(template.metadata.labels).toEqual({ 'spark-role': 'executor' });
    expect(template.spec.nodeSelector).toEqual({ pool: 'spark' });
    expect(template).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
  });
});
