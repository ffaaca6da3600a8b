export * from './names';
export * from './labels';
export * from './image-registry-override';
export * from './spark-image';
export * from './spark-conf';
export * from './spark-memory';
export * from './security';
