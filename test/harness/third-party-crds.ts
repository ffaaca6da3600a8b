// CRDs of the third-party APIs this library emits objects for (Argo CD, cert-manager,
// Prometheus operator): the harness has no schemas of its own for them. The real upstream
// CRDs come from ../shared/reference (see its README) when present; without it the tests fall
// back to the minimal hand-written schemas below (with a printed note), and the conformance
// tests in test/third-party-crds.test.ts skip.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { REFERENCE_DIR } from './reference';

const str = { type: 'string' };
const strings = { type: 'array', items: str };

/**
 * A minimal Argo CD Application CRD with the
 * fields this library emits (types as in Argo CD's own CRD), so that the
 * Application is schema-checked like everything else.
 */
export const MINIMAL_ARGO_CD_APPLICATION_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'applications.argoproj.io' },
  spec: {
    group: 'argoproj.io',
    names: { kind: 'Application', plural: 'applications', singular: 'application', listKind: 'ApplicationList' },
    scope: 'Namespaced',
    versions: [{
      name: 'v1alpha1',
      served: true,
      storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          required: ['metadata', 'spec'],
          properties: {
            apiVersion: str,
            kind: str,
            metadata: { type: 'object' },
            spec: {
              type: 'object',
              required: ['destination', 'project'],
              properties: {
                project: str,
                source: {
                  type: 'object',
                  required: ['repoURL'],
                  properties: {
                    repoURL: str,
                    path: str,
                    targetRevision: str,
                    directory: { type: 'object', properties: { recurse: { type: 'boolean' } } },
                  },
                },
                destination: { type: 'object', properties: { server: str, namespace: str, name: str } },
                syncPolicy: {
                  type: 'object',
                  properties: {
                    automated: {
                      type: 'object',
                      properties: { prune: { type: 'boolean' }, selfHeal: { type: 'boolean' }, allowEmpty: { type: 'boolean' } },
                    },
                    syncOptions: strings,
                    retry: {
                      type: 'object',
                      properties: {
                        limit: { type: 'integer', format: 'int64' },
                        backoff: {
                          type: 'object',
                          properties: { duration: str, factor: { type: 'integer', format: 'int64' }, maxDuration: str },
                        },
                      },
                    },
                  },
                },
                ignoreDifferences: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['kind'],
                    properties: {
                      group: str,
                      kind: str,
                      name: str,
                      namespace: str,
                      jsonPointers: strings,
                      jqPathExpressions: strings,
                      managedFieldsManagers: strings,
                    },
                  },
                },
              },
            },
          },
        },
      },
    }],
  },
};

/**
 * Minimal cert-manager CRDs (only the fields this library emits), so that the
 * cert-manager objects are schema-checked like everything else: the harness
 * has no cert-manager schemas of its own.
 */
function certManagerCrd(kind: string, plural: string, spec: any): any {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.cert-manager.io` },
    spec: {
      group: 'cert-manager.io',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      scope: 'Namespaced',
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec },
          },
        },
      }],
    },
  };
}
export const MINIMAL_CERT_MANAGER_CRDS = [
  certManagerCrd('Issuer', 'issuers', { type: 'object', properties: { selfSigned: { type: 'object' } } }),
  certManagerCrd('Certificate', 'certificates', {
    type: 'object',
    required: ['secretName', 'issuerRef'],
    properties: {
      secretName: str,
      commonName: str,
      dnsNames: { type: 'array', items: str },
      ipAddresses: { type: 'array', items: str },
      duration: str,
      renewBefore: str,
      usages: { type: 'array', items: { type: 'string', enum: ['server auth', 'digital signature', 'key encipherment'] } },
      issuerRef: { type: 'object', required: ['name'], properties: { name: str, kind: str, group: str } },
      privateKey: {
        type: 'object',
        properties: {
          algorithm: { type: 'string', enum: ['RSA', 'ECDSA', 'Ed25519'] },
          encoding: { type: 'string', enum: ['PKCS1', 'PKCS8'] },
          size: { type: 'integer' },
          rotationPolicy: { type: 'string', enum: ['Never', 'Always'] },
        },
      },
    },
  }),
];

/** The CRDs in the upstream files under the reference data, or undefined when it is absent. */
export function upstreamCrds(folder: string, files: string[]): any[] | undefined {
  const dir = path.join(REFERENCE_DIR, folder);
  if (!fs.existsSync(dir)) {
    return undefined;
  }
  return files.flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))
    .map((d) => d.toJSON())
    .filter((crd) => crd?.kind === 'CustomResourceDefinition'));
}

function upstreamOr(name: string, folder: string, files: string[], minimal: any[]): any[] {
  const found = upstreamCrds(folder, files);
  if (!found) {
    // eslint-disable-next-line no-console
    console.log(`${name}: ${path.join(REFERENCE_DIR, folder)} is absent, validating against minimal hand-written schemas`);
  }
  return found ?? minimal;
}

let argoCd: any[] | undefined;
let certManager: any[] | undefined;
let prometheus: any[] | undefined;

/** Argo CD's Application and AppProject CRDs (argoproj/argo-cd manifests/crds, 3.6.0). */
export function argoCdCrds(): any[] {
  argoCd ??= upstreamOr('Argo CD CRDs', 'argo-cd-3.6.0/crds', ['application-crd.yaml', 'appproject-crd.yaml'],
    [MINIMAL_ARGO_CD_APPLICATION_CRD]);
  return argoCd;
}

/** cert-manager's Certificate, Issuer and ClusterIssuer CRDs (cert-manager/cert-manager deploy/crds, 1.21). */
export function certManagerCrds(): any[] {
  certManager ??= upstreamOr('cert-manager CRDs', 'cert-manager-1.21/crds', [
    'cert-manager.io_certificates.yaml', 'cert-manager.io_issuers.yaml', 'cert-manager.io_clusterissuers.yaml',
  ], MINIMAL_CERT_MANAGER_CRDS);
  return certManager;
}

/**
 * The Prometheus operator's ServiceMonitor, PodMonitor and PrometheusRule CRDs
 * (prometheus-operator example/prometheus-operator-crd, 0.93.0). No minimal
 * fallback: only the monitoring options emit these (test/core/monitoring.test.ts
 * validates them when the reference data is present); an object of these
 * kinds fails validation without it.
 */
export function prometheusOperatorCrds(): any[] {
  prometheus ??= upstreamCrds('prometheus-operator-0.93.0/crds', [
    'monitoring.coreos.com_servicemonitors.yaml', 'monitoring.coreos.com_podmonitors.yaml', 'monitoring.coreos.com_prometheusrules.yaml',
  ]) ?? [];
  return prometheus;
}

/** Every third-party CRD, upstream when present. */
export function thirdPartyCrds(): any[] {
  return [...argoCdCrds(), ...certManagerCrds(), ...prometheusOperatorCrds()];
}
