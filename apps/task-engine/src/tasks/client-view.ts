import type { RequestContext } from '@projectflo/platform/grpc';

/*
 * What a client user (role `client`, source document 001) may read of the studio's work: only
 * tasks done for them and shown to them. A task has no client-visible mark yet (Task.client_visible
 * is always false), so a client reads no task, comment or task history at all: ListTasks is empty,
 * GetTask and GetTaskHistory are NOT_FOUND, as for a task that is not there. The studio's users and
 * services read everything their permissions allow.
 */

/** Whether the caller is a client user, who reads none of the studio's internal work. */
export function isClientUser(ctx: Pick<RequestContext, 'actorKind' | 'roles'>): boolean {
  return ctx.actorKind === 'user' && ctx.roles.length > 0 && ctx.roles.every((role) => role === 'client');
}
