import { assertNever, type Command, defineDecider, DomainError, Violations } from '@projectflo/platform/core';
import { parsePercent } from '../money/money';

/**
 * A tenant's tax rates (one stream per tenant, `tax-rates-<tenant>`): named rates an invoice draft
 * refers to by code ("standard" 8.25 %, "reduced" 5 %). The draft captures the rate's percentage
 * when it is priced, so changing a rate never changes an invoice already drafted or issued.
 */
export const TAX_RATE_LIMITS = { rates: 20, code: 32, name: 100 } as const;

export interface TaxRate {
  readonly code: string;
  readonly name: string;
  /** Percent, 0..100 with at most 4 decimals, normalized ("8.25"). */
  readonly percent: string;
}

export interface TaxRatesState {
  readonly rates: readonly TaxRate[];
}

export type SetTaxRates = Command<'SetTaxRates', { readonly rates: readonly TaxRate[] }>;
export type TaxRatesEvent = { type: 'TaxRatesSet'; data: { tenantId: string; rates: readonly TaxRate[]; setBy: string; setAt: string } };

const CODE = /^[a-z0-9][a-z0-9_-]*$/;

export const taxRatesDecider = defineDecider({
  aggregate: 'tax rates',
  schemaVersions: { TaxRatesSet: 1 },
  initialState: (): TaxRatesState => ({ rates: [] }),
  evolve: (_state: TaxRatesState, event: TaxRatesEvent): TaxRatesState => {
    switch (event.type) {
      case 'TaxRatesSet':
        return { rates: event.data.rates };
      default:
        return assertNever(event.type, 'tax rates event');
    }
  },
  decide: (command: SetTaxRates, state: TaxRatesState): TaxRatesEvent[] => {
    switch (command.type) {
      case 'SetTaxRates': {
        const v = new Violations();
        if (command.data.rates.length > TAX_RATE_LIMITS.rates) v.add('rates', `must have at most ${TAX_RATE_LIMITS.rates} rates`);
        const seen = new Set<string>();
        const rates = command.data.rates.map((r, i) => {
          const code = v.text(`rates[${i}].code`, r.code, { max: TAX_RATE_LIMITS.code, required: true, trim: false, pattern: CODE, patternDescription: 'must be lower-case letters, digits, _ and -' });
          if (seen.has(code)) v.add(`rates[${i}].code`, 'is a duplicate');
          seen.add(code);
          const name = v.text(`rates[${i}].name`, r.name, { max: TAX_RATE_LIMITS.name, required: true });
          const percent = parsePercent(v, `rates[${i}].percent`, r.percent) ?? '0';
          return { code, name, percent };
        });
        v.throwIfAny();
        if (JSON.stringify(rates) === JSON.stringify(state.rates.map(({ code, name, percent }) => ({ code, name, percent })))) {
          throw DomainError.precondition('the tenant already has exactly these tax rates');
        }
        return [{ type: 'TaxRatesSet', data: { tenantId: command.metadata.tenantId, rates, setBy: command.metadata.actorId, setAt: command.metadata.now.toISOString() } }];
      }
      default:
        return assertNever(command.type, 'tax rates command');
    }
  },
});

/** The percentage of the tenant's rate `code`, or INVALID_ARGUMENT naming `field` when the tenant has none by that code. */
export function taxRatePercent(state: TaxRatesState, code: string, field: string): string {
  const rate = state.rates.find((r) => r.code === code);
  if (!rate) throw DomainError.invalid({ field, description: `is not one of the tenant's tax rates (${state.rates.map((r) => r.code).join(', ') || 'none set'})` });
  return rate.percent;
}
