import { IConstruct } from 'constructs';

/**
 * The one place per-app state lives: registries that constructs look each
 * other up in without walking the tree (jobs, operator installs, mirrors,
 * generated files, ...). Keyed by the app (the construct tree's root), so two
 * apps in one process never see each other's state. Declare a slot at module
 * level with `new AppSlot(name, create)`; nothing else keeps per-app state.
 */
export class AppContext {
  /** The context of the app that contains `scope`. */
  public static of(scope: IConstruct): AppContext {
    const root = scope.node.root;
    let context = CONTEXTS.get(root);
    if (context === undefined) {
      context = new AppContext();
      CONTEXTS.set(root, context);
    }
    return context;
  }

  private readonly slots = new Map<AppSlot<unknown>, unknown>();

  private constructor() {}

  /** The value of `slot` in this app, created on first use. */
  public get<T>(slot: AppSlot<T>): T {
    if (!this.slots.has(slot)) {
      this.slots.set(slot, slot.create());
    }
    return this.slots.get(slot) as T;
  }
}

/** A named piece of per-app state, created on first use in each app. */
export class AppSlot<T> {
  constructor(public readonly name: string, public readonly create: () => T) {}

  /** The state of the app that contains `scope`. */
  public of(scope: IConstruct): T {
    return AppContext.of(scope).get(this);
  }
}

const CONTEXTS = new WeakMap<IConstruct, AppContext>();
