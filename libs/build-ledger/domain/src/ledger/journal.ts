import { DomainError } from '@projectflo/platform/core';
import { type Money } from '../money/money';

/**
 * The double-entry journal behind every invoice, payment, refund and expense of a build.
 *
 * Accounts (one set per build and currency; the build is the customer's project):
 * - receivables      asset: what the customer owes on issued invoices
 * - cash             asset: money received less money paid out (refunds, expenses)
 * - revenue          income: invoiced work, net of credit notes
 * - tax_payable      liability: tax invoiced, owed to the authority
 * - customer_credit  liability: money the customer paid beyond what was due (overpayments, credit notes)
 * - expenses         expense: project expenses and invoices written off as uncollectible
 *
 * Every entry balances (per currency, Σ debits = Σ credits) by construction: `journalEntry` refuses an
 * unbalanced one, so an event can only ever carry a balanced entry. A build's total paid, balance due,
 * customer credit and profitability are read off `accountBalances` of its entries, never stored twice.
 */
export const ACCOUNTS = ['receivables', 'cash', 'revenue', 'tax_payable', 'customer_credit', 'expenses'] as const;
export type Account = (typeof ACCOUNTS)[number];

/** Accounts whose balance is naturally a debit (assets, expenses); the others are credits. */
const DEBIT_NORMAL: ReadonlySet<Account> = new Set<Account>(['receivables', 'cash', 'expenses']);

export interface Posting {
  readonly account: Account;
  readonly side: 'debit' | 'credit';
  /** Positive minor units. */
  readonly amountMinor: number;
}

/** What an entry records: expense entries move cash that is not the customer's (profitability, not total paid). */
export const ENTRY_KINDS = ['invoice', 'credit_note', 'payment', 'refund', 'credit_applied', 'write_off', 'void', 'reversal', 'expense'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export interface JournalEntry {
  /** Unique within the build's ledger: derived from the event that carries it. */
  readonly entryId: string;
  readonly kind: EntryKind;
  readonly currency: string;
  /** The business date the money moved (a cheque recorded a week late keeps the cheque's date). */
  readonly effectiveDate: string;
  /** When the entry was recorded (the command's clock). */
  readonly recordedAt: string;
  readonly memo: string;
  readonly postings: readonly Posting[];
}

export const debit = (account: Account, amount: Money): Posting => ({ account, side: 'debit', amountMinor: amount.amountMinor });
export const credit = (account: Account, amount: Money): Posting => ({ account, side: 'credit', amountMinor: amount.amountMinor });

/**
 * A balanced journal entry: zero postings are dropped, same-account same-side postings kept as given;
 * throws when a posting is negative or not whole, when debits differ from credits, or when nothing is
 * left to post (an entry always moves money).
 */
export function journalEntry(input: Omit<JournalEntry, 'postings'> & { readonly postings: readonly Posting[] }): JournalEntry {
  const postings = input.postings.filter((p) => p.amountMinor !== 0);
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amountMinor) || p.amountMinor < 0) throw new Error(`journal entry ${input.entryId}: posting to ${p.account} is not a positive whole amount`);
  }
  const { debits, credits } = sides(postings);
  if (debits !== credits) throw new Error(`journal entry ${input.entryId} does not balance: debits ${debits}, credits ${credits}`);
  if (postings.length === 0) throw new Error(`journal entry ${input.entryId} posts nothing`);
  return { ...input, postings };
}

/** The sum of an entry's debits and of its credits. */
export function sides(postings: readonly Posting[]): { debits: number; credits: number } {
  let debits = 0;
  let credits = 0;
  for (const p of postings) {
    if (p.side === 'debit') debits += p.amountMinor;
    else credits += p.amountMinor;
  }
  return { debits, credits };
}

/** The entry that undoes `entry` exactly: every posting on the other side (a correction, never an edit). */
export function reversalOf(entry: JournalEntry, input: Pick<JournalEntry, 'entryId' | 'effectiveDate' | 'recordedAt' | 'memo'>): JournalEntry {
  return journalEntry({
    ...input,
    kind: entry.kind === 'expense' ? 'expense' : 'reversal',
    currency: entry.currency,
    postings: entry.postings.map((p) => ({ ...p, side: p.side === 'debit' ? 'credit' : 'debit' })),
  });
}

/** Each account's balance on its normal side (receivables as a debit, revenue as a credit), in minor units. */
export type AccountBalances = Readonly<Record<Account, number>>;

export const emptyBalances = (): Record<Account, number> => ({ receivables: 0, cash: 0, revenue: 0, tax_payable: 0, customer_credit: 0, expenses: 0 });

/** Adds one entry to balances (a new object). */
export function post(balances: AccountBalances, entry: JournalEntry): AccountBalances {
  const next = { ...balances };
  for (const p of entry.postings) {
    const sign = (p.side === 'debit') === DEBIT_NORMAL.has(p.account) ? 1 : -1;
    next[p.account] += sign * p.amountMinor;
  }
  return next;
}

/** The balances of a list of entries of one currency. */
export function accountBalances(entries: readonly JournalEntry[]): AccountBalances {
  return entries.reduce(post, emptyBalances());
}

/** Per currency, Σ debits − Σ credits over every entry: all zeros when the journal conserves money. */
export function trialBalance(entries: readonly JournalEntry[]): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const { debits, credits } = sides(e.postings);
    out[e.currency] = (out[e.currency] ?? 0) + debits - credits;
  }
  return out;
}

/** What the journal says about a build, in one currency. */
export interface LedgerFigures {
  /** Money the customer paid and kept paid: customer cash in, less refunds (expenses excluded). */
  readonly totalPaidMinor: number;
  /** Owed on issued invoices. */
  readonly balanceDueMinor: number;
  readonly customerCreditMinor: number;
  /** Revenue net of credit notes, tax excluded. */
  readonly revenueMinor: number;
  /** Project expenses and write-offs. */
  readonly expensesMinor: number;
  /** revenue − expenses. */
  readonly profitMinor: number;
  readonly taxPayableMinor: number;
  readonly cashMinor: number;
}

/** The customer's side of an entry's cash: what it moved in (+) or out (−), expenses excluded. */
export function customerCashOf(entry: JournalEntry): number {
  if (entry.kind === 'expense') return 0;
  let cash = 0;
  for (const p of entry.postings) if (p.account === 'cash') cash += p.side === 'debit' ? p.amountMinor : -p.amountMinor;
  return cash;
}

/** The figures of balances and the customer's cash (both folded from the same entries): the only place they are computed. */
export function figuresOf(balances: AccountBalances, customerCashMinor: number): LedgerFigures {
  return {
    totalPaidMinor: customerCashMinor,
    balanceDueMinor: balances.receivables,
    customerCreditMinor: balances.customer_credit,
    revenueMinor: balances.revenue,
    expensesMinor: balances.expenses,
    profitMinor: balances.revenue - balances.expenses,
    taxPayableMinor: balances.tax_payable,
    cashMinor: balances.cash,
  };
}

/** The figures of a build's journal (entries of one currency). */
export function ledgerFigures(entries: readonly JournalEntry[]): LedgerFigures {
  return figuresOf(accountBalances(entries), entries.reduce((s, e) => s + customerCashOf(e), 0));
}

/** Refuses money of another currency than the ledger's, naming the field. */
export function assertCurrency(field: string, amount: Money, currency: string): void {
  if (amount.currency !== currency) throw DomainError.invalid({ field, description: `must be in ${currency}, the build's currency` });
}
