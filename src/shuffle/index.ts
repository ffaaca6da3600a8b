export * from './remote-shuffle-service';
export * from './celeborn-cluster';
export * from './celeborn-disks';
