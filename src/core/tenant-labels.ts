import { Where } from './errors';
import { labels as checkLabels } from './validate';

/** Label Spark puts on its driver and executor pods (`driver` or `executor`). */
export const SPARK_ROLE_LABEL = 'spark-role';

/** Throws unless every key and value of `labels` is a valid label. */
export function validateLabels(where: Where, property: string, labels: { [key: string]: string } | undefined): void {
  checkLabels(where, property, labels);
}
