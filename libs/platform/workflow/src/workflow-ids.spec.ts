import { InvalidWorkflowIdError, workflowId } from './workflow-ids';
import { buildSearchAttributes, SearchAttributes, searchAttributeQuery } from './search-attributes';

describe('workflowId', () => {
  it('joins business-key parts with slashes', () => {
    expect(workflowId('tasks', 't-1', 'lead-status', 'lead_9', 'evt:42')).toBe('tasks/t-1/lead-status/lead_9/evt:42');
  });

  it.each([
    ['a space', 'ada lovelace'],
    ['an email address', 'ada@example.com'],
    ['a slash', 'a/b'],
    ['an empty part', ''],
    ['non-ASCII letters', 'zoë'],
  ])('rejects %s', (_, part) => {
    expect(() => workflowId('tasks', part)).toThrow(InvalidWorkflowIdError);
  });

  it('rejects an id with no parts', () => {
    expect(() => workflowId()).toThrow(InvalidWorkflowIdError);
  });
});

describe('search attributes', () => {
  it('always carries the tenant and only the attributes given', () => {
    const attributes = buildSearchAttributes({ tenantId: 't-1', leadId: 'l-1', templateCount: 3 });
    expect(attributes.get(SearchAttributes.TenantId)).toBe('t-1');
    expect(attributes.get(SearchAttributes.LeadId)).toBe('l-1');
    expect(attributes.get(SearchAttributes.TemplateCount)).toBe(3);
    expect(attributes.get(SearchAttributes.TaskId)).toBeUndefined();
  });

  it('refuses a workflow without a tenant and a fractional count', () => {
    expect(() => buildSearchAttributes({ tenantId: '' })).toThrow(TypeError);
    expect(() => buildSearchAttributes({ tenantId: 't', templateCount: 1.5 })).toThrow(TypeError);
  });

  it('builds a visibility query with quoted values', () => {
    expect(searchAttributeQuery({ tenantId: "t'1", templateCount: 2 })).toBe("TenantId = 't\\'1' AND TemplateCount = 2");
  });
});
