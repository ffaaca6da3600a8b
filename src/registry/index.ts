export * from './registry-mirror';
export * from './spark-image-build';
