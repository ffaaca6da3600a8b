export * from './spark-job';
export * from './spark-service-account';
export * from './spark-application';
export * from './scheduled-spark-application';
export * from './spark-tuning';
export * from './spark-submit-job';
export * from './scheduled-spark-submit-job';
