import { createHash } from 'crypto';
import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  AUTH_SECRET_ENV, checksum, CONF_CHECKSUM_ANNOTATION, containerPort, DEFAULTS_FILE, distinctPorts, httpProbe, servicePort,
  SPARK_CONF_DIR, tcpProbe,
} from '../../../src/standalone/private/pod';
import { validateManifests } from '../../harness/manifests';

const scope = () => new Chart(Testing.app(), 'test');

describe('standalone/private/pod', () => {
  test('the names Spark and its image read', () => {
    // The apache/spark image puts $SPARK_CONF_DIR on the classpath when set (apache/spark-docker
    // entrypoint.sh), and Spark reads spark-defaults.conf from it.
    expect(SPARK_CONF_DIR).toBe('/opt/spark/conf');
    expect(DEFAULTS_FILE).toBe('spark-defaults.conf');
    // apache/spark core/.../SecurityManager.scala: ENV_AUTH_SECRET.
    expect(AUTH_SECRET_ENV).toBe('_SPARK_AUTH_SECRET');
    expect(CONF_CHECKSUM_ANNOTATION).toBe('checksum/spark-conf');
  });

  test.each<[string, { [name: string]: number }]>([
    ['no ports', {}],
    ['one port', { port: 7077 }],
    ['distinct ports', { port: 7077, webUiPort: 8080, restPort: 6066 }],
  ])('distinctPorts accepts %s', (_name, ports) => {
    expect(() => distinctPorts(scope(), 'ports', ports)).not.toThrow();
  });

  test.each<[string, { [name: string]: number }, string]>([
    ['two equal ports', { port: 7077, webUiPort: 7077 },
      'test: invalid ports {"port":7077,"webUiPort":7077}: distinct ports: port and webUiPort both use 7077'],
    ['the first clash among several', { port: 7077, webUiPort: 8080, restPort: 8080, workerPort: 7077 },
      'distinct ports: webUiPort and restPort both use 8080'],
  ])('distinctPorts refuses %s', (_name, ports, message) => {
    expect(() => distinctPorts(scope(), 'ports', ports)).toThrow(message);
  });

  test('checksum: the SHA-256 of the content in hex, so any change of the conf rolls the pods', () => {
    expect(checksum('a=1')).toBe(createHash('sha256').update('a=1').digest('hex'));
    expect(checksum('a=1')).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum('a=1')).toBe(checksum('a=1'));
    expect(checksum('a=1')).not.toBe(checksum('a=2'));
  });

  test('probes on named ports, with a 5 s timeout', () => {
    expect(tcpProbe('spark', 5, 36)).toEqual({
      tcpSocket: { port: k8s.IntOrString.fromString('spark') }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 36,
    });
    expect(httpProbe('webui', '/', 10, 3)).toEqual({
      httpGet: { path: '/', port: k8s.IntOrString.fromString('webui'), scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3,
    });
  });

  test.each<[string, number | undefined, k8s.ServicePort]>([
    ['a ClusterIP port targeting the container port by name', undefined,
      { name: 'webui', port: 8080, targetPort: k8s.IntOrString.fromString('webui'), protocol: 'TCP' }],
    ['a fixed NodePort', 30080,
      { name: 'webui', port: 8080, targetPort: k8s.IntOrString.fromString('webui'), protocol: 'TCP', nodePort: 30080 }],
  ])('servicePort: %s', (_name, nodePort, expected) => {
    expect(servicePort('webui', 8080, nodePort)).toEqual(expected);
  });

  test('the parts form a schema-valid Pod and Service', () => {
    expect(containerPort('spark', 7077)).toEqual({ name: 'spark', containerPort: 7077, protocol: 'TCP' });
    const chart = scope();
    new k8s.KubePod(chart, 'Pod', {
      metadata: { name: 'master' },
      spec: {
        containers: [{
          name: 'master',
          image: 'apache/spark:3.5.7',
          ports: [containerPort('spark', 7077), containerPort('webui', 8080)],
          readinessProbe: httpProbe('webui', '/', 10, 3),
          livenessProbe: tcpProbe('spark', 5, 36),
        }],
      },
    });
    new k8s.KubeService(chart, 'Service', {
      metadata: { name: 'master' },
      spec: { type: 'NodePort', ports: [servicePort('spark', 7077), servicePort('webui', 8080, 30080)] },
    });
    expect(validateManifests(Testing.synth(chart))).toEqual([]);
  });
});
