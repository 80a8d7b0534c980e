import type { Role } from './role';

/** Who performs a command: a signed-in user, a station (device) or the system itself (jobs, sweeps). */
export type Actor =
  | { kind: 'user'; id: string; username: string; roles: readonly Role[] }
  | { kind: 'station'; id: string; code: string }
  | { kind: 'system'; id: 'system'; component: string };

export const systemActor = (component: string): Actor => ({ kind: 'system', id: 'system', component });

export function hasAnyRole(actor: Actor, roles: readonly Role[]): boolean {
  return actor.kind === 'user' && actor.roles.some((r) => roles.includes(r));
}
