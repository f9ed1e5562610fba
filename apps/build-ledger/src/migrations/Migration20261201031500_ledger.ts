import { Migration } from '@mikro-orm/migrations';
import { rowLevelSecuritySql } from '@projectflo/platform/persistence';

/**
 * The ledger's read model (ledger/): one row per build ledger (the folded state and the journal's
 * figures), its invoices and payments, and one row per journal posting. Money is bigint minor units;
 * calendar dates are YYYY-MM-DD text (compared as text, which orders them). Tenant isolation by
 * row-level security, read through withTenantScope.
 */
export class Migration20261201031500_ledger extends Migration {
  override async up(): Promise<void> {
    const schema = this.config.get('schema');
    if (!schema) throw new Error('migrations run with a service schema');
    this.addSql(`CREATE TABLE ledger_views (
      build_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      version integer NOT NULL,
      currency text,
      customer_cash_minor bigint NOT NULL,
      figures jsonb NOT NULL,
      state jsonb NOT NULL,
      updated_at text NOT NULL
    )`);
    this.addSql(`CREATE TABLE ledger_invoices (
      invoice_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      build_id text NOT NULL,
      invoice_number text,
      number integer,
      status text NOT NULL CHECK (status IN ('draft', 'issued', 'partially_paid', 'paid', 'void', 'uncollectible')),
      currency text NOT NULL,
      subtotal_minor bigint NOT NULL,
      tax_minor bigint NOT NULL,
      total_minor bigint NOT NULL,
      credited_minor bigint NOT NULL,
      paid_minor bigint NOT NULL,
      written_off_minor bigint NOT NULL,
      amount_due_minor bigint NOT NULL CHECK (amount_due_minor >= 0),
      issue_date text,
      due_date text NOT NULL,
      schedule_part_id text,
      tax_rate_percent text,
      lines jsonb NOT NULL
    )`);
    this.addSql('CREATE UNIQUE INDEX ledger_invoices_number_idx ON ledger_invoices (tenant_id, number) WHERE number IS NOT NULL');
    this.addSql('CREATE INDEX ledger_invoices_build_idx ON ledger_invoices (tenant_id, build_id, invoice_id)');
    this.addSql('CREATE INDEX ledger_invoices_open_idx ON ledger_invoices (tenant_id, due_date) WHERE amount_due_minor > 0');
    this.addSql(`CREATE TABLE ledger_payments (
      payment_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      build_id text NOT NULL,
      invoice_id text NOT NULL,
      external_transaction_id text NOT NULL,
      method text NOT NULL,
      status text NOT NULL,
      currency text NOT NULL,
      amount_minor bigint NOT NULL,
      applied_minor bigint NOT NULL,
      credit_minor bigint NOT NULL,
      refunded_minor bigint NOT NULL,
      effective_date text NOT NULL,
      expires_at text
    )`);
    this.addSql('CREATE INDEX ledger_payments_build_idx ON ledger_payments (tenant_id, build_id)');
    this.addSql(`CREATE TABLE ledger_journal_lines (
      entry_id text NOT NULL,
      line_no integer NOT NULL,
      tenant_id text NOT NULL,
      build_id text NOT NULL,
      kind text NOT NULL,
      account text NOT NULL,
      side text NOT NULL CHECK (side IN ('debit', 'credit')),
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency text NOT NULL,
      effective_date text NOT NULL,
      recorded_at text NOT NULL,
      memo text NOT NULL,
      PRIMARY KEY (entry_id, line_no)
    )`);
    this.addSql('CREATE INDEX ledger_journal_lines_build_idx ON ledger_journal_lines (tenant_id, build_id, entry_id, line_no)');
    for (const table of ['ledger_views', 'ledger_invoices', 'ledger_payments', 'ledger_journal_lines']) {
      for (const statement of rowLevelSecuritySql(schema, table)) this.addSql(statement);
    }
  }
}
