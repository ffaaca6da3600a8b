// The public API: each domain re-exports its constructs (README, Architecture).
export * from './core';
export * from './cluster';
export * from './registry';
export * from './operator';
export * from './shuffle';
export * from './jobs';
export * from './services';
export * from './standalone';
export * from './tenancy';
export * from './gitops';
export * from './platform';
