export * from './argo-cd-sync-waves';
export * from './argo-cd-application';
export * from './argo-cd-health';
