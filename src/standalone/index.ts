export * from './standalone-cluster-ref';
export * from './standalone-authentication';
export * from './worker-storage';
export * from './volume-claim-template';
export * from './daemon-lifecycle';
export * from './spark-standalone-cluster';
export * from './spark-standalone-submit';
export * from './zeppelin-notebook';
