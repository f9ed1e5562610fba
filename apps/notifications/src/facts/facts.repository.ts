import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { withTenantScope } from '@projectflo/platform/persistence';
import { MIKRO_ORM } from '@projectflo/platform/service';

export interface TaskFact {
  readonly taskId: string;
  readonly name: string;
  readonly dueAt: Date | null;
  readonly priority: string;
  readonly status: string;
  readonly assigneeId: string | null;
  readonly templateKey: string;
  readonly leadId: string | null;
}

export interface RecipientFact {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly timezone: string;
  readonly role: string;
  readonly active: boolean;
}

export interface LeadFact {
  readonly ownerId: string | null;
  readonly contactId: string;
}

/** Reads the facts the facts consumer keeps, in the tenant's scope (row-level security). Undefined: not known (yet). */
@Injectable()
export class FactsRepository {
  constructor(@Inject(MIKRO_ORM) private readonly orm: MikroORM) {}

  task(tenantId: string, taskId: string): Promise<TaskFact | undefined> {
    return withTenantScope(this.orm, tenantId, async (tx) => {
      const [row] = await tx.query<{ name: string; due_at: Date | string | null; priority: string; status: string; assignee_id: string | null; template_key: string; lead_id: string | null }>(
        'SELECT name, due_at, priority, status, assignee_id, template_key, lead_id FROM task_facts WHERE tenant_id = $1 AND task_id = $2',
        [tenantId, taskId],
      );
      // The driver may hand a timestamptz back as text: the fact holds a Date either way.
      return row && { taskId, name: row.name, dueAt: row.due_at === null ? null : new Date(row.due_at), priority: row.priority, status: row.status, assigneeId: row.assignee_id, templateKey: row.template_key, leadId: row.lead_id };
    });
  }

  lead(tenantId: string, leadId: string): Promise<LeadFact | undefined> {
    return withTenantScope(this.orm, tenantId, async (tx) => {
      const [row] = await tx.query<{ owner_id: string | null; contact_id: string }>('SELECT owner_id, contact_id FROM lead_facts WHERE tenant_id = $1 AND lead_id = $2', [tenantId, leadId]);
      return row && { ownerId: row.owner_id, contactId: row.contact_id };
    });
  }

  /** The contact's name as a message shows it ("Ada Lovelace"). */
  contactName(tenantId: string, contactId: string): Promise<string | undefined> {
    return withTenantScope(this.orm, tenantId, async (tx) => {
      const [row] = await tx.query<{ first_name: string; last_name: string }>('SELECT first_name, last_name FROM contact_facts WHERE tenant_id = $1 AND contact_id = $2', [tenantId, contactId]);
      return row && [row.first_name, row.last_name].filter((part) => part !== '').join(' ');
    });
  }

  tenant(tenantId: string): Promise<{ readonly name: string; readonly timezone: string } | undefined> {
    return withTenantScope(this.orm, tenantId, async (tx) => {
      const [row] = await tx.query<{ name: string; timezone: string }>('SELECT name, timezone FROM tenant_facts WHERE tenant_id = $1', [tenantId]);
      return row;
    });
  }

  recipient(tenantId: string, userId: string): Promise<RecipientFact | undefined> {
    return withTenantScope(this.orm, tenantId, async (tx) => {
      const [row] = await tx.query<{ name: string; email: string; timezone: string; role: string; active: boolean }>(
        'SELECT name, email, timezone, role, active FROM recipients WHERE tenant_id = $1 AND user_id = $2',
        [tenantId, userId],
      );
      return row && { userId, ...row };
    });
  }

  /** The active users with a role, by user id. */
  activeWithRole(tenantId: string, role: string): Promise<string[]> {
    return withTenantScope(this.orm, tenantId, async (tx) => {
      const rows = await tx.query<{ user_id: string }>('SELECT user_id FROM recipients WHERE tenant_id = $1 AND role = $2 AND active ORDER BY user_id', [tenantId, role]);
      return rows.map((r) => r.user_id);
    });
  }
}
