export * from './spark-tenant-network';
export * from './spark-tenant';
