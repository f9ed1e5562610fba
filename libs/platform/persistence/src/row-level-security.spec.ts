import { rowLevelSecuritySql } from './row-level-security';

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
