import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ISparkJob, SparkJobs } from '../../src';

class FakeJob extends Construct implements ISparkJob {
  constructor(scope: Construct, id: string, public readonly jobNamespace: string, public readonly managedByOperator = true) {
    super(scope, id);
    SparkJobs.register(this);
  }
}

describe('SparkJobs', () => {
  test('collects the jobs of one app and the namespaces the operator must watch', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    const j1 = new FakeJob(a, 'J1', 'team-b');
    new FakeJob(b, 'J2', 'team-a');
    new FakeJob(b, 'J3', 'team-b');
    new FakeJob(b, 'Submit', 'batch', false);
    SparkJobs.register(j1);
    expect(SparkJobs.all(a).map((j) => j.node.id)).toEqual(['J1', 'J2', 'J3', 'Submit']);
    expect(SparkJobs.operatorNamespaces(b)).toEqual(['team-a', 'team-b']);
    // Another app does not see them.
    expect(SparkJobs.all(Testing.app())).toEqual([]);
  });
});
