import { k8s } from 'cdk8s-plus-28';
import { check, Where } from '../../core/errors';
import type { DaemonLifecycleHooks } from '../daemon-lifecycle';

/** The exec hooks of `prop`, checked, as the container's lifecycle (undefined when none). */
export function daemonLifecycle(where: Where, prop: string, hooks: DaemonLifecycleHooks | undefined): k8s.Lifecycle | undefined {
  if (hooks === undefined) {
    return undefined;
  }
  check(hooks !== null && typeof hooks === 'object', where, prop, hooks, '{ postStart, preStop }, e.g. { preStop: ["/bin/sh", "-c", "sleep 30"] }');
  const lifecycle: { -readonly [K in keyof k8s.Lifecycle]: k8s.Lifecycle[K] } = {};
  for (const phase of ['postStart', 'preStop'] as const) {
    const command = hooks[phase];
    if (command === undefined) {
      continue;
    }
    check(Array.isArray(command) && command.length > 0 && command.every((a) => typeof a === 'string') && command[0].trim() !== '',
      where, `${prop}.${phase}`, command, 'a command and its arguments, e.g. ["/bin/sh", "-c", "sleep 30"]');
    lifecycle[phase] = { exec: { command: [...command] } };
  }
  check(Object.keys(lifecycle).length > 0, where, prop, hooks, 'postStart, preStop or both');
  return lifecycle;
}
