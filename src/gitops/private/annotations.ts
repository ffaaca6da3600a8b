import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppSlot } from '../../core/app-context';

/** The annotation that orders objects within an Argo CD sync. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
/** The annotation with per-object sync options (comma-separated). */
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

// Objects meant for the Argo CD installation itself (Applications, argocd-cm)
// are not part of the synced directory, so sync waves leave them alone.
const ARGO_CD_ONLY = new AppSlot('argo-cd-only', () => new Set<IConstruct>());

export function markArgoCdOnly(scope: IConstruct): void {
  ARGO_CD_ONLY.of(scope).add(scope);
}

export function isArgoCdOnly(scope: IConstruct): boolean {
  const marked = ARGO_CD_ONLY.of(scope);
  return marked.size > 0 && scope.node.scopes.some((s) => marked.has(s));
}

/** The annotations an object carries now. */
export function annotationsOf(obj: ApiObject): { [key: string]: string } {
  return obj.metadata.toJson().annotations ?? {};
}

/**
 * Adds sync options to the object's sync-options annotation, keeping those
 * already there; `annotations` are the object's annotations (annotationsOf),
 * kept up to date.
 */
export function addSyncOptions(obj: ApiObject, annotations: { [key: string]: string }, options: string[]): void {
  const current = annotations[SYNC_OPTIONS];
  const list = current ? current.split(',').map((o) => o.trim()).filter((o) => o.length > 0) : [];
  const merged = [...list, ...options.filter((o) => !list.includes(o))];
  if (merged.length !== list.length) {
    annotations[SYNC_OPTIONS] = merged.join(',');
    obj.metadata.addAnnotation(SYNC_OPTIONS, annotations[SYNC_OPTIONS]);
  }
}
