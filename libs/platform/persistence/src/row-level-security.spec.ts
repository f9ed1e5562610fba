import { rowLevelSecuritySql } from './row-level-security';

describe('rowLevelSecuritySql', () => {
  const sql = rowLevelSecuritySql('crm', 'lead_views');

  it('enables and forces RLS with a policy on the transaction tenant setting, and grants nothing', () => {
    expect(sql).toContain('ALTER TABLE "crm"."lead_views" ENABLE ROW LEVEL SECURITY');
    expect(sql).toContain('ALTER TABLE "crm"."lead_views" FORCE ROW LEVEL SECURITY');
    expect(sql.map((s) => s.replace(/\s+/g, ' '))).toContain(
      `CREATE POLICY "tenant_isolation" ON "crm"."lead_views" USING ("tenant_id" = current_setting('app.tenant_id', true))`,
    );
    expect(sql.some((s) => /GRANT/.test(s))).toBe(false);
  });

  it('refuses a hostile table name', () => {
    expect(() => rowLevelSecuritySql('crm', 'leads; DROP')).toThrow(/invalid table/);
  });
});
