/*
 * Usage — a service other than crm learns who may call it from crm's organization events:
 *
 *   // service options: consumes: { 'user-directory': [CRM_MEMBERSHIP_SOURCE_V1.topic], ... }
 *   // a migration:     for (const sql of tenantMembersTableSql(schema)) this.addSql(sql);
 *   // app module:      providers: [...tenantDirectoryProviders(crmOrganizationEventsV1.CRM_MEMBERSHIP_SOURCE_V1)]
 *
 * The providers are the USER_DIRECTORY the gRPC gate asks on every call (TenantMembersDirectory,
 * reading `tenant_members` under the tenant's row-level security) and the consumer (group
 * `<schema>.user-directory`) that keeps that table.
 */
import { Inject, Injectable, type OnModuleInit, type Provider } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { type Role, roleNamed, type TenantMember, type UserDirectory, USER_DIRECTORY } from '@projectflo/platform/auth';
import type { DomainEvent } from '@projectflo/platform/core';
import type { EventChecks } from '@projectflo/platform/messaging';
import { type OrmTx, rowLevelSecuritySql, withTenantScope } from '@projectflo/platform/persistence';
import { ConsumerFactory } from './consumer-factory';
import { MIKRO_ORM } from './tokens';

/** The consumer group purpose of every service's user-directory consumer (declare it in `consumes`). */
export const USER_DIRECTORY_PURPOSE = 'user-directory';

/** What one event changes about a user's membership of the event's tenant (the role spelled as the source spells it). */
export type MembershipChange =
  | { readonly kind: 'added'; readonly userId: string; readonly role: string; readonly at: string }
  | { readonly kind: 'role'; readonly userId: string; readonly role: string; readonly at: string }
  | { readonly kind: 'active'; readonly userId: string; readonly active: boolean; readonly at: string };

/** Where users come from: a topic and, per event type, its contract checks and the membership change it makes. */
export interface MembershipSource {
  readonly topic: string;
  readonly events: Readonly<Record<string, EventChecks & { readonly change: (data: never) => MembershipChange }>>;
}

const MEMBERSHIP_SOURCE = Symbol('MEMBERSHIP_SOURCE');

/** The platform role of a role the source names (`Owner` → owner); a role the platform does not know is poison. */
function platformRole(role: string): Role {
  const named = roleNamed(role);
  if (!named) throw new Error(`role ${role} is no platform role`);
  return named;
}

/** The `tenant_members` table (a tenant table under row-level security), for a service's migration. */
export function tenantMembersTableSql(schema: string): string[] {
  return [
    `CREATE TABLE tenant_members (
      tenant_id text NOT NULL,
      user_id text NOT NULL,
      role text NOT NULL,
      active boolean NOT NULL,
      updated_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_id, user_id)
    )`,
    ...rowLevelSecuritySql(schema, 'tenant_members'),
  ];
}

/** Applies one membership change of `tenantId` in the consumer's transaction (a change to an unknown user is a no-op). */
export async function applyMembershipChange(tx: OrmTx, tenantId: string, change: MembershipChange): Promise<void> {
  switch (change.kind) {
    case 'added':
      await tx.query(
        `INSERT INTO tenant_members (tenant_id, user_id, role, active, updated_at) VALUES ($1, $2, $3, true, $4)
         ON CONFLICT (tenant_id, user_id) DO NOTHING`,
        [tenantId, change.userId, platformRole(change.role), change.at],
      );
      return;
    case 'role':
      await tx.query('UPDATE tenant_members SET role = $3, updated_at = $4 WHERE tenant_id = $1 AND user_id = $2', [tenantId, change.userId, platformRole(change.role), change.at]);
      return;
    case 'active':
      await tx.query('UPDATE tenant_members SET active = $3, updated_at = $4 WHERE tenant_id = $1 AND user_id = $2', [tenantId, change.userId, change.active, change.at]);
      return;
    default: {
      const unknown: never = change;
      throw new Error(`unknown membership change ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The service's users as the source's events told it (`tenant_members`): what the gRPC gate asks on
 * every call. It lags the source by the time an event takes to reach the consumer, so a user crm
 * just added is unknown here for that long, and one crm just deactivated is still active.
 */
@Injectable()
export class TenantMembersDirectory implements UserDirectory {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  member(tenantId: string, userId: string): Promise<TenantMember | undefined> {
    return withTenantScope(this.orm, tenantId, async (tx) => {
      const [row] = await tx.query<{ role: string; active: boolean }>('SELECT role, active FROM tenant_members WHERE tenant_id = $1 AND user_id = $2', [tenantId, userId]);
      const role = row && roleNamed(row.role);
      return row && role ? { tenantId, userId, role, active: row.active } : undefined;
    });
  }
}

/**
 * Group `user-directory` on the source's topic: keeps `tenant_members`. An organization's events
 * share its key, so they arrive in order; a message against the source's contract is dead-lettered.
 */
@Injectable()
export class TenantDirectoryConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerFactory,
    @Inject(MEMBERSHIP_SOURCE) private readonly source: MembershipSource,
  ) {}

  onModuleInit(): void {
    // The gate reads tenant_members: a token of crm's user change waits for it before the membership check.
    const consumer = this.consumers.events<DomainEvent>(USER_DIRECTORY_PURPOSE, [this.source.topic], { readModel: true });
    for (const [type, { change, ...checks }] of Object.entries(this.source.events)) {
      // The payload passed the type's contract before the handler runs, so it is that type's data.
      consumer.on(type, (event, tx) => applyMembershipChange(tx, event.metadata.tenantId, (change as (data: unknown) => MembershipChange)(event.data)), checks);
    }
  }
}

/** The providers of a service whose users come from `source`: its USER_DIRECTORY and the consumer feeding it. */
export function tenantDirectoryProviders(source: MembershipSource): Provider[] {
  return [
    { provide: MEMBERSHIP_SOURCE, useValue: source },
    { provide: USER_DIRECTORY, useClass: TenantMembersDirectory },
    TenantDirectoryConsumer,
  ];
}
