import type { Prng } from './prng';

/**
 * What kind of id a field holds, from its name in the contracts: `toStatusId` and `leadStatusId`
 * are statuses, `assigneeIds` and `mentions` users, `dependsOn` template keys. Undefined for
 * fields that hold no reference.
 */
export function idKindOf(fieldName: string): string | undefined {
  const rules: readonly (readonly [RegExp, string])[] = [
    [/statusIds?$/i, 'status'],
    [/^(leadId|subjectId)$/, 'lead'],
    [/contactId$/, 'contact'],
    [/taskIds?$/i, 'task'],
    [/^templateId$/, 'template'],
    [/^(userId|assigneeIds?|mentions|authorId|changedBy|assignedBy|loggedBy|contributorId)$/, 'user'],
    [/^entryIds?$/, 'calendarEntry'],
    [/^(key|templateKey|parentKey|dependsOn)$/, 'templateKey'],
    [/^eventType$/, 'eventTypeKey'],
    [/^itemId$|^itemKey$/, 'item'],
    [/^(version|expectedVersion|leadVersion|taskVersion)$/, 'version'],
    [/^recipeId$/, 'recipe'],
    [/^buildId$/, 'build'],
    [/^changeOrderId$/, 'changeOrder'],
    [/^(lineId|deliverableLineId|removedLineIds)$/, 'buildLine'],
    [/^(sceneId|editingStyleId|operatorTypeId|billableItemId|deliverableId)$/, 'catalogItem'],
    [/^assignmentId$/, 'projectAssignment'],
    [/^invoiceId$/, 'invoice'],
    [/^paymentId$/, 'payment'],
    [/^expenseId$/, 'expense'],
  ];
  return rules.find(([pattern]) => pattern.test(fieldName))?.[1];
}

const MAX_PER_KIND = 200;

/**
 * The ids each fuzz tenant owns, harvested from the answers it got (and from its fixture), so
 * generated requests reach past "not found" into real aggregates — and, used under another
 * tenant's headers, probe tenant isolation.
 */
export class IdPool {
  private readonly byTenant = new Map<number, Map<string, string[]>>();

  /** Walks an answer (plain object, camelCase) and keeps every id-like string under its kind. */
  harvest(tenant: number, value: unknown, fieldName = ''): void {
    if (Array.isArray(value)) {
      for (const item of value) this.harvest(tenant, item, fieldName);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) this.harvest(tenant, child, key);
    } else if (typeof value === 'string' && value !== '') {
      const kind = idKindOf(fieldName);
      if (kind) this.add(tenant, kind, value);
    }
  }

  add(tenant: number, kind: string, id: string): void {
    let kinds = this.byTenant.get(tenant);
    if (!kinds) this.byTenant.set(tenant, (kinds = new Map()));
    let ids = kinds.get(kind);
    if (!ids) kinds.set(kind, (ids = []));
    if (ids.includes(id)) return;
    if (ids.length >= MAX_PER_KIND) ids.splice(0, 1);
    ids.push(id);
  }

  ids(tenant: number, kind: string): readonly string[] {
    return this.byTenant.get(tenant)?.get(kind) ?? [];
  }

  /** An id of `kind` owned by `tenant`, or (less often) by another tenant; undefined when none is known. */
  pick(prng: Prng, tenant: number, kind: string, foreignTenants: readonly number[]): { id: string; foreign: boolean } | undefined {
    const foreign = foreignTenants.length > 0 && prng.chance(0.15);
    const owner = foreign ? prng.pick(foreignTenants) : tenant;
    const ids = this.ids(owner, kind);
    return ids.length === 0 ? undefined : { id: prng.pick(ids), foreign };
  }
}
