import { assertIdentifier, qualifiedTable } from './pg-identifier';
import { rowLevelSecuritySql } from './row-level-security';

describe('identifiers interpolated into DDL', () => {
  it('quotes plain lower-case names', () => {
    expect(qualifiedTable('crm', 'lead_views')).toBe('"crm"."lead_views"');
  });

  it.each(['Leads', 'lead views', 'x"; DROP TABLE y; --', '', '1abc', 'a'.repeat(64)])('rejects %j', (name) => {
    expect(() => assertIdentifier(name)).toThrow(/invalid identifier/);
  });
});

describe('rowLevelSecuritySql', () => {
  const sql = rowLevelSecuritySql('crm', 'lead_views');

  it('enables RLS with a policy on the transaction tenant setting and grants the reader role SELECT only', () => {
    expect(sql).toContain('ALTER TABLE "crm"."lead_views" ENABLE ROW LEVEL SECURITY');
    expect(sql).toContain(`CREATE POLICY "tenant_isolation" ON "crm"."lead_views" USING ("tenant_id" = current_setting('app.tenant_id', true))`);
    expect(sql).toContain('GRANT SELECT ON "crm"."lead_views" TO "projectflo_app"');
    expect(sql.some((s) => /GRANT (INSERT|UPDATE|DELETE|ALL)/.test(s))).toBe(false);
  });

  it('refuses a hostile table name', () => {
    expect(() => rowLevelSecuritySql('crm', 'leads; DROP')).toThrow(/invalid table/);
  });
});
