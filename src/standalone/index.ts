export * from './spark-standalone-cluster';
export * from './zeppelin-notebook';
