export * from './spark-history-server';
export * from './hive-metastore';
export * from './thrift-server-authentication';
export * from './spark-thrift-server';
export * from './spark-connect-server-props';
export * from './spark-connect-server';
export * from './spark-connect-deployment';
