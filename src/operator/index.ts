export * from './spark-operator-crds';
export * from './webhook-certificate';
export * from './spark-ui-ingress';
export * from './spark-operator-install';
export * from './spark-operator';
