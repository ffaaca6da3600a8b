import { AppSlot } from './app-context';

/** Per-app state; an {@link AppSlot} of the one {@link AppContext}. */
export class PerApp<T> extends AppSlot<T> {
  constructor(create: () => T) {
    super('anonymous', create);
  }
}
