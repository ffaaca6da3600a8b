import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { StandardLabels } from '../../../src/core/labels';
import { REGISTRY_PATHS } from '../../../src/registry/private/config';
import { commonEnv, restrictedNamespace } from '../../../src/registry/private/parts';

describe('registry/private/parts', () => {
  test('the environment the registry and its garbage collection share', () => {
    expect(commonEnv()).toEqual([
      { name: 'REGISTRY_CONFIG', value: REGISTRY_PATHS.config },
      { name: 'MAINTENANCE_DIR', value: REGISTRY_PATHS.maintenance },
      // distribution 3.0 sets up its OpenTelemetry exporters with go.opentelemetry.io/contrib/exporters/autoexport,
      // which exports nothing when OTEL_TRACES_EXPORTER is "none" (vendored autoexport/noop.go, spans.go).
      { name: 'OTEL_TRACES_EXPORTER', value: 'none' },
    ]);
    // A fresh array each call: a caller that appends does not change the next caller's.
    commonEnv().push({ name: 'X', value: 'y' });
    expect(commonEnv()).toHaveLength(3);
  });

  test('the scripts read the variables commonEnv sets', () => {
    const sh = (name: string) => fs.readFileSync(path.join(__dirname, '../../../src/registry/private/sh', name), 'utf8');
    for (const script of ['run-registry.sh', 'garbage-collect.sh']) {
      expect(sh(script)).toContain('$MAINTENANCE_DIR');
    }
    expect(sh('run-registry.sh')).toContain('$REGISTRY_CONFIG');
    expect(sh('garbage-collect.sh')).toContain('"$REGISTRY_CONFIG"');
  });

  test.each<[string, { partOf?: string; managedBy?: string }, { [key: string]: string }]>([
    ['default labels', {}, { 'app.kubernetes.io/part-of': 'cdk8s-spark', 'app.kubernetes.io/managed-by': 'cdk8s' }],
    ['the user\'s labels', { partOf: 'data-platform', managedBy: 'argocd' },
      { 'app.kubernetes.io/part-of': 'data-platform', 'app.kubernetes.io/managed-by': 'argocd' }],
  ])('a Namespace enforcing the restricted Pod Security Standard, %s', (_name, props, labels) => {
    const chart = new Chart(Testing.app(), 'test');
    const ns = restrictedNamespace(chart, 'registry', StandardLabels.of(chart, { name: 'registry', ...props }));
    expect(ns.node.id).toBe('Namespace');
    const [manifest] = Testing.synth(chart);
    expect(manifest).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'registry',
        labels: {
          ...labels,
          // Pod Security Admission's labels (kubernetes.io/docs/concepts/security/pod-security-admission).
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    });
  });
});
