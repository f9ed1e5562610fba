import { Inject, Injectable } from '@nestjs/common';
import { organizationDecider, type OrganizationEvent, streamName } from '@projectflo/crm/domain';
import { roleNamed, type TenantMember, type UserDirectory } from '@projectflo/platform/auth';
import { type EventStore, foldState } from '@projectflo/platform/core';
import { EVENT_STORE } from '@projectflo/platform/service';

/**
 * crm's users, as its organization stream says (crm is their source of truth): what the gRPC gate
 * asks on every call. Read from the event store rather than the read model, so a user added,
 * demoted or deactivated counts from the next call on, with no projection lag. The stream is the
 * tenant's own (organization-<tenant>, checked like a command's), so a user of another tenant is
 * unknown here.
 */
@Injectable()
export class CrmUserDirectory implements UserDirectory {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async member(tenantId: string, userId: string): Promise<TenantMember | undefined> {
    const { events } = await this.store.readStream(streamName.organization(tenantId));
    if (events[0]?.metadata.tenantId !== tenantId) return undefined;
    const organization = foldState(organizationDecider, events as readonly Pick<OrganizationEvent, 'type' | 'data'>[]);
    const user = organization.status === 'registered' ? organization.users[userId] : undefined;
    const role = user && roleNamed(user.role);
    return user && role ? { tenantId, userId, role, active: user.active } : undefined;
  }
}
