import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The annotation that orders objects within an Argo CD sync. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
/** The annotation with per-object sync options (comma-separated). */
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

// Objects meant for the Argo CD installation itself (Applications, argocd-cm)
// are not part of the synced directory, so sync waves leave them alone.
const argoCdOnly = new WeakSet<IConstruct>();

export function markArgoCdOnly(scope: IConstruct): void {
  argoCdOnly.add(scope);
}

export function isArgoCdOnly(scope: IConstruct): boolean {
  return scope.node.scopes.some((s) => argoCdOnly.has(s));
}

/** The annotations an object carries now. */
export function annotationsOf(obj: ApiObject): { [key: string]: string } {
  return obj.metadata.toJson().annotations ?? {};
}

/** Adds sync options to the object's sync-options annotation, keeping those already there. */
export function addSyncOptions(obj: ApiObject, options: string[]): void {
  const current = annotationsOf(obj)[SYNC_OPTIONS];
  const list = current ? current.split(',').map((o) => o.trim()).filter((o) => o.length > 0) : [];
  const merged = [...list, ...options.filter((o) => !list.includes(o))];
  if (merged.length !== list.length) {
    obj.metadata.addAnnotation(SYNC_OPTIONS, merged.join(','));
  }
}
