export * from './registry-upstream';
export * from './registry-tls';
export * from './registry-storage';
export * from './registry-mirror';
export * from './registry-mirror-set';
export * from './spark-image-build';
