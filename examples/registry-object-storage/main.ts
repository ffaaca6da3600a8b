// A private registry for a cloud cluster: images in an S3 bucket instead of a
// volume, three replicas behind one Service that share the upload-signing
// secret, reached through IRSA (no keys anywhere), and a weekly garbage
// collection that turns every replica read-only while it runs.
import { App, Chart } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { RegistryMirror, RegistryStorage, RegistryTls, WorkloadIdentity } from '../../src';

export const NAMESPACE = 'registry';

export function buildApp(app: App = new App()): App {
  const chart = new Chart(app, 'registry');
  new RegistryMirror(chart, 'Registry', {
    name: 'spark-images',
    namespace: NAMESPACE,
    // The serving certificate, issued outside Git (e.g. by cert-manager) into this Secret.
    tls: RegistryTls.fromSecret(Secret.fromSecretName(chart, 'Tls', 'spark-images-tls')),
    storage: RegistryStorage.s3({ bucket: 'acme-spark-images', region: 'eu-central-1', rootDirectory: 'registry' }),
    // The role may read and write the bucket; its trust policy names this ServiceAccount and the collector's.
    identity: WorkloadIdentity.aws('arn:aws:iam::123456789012:role/spark-images'),
    replicas: 3,
    httpSecret: { secret: Secret.fromSecretName(chart, 'HttpSecret', 'spark-images-http'), key: 'secret' },
    garbageCollection: { enabled: true, schedule: '0 3 * * 0' },
  });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
