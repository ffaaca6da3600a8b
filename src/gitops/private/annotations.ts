import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppSlot } from '../../core/app-context';
import { hasDefaultResolvers } from '../../core/rendered-json';

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

/**
 * The annotations an object carries now (a copy). Rendering the whole
 * metadata resolves its tokens, which for every object of a large app is most
 * of the sync waves' time: annotations whose values are all strings render as
 * themselves when the app has cdk8s's own resolvers only, so they are read
 * where cdk8s keeps them (ApiObjectMetadataDefinition's `annotations`, a
 * private field; when it is not there, or holds anything else, the metadata
 * is rendered).
 */
export function annotationsOf(obj: ApiObject): { [key: string]: string } {
  const kept = (obj.metadata as unknown as { readonly annotations?: unknown }).annotations;
  if (isStringMap(kept) && hasDefaultResolvers(App.of(obj))) {
    return { ...kept };
  }
  return obj.metadata.toJson().annotations ?? {};
}

function isStringMap(value: unknown): value is { [key: string]: string } {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
    && Object.values(value).every((v) => typeof v === 'string');
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
