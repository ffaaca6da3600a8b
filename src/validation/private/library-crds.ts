import { App, Chart } from 'cdk8s';
import { SparkOperatorCrds } from '../../operator/spark-operator-crds';

let cached: any[] | undefined;

/**
 * The CustomResourceDefinitions of the library itself (the Spark operator's
 * SparkApplication, ScheduledSparkApplication and SparkConnect), as
 * SparkOperatorCrds synthesizes them: custom resources of the app are checked
 * against them when the manifests do not carry the CRDs (they are usually
 * applied from another chart or repository).
 */
export function libraryCrds(): any[] {
  if (!cached) {
    const chart = new Chart(new App(), 'spark-operator-crds');
    new SparkOperatorCrds(chart, 'Crds');
    cached = chart.toJson();
  }
  return cached;
}
