import { check, Where } from './errors';

/** Label Spark puts on its driver and executor pods (`driver` or `executor`). */
export const SPARK_ROLE_LABEL = 'spark-role';

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Throws unless every key and value of `labels` is a valid label. */
export function validateLabels(where: Where, property: string, labels: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const slash = key.indexOf('/');
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    const prefix = slash >= 0 ? key.slice(0, slash) : '';
    check(LABEL_KEY.test(key) && name.length <= 63 && prefix.length <= 253, where, `${property} key`, key,
      'a label key: an optional DNS subdomain prefix and \'/\', then at most 63 letters, digits, \'-\', \'_\' and \'.\'');
    check(typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value), where, `${property}["${key}"]`, value,
      'a label value: at most 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit');
  }
}
