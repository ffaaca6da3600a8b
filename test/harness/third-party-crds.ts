// Minimal CRDs of the third-party APIs this library emits objects for (Argo CD,
// cert-manager): the harness has no schemas of its own for them.

const str = { type: 'string' };
const strings = { type: 'array', items: str };

/**
 * A minimal Argo CD Application CRD with the
 * fields this library emits (types as in Argo CD's own CRD), so that the
 * Application is schema-checked like everything else.
 */
export const ARGO_CD_APPLICATION_CRD = {
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
export const CERT_MANAGER_CRDS = [
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
