import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
  TypedSearchAttributes,
} from '@temporalio/common';

/**
 * The custom search attributes registered on every ProjectFlo namespace (scripts/infra.sh creates
 * them on the dev server; production namespaces must register the same names and types). They
 * are how operations staff find an automation in the Web UI, e.g. `TenantId = 't-1' AND LeadId = 'l-9'`.
 * Values are indexed unencrypted: ids only, never personal data.
 */
export const SearchAttributes = {
  TenantId: defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD),
  LeadId: defineSearchAttributeKey('LeadId', SearchAttributeType.KEYWORD),
  SubjectId: defineSearchAttributeKey('SubjectId', SearchAttributeType.KEYWORD),
  TaskId: defineSearchAttributeKey('TaskId', SearchAttributeType.KEYWORD),
  TemplateId: defineSearchAttributeKey('TemplateId', SearchAttributeType.KEYWORD),
  TriggerType: defineSearchAttributeKey('TriggerType', SearchAttributeType.KEYWORD),
  TemplateCount: defineSearchAttributeKey('TemplateCount', SearchAttributeType.INT),
} as const;

/** Every automation carries its tenant; the rest are set when the workflow is about one. */
export interface ProjectFloSearchAttributes {
  readonly tenantId: string;
  readonly leadId?: string;
  readonly subjectId?: string;
  readonly taskId?: string;
  readonly templateId?: string;
  readonly triggerType?: string;
  readonly templateCount?: number;
}

export function searchAttributePairs(attributes: ProjectFloSearchAttributes): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [{ key: SearchAttributes.TenantId, value: attributes.tenantId }];
  const keyword = (key: (typeof SearchAttributes)['LeadId'], value: string | undefined): void => {
    if (value !== undefined) pairs.push({ key, value });
  };
  keyword(SearchAttributes.LeadId, attributes.leadId);
  keyword(SearchAttributes.SubjectId, attributes.subjectId);
  keyword(SearchAttributes.TaskId, attributes.taskId);
  keyword(SearchAttributes.TemplateId, attributes.templateId);
  keyword(SearchAttributes.TriggerType, attributes.triggerType);
  if (attributes.templateCount !== undefined) {
    if (!Number.isInteger(attributes.templateCount)) throw new TypeError('templateCount must be an integer');
    pairs.push({ key: SearchAttributes.TemplateCount, value: attributes.templateCount });
  }
  return pairs;
}

/** For `typedSearchAttributes` in start options (client) or child workflow options (workflow code). */
export function buildSearchAttributes(attributes: ProjectFloSearchAttributes): TypedSearchAttributes {
  if (attributes.tenantId.length === 0) throw new TypeError('every workflow carries its tenant id');
  return new TypedSearchAttributes(searchAttributePairs(attributes));
}

/** A visibility query on tenant plus optional keys, quoting values safely for the list API. */
export function searchAttributeQuery(attributes: Partial<ProjectFloSearchAttributes>): string {
  const clauses: string[] = [];
  const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const add = (name: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    clauses.push(`${name} = ${typeof value === 'number' ? String(value) : quote(value)}`);
  };
  add('TenantId', attributes.tenantId);
  add('LeadId', attributes.leadId);
  add('SubjectId', attributes.subjectId);
  add('TaskId', attributes.taskId);
  add('TemplateId', attributes.templateId);
  add('TriggerType', attributes.triggerType);
  add('TemplateCount', attributes.templateCount);
  if (clauses.length === 0) throw new TypeError('a search needs at least one attribute');
  return clauses.join(' AND ');
}
