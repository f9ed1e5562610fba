import { Injectable, type OnModuleInit } from '@nestjs/common';
import { contractChecks, crmOrganizationEventsV1 } from '@projectflo/contracts';
import type { EventEnvelope } from '@projectflo/platform/messaging';
import type { OrmTx } from '@projectflo/platform/persistence';
import { ConsumerFactory } from '@projectflo/platform/service';
import { tenantRole } from './tenant-members';

const { CRM_ORGANIZATION_TOPIC_V1, crmOrganizationEventContractsV1 } = crmOrganizationEventsV1;
type OrganizationEvent = crmOrganizationEventsV1.CrmOrganizationEventV1;
type Of<T extends OrganizationEvent['type']> = EventEnvelope<Extract<OrganizationEvent, { type: T }>>;
/** The schema version and payload schema crm publishes for an organization event type. */
const published = (type: OrganizationEvent['type']) => contractChecks(crmOrganizationEventContractsV1, type);

/**
 * Group `user-directory` on crm.organization.v1: keeps `tenant_members` (who is a user of which
 * tenant, with which role, active or not), what the gRPC gate asks through
 * TaskEngineUserDirectory. An organization's events share its key, so they arrive in order; a
 * message against crm's contract goes to the group's dead-letter topic.
 */
@Injectable()
export class UserDirectoryConsumer implements OnModuleInit {
  constructor(private readonly consumers: ConsumerFactory) {}

  onModuleInit(): void {
    this.consumers
      .events<OrganizationEvent>('user-directory', [CRM_ORGANIZATION_TOPIC_V1])
      .on('UserAdded', (event, tx) => this.added(event, tx), published('UserAdded'))
      .on('UserRoleChanged', (event, tx) => this.set(tx, event, 'role', tenantRole(event.data.role), event.data.changedAt), published('UserRoleChanged'))
      .on('UserDeactivated', (event, tx) => this.set(tx, event, 'active', false, event.data.deactivatedAt), published('UserDeactivated'))
      .on('UserReactivated', (event, tx) => this.set(tx, event, 'active', true, event.data.reactivatedAt), published('UserReactivated'));
  }

  private async added(event: Of<'UserAdded'>, tx: OrmTx): Promise<void> {
    const d = event.data;
    await tx.query(
      `INSERT INTO tenant_members (tenant_id, user_id, role, active, updated_at) VALUES ($1, $2, $3, true, $4)
       ON CONFLICT (tenant_id, user_id) DO NOTHING`,
      [event.metadata.tenantId, d.userId, tenantRole(d.role), d.addedAt],
    );
  }

  /** One fact of a known member; the column is one of a fixed pair, never from input. */
  private async set(
    tx: OrmTx,
    event: Of<'UserRoleChanged' | 'UserDeactivated' | 'UserReactivated'>,
    column: 'role' | 'active',
    value: string | boolean,
    at: string,
  ): Promise<void> {
    await tx.query(`UPDATE tenant_members SET ${column} = $3, updated_at = $4 WHERE tenant_id = $1 AND user_id = $2`, [
      event.metadata.tenantId,
      event.data.userId,
      value,
      at,
    ]);
  }
}
