export * from './spark-operator-crds';
export * from './spark-operator-install';
