// Event logs in the cloud's object store, reached with workload identity: a
// Spark job and a history server on GKE writing to and reading from a Cloud
// Storage bucket, and the same on AKS with an ADLS Gen2 container. No key is
// stored anywhere: the pods' ServiceAccounts carry the cloud identity (the
// Google service account or Entra application must trust them; see the README).
import { App, Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  EventLogStore, SparkApplication, SparkApplicationType, SparkHistoryServer, SparkImage, SparkImageFacts, SparkOperatorInstall,
  SparkServiceAccount, WorkloadIdentity,
} from '../../src';

/** Where a cloud's event logs live, who may read and write them, and the image with its connector. */
interface CloudLogsProps extends ChartProps {
  readonly namespace: string;
  readonly store: EventLogStore;
  readonly jobsIdentity: WorkloadIdentity;
  readonly historyIdentity: WorkloadIdentity;
  readonly image: SparkImage;
}

export class CloudLogsChart extends Chart {
  constructor(scope: Construct, id: string, props: CloudLogsProps) {
    super(scope, id, props);
    // The drivers write the event logs as this account (its cloud identity may write).
    const drivers = new SparkServiceAccount(this, 'Drivers', { namespace: props.namespace, name: 'spark-logs-writer', identity: props.jobsIdentity });
    new SparkApplication(this, 'SparkPi', {
      name: 'spark-pi',
      type: SparkApplicationType.SCALA,
      image: props.image,
      serviceAccount: drivers,
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      eventLog: props.store,
      timeToLive: Duration.hours(1),
    });
    // The history server reads them as its own account (an identity that may only read).
    new SparkHistoryServer(this, 'History', { store: props.store, image: props.image, identity: props.historyIdentity });
  }
}

/** An image built FROM apache/spark:4.0.4 with a cloud connector added to /opt/spark/jars. */
const image = (repository: string, facts: SparkImageFacts) => SparkImage.of({ repository, tag: '4.0.4', facts });

export function buildApp(app: App = new App()): App {
  const operator = new Chart(app, 'spark-operator');
  new SparkOperatorInstall(operator, 'Operator');

  // GKE: a bucket, Workload Identity Federation for GKE.
  // One app for both clouds here; in practice each cluster has its own.
  const gke = new CloudLogsChart(app, 'gke', {
    namespace: 'spark-gke',
    store: EventLogStore.gcs({ bucket: 'acme-spark-logs' }),
    jobsIdentity: WorkloadIdentity.gcp('spark-jobs@acme-analytics.iam.gserviceaccount.com'),
    historyIdentity: WorkloadIdentity.gcp('spark-history@acme-analytics.iam.gserviceaccount.com'),
    image: image('europe-docker.pkg.dev/acme-analytics/spark/spark-gcs', SparkImageFacts.fromApacheImage({ gcsConnector: true })),
  });
  // AKS: an ADLS Gen2 container, Microsoft Entra Workload ID.
  const aks = new CloudLogsChart(app, 'aks', {
    namespace: 'spark-aks',
    store: EventLogStore.abfs({ account: 'acmesparklogs', container: 'events' }),
    jobsIdentity: WorkloadIdentity.azure('3f2a6d1e-8c4b-4e7a-9b1d-2c5e8f0a7b63'),
    historyIdentity: WorkloadIdentity.azure('a81c4e29-5d3f-4b6a-8e7c-1f9d2b4c6a05'),
    image: image('acme.azurecr.io/spark/spark-azure', SparkImageFacts.fromApacheImage({ hadoopAzure: true })),
  });
  // The CRDs and the webhook before the jobs.
  gke.addDependency(operator);
  aks.addDependency(operator);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
