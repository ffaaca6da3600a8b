import { createHash } from 'crypto';
import { Chart, Size, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { SparkMemory } from '../../../src';
import { clusterNames } from '../../../src/standalone/private/plan';
import {
  checksum, containerPort, distinctPorts, httpProbe, servicePort, tcpProbe,
} from '../../../src/standalone/private/pod';
import { describeBudget, floorMebibytes, largestWorkerMemory, workerBudget } from '../../../src/standalone/private/sizing';

const scope = () => new Chart(Testing.app(), 'test');

describe('standalone/private/sizing', () => {
  // Spark's overhead rule: max(10 %, 384 MiB) (SparkMemory.overheadFor).
  test('a worker budget adds the executors\' overhead, the daemon heap and its overhead', () => {
    const budget = workerBudget(SparkMemory.gibibytes(4), SparkMemory.mebibytes(512));
    expect(budget.executorOverhead.toMebibytes()).toBe(409); // 10 % of 4096, truncated as Spark's .toLong does
    expect(budget.daemonOverhead.toMebibytes()).toBe(384);
    expect(budget.totalMib).toBe(4096 + 409 + 512 + 384);
    expect(describeBudget(budget)).toBe('4g for executors + 409m executor JVM overhead + 512m worker daemon heap '
      + '+ 384m daemon JVM overhead = 5401 MiB');
  });

  test.each<[number, number | undefined]>([
    [4096, 2816], // 2816 + 384 + 512 + 384 = 4096
    [8192, 6633],
    [1280, undefined], // the daemon and the overheads leave nothing
    [1281, 1],
    [0, undefined],
  ])('the largest worker memory in %p MiB is %p MiB', (containerMib, expected) => {
    const daemon = SparkMemory.mebibytes(512);
    const largest = largestWorkerMemory(containerMib, daemon);
    expect(largest).toBe(expected);
    if (largest !== undefined) {
      expect(workerBudget(SparkMemory.mebibytes(largest), daemon).totalMib).toBeLessThanOrEqual(containerMib);
      expect(workerBudget(SparkMemory.mebibytes(largest + 1), daemon).totalMib).toBeGreaterThan(containerMib);
    }
  });

  // Millicores, ports and NodePorts are core/validate's (test/core/validate.test.ts).
  test('whole MiB, rounded down', () => {
    expect(floorMebibytes(Size.kibibytes(1536))).toBe(1);
    expect(floorMebibytes(Size.gibibytes(2))).toBe(2048);
  });
});

describe('standalone/private/pod', () => {
  test('ports, probes and checksums', () => {
    expect(() => distinctPorts(scope(), 'ports', { a: 1, b: 2 })).not.toThrow();
    expect(containerPort('spark', 7077)).toEqual({ name: 'spark', containerPort: 7077, protocol: 'TCP' });
    expect(servicePort('webui', 8080)).toEqual({ name: 'webui', port: 8080, targetPort: k8s.IntOrString.fromString('webui'), protocol: 'TCP' });
    expect(servicePort('webui', 8080, 30080).nodePort).toBe(30080);
    expect(tcpProbe('spark', 5, 36)).toEqual({ tcpSocket: { port: k8s.IntOrString.fromString('spark') }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 36 });
    expect(httpProbe('webui', '/', 10, 3)).toEqual({
      httpGet: { path: '/', port: k8s.IntOrString.fromString('webui'), scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3,
    });
    expect(checksum('a=1')).toBe(createHash('sha256').update('a=1').digest('hex'));
  });

  test.each<[string, () => unknown, string]>([
    ['two equal ports', () => distinctPorts(scope(), 'ports', { port: 7077, webUiPort: 7077 }),
      'test: invalid ports {"port":7077,"webUiPort":7077}: distinct ports: port and webUiPort both use 7077'],
  ])('refuses %s', (_name, act, message) => {
    expect(act).toThrow(message);
  });
});

describe('standalone/private/plan', () => {
  test('every object name derives from the cluster name', () => {
    expect(clusterNames('spark')).toEqual({
      master: 'spark-master',
      masterHeadless: 'spark-master-headless',
      worker: 'spark-worker',
      workerHeadless: 'spark-worker-headless',
      masterConf: 'spark-master-conf',
      workerConf: 'spark-worker-conf',
      clientConf: 'spark-client-conf',
    });
  });
});
