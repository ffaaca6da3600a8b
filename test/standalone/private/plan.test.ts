import { Chart, Testing } from 'cdk8s';
import { DnsNames } from '../../../src/core/names';
import { clusterNames } from '../../../src/standalone/private/plan';

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

  test('two clusters never share an object name, and the names of one cluster are distinct', () => {
    const a = Object.values(clusterNames('a'));
    const b = Object.values(clusterNames('b'));
    expect(new Set(a).size).toBe(a.length);
    expect(a.filter((n) => b.includes(n))).toEqual([]);
  });

  // SparkStandaloneCluster accepts a DNS-1035 label of up to 40 characters as its name
  // (src/standalone/spark-standalone-cluster.ts NAME_MAX). Services need DNS-1035 labels
  // (at most 63); the StatefulSet controller labels each pod controller-revision-hash=<set name>-<hash>,
  // the hash up to 10 characters, and a label value is at most 63 characters.
  test.each(['s', 'spark', 'a'.repeat(40), `x${'-1'.repeat(19)}z`])('names derived from %p are valid everywhere they are used', (name) => {
    const scope = new Chart(Testing.app(), 'test');
    const names = clusterNames(name);
    for (const value of Object.values(names)) {
      expect(() => DnsNames.validateDns1035Label(scope, 'name', value)).not.toThrow();
    }
    for (const statefulSet of [names.master, names.worker]) {
      expect(`${statefulSet}-${'h'.repeat(10)}`.length).toBeLessThanOrEqual(63);
    }
  });
});
