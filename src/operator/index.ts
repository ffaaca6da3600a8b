export * from './spark-operator-crds';
export * from './spark-operator-install';
export * from './spark-operator';
