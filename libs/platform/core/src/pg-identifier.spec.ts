import { assertIdentifier, qualifiedTable } from './pg-identifier';

describe('identifiers interpolated into DDL', () => {
  it('quotes plain lower-case names', () => {
    expect(qualifiedTable('crm', 'lead_views')).toBe('"crm"."lead_views"');
  });

  it.each(['Leads', 'lead views', 'x"; DROP TABLE y; --', '', '1abc', 'a'.repeat(64)])('rejects %j', (name) => {
    expect(() => assertIdentifier(name)).toThrow(/invalid identifier/);
  });
});
