import { rolesGrant } from '@projectflo/platform/auth';
import { DomainError } from '@projectflo/platform/core';
import type { RequestContext } from '@projectflo/platform/grpc';

/**
 * Who may use a contributor's calendar: the contributor (their calendar, its entries and feed:
 * contributor-calendars.own, which the gate checked), and whoever holds contributor-calendars.manage
 * (managers and up) for every contributor.
 */
export function assertCalendarAccess(ctx: RequestContext, contributorId: string): void {
  if (contributorId === ctx.actorId || rolesGrant(ctx.roles, 'contributor-calendars.manage')) return;
  throw DomainError.permissionDenied("only managers and above may use another contributor's calendar");
}
