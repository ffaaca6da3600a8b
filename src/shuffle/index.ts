export * from './remote-shuffle-service';
