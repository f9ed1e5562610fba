import { deciderSpecification, DomainError, DomainErrorCode } from '@projectflo/platform/core';
import { meta, NOW, TENANT } from './ledger.fixtures';
import { taxRatePercent, taxRatesDecider, type TaxRatesEvent } from './tax-rates.decider';

const spec = deciderSpecification(taxRatesDecider);
const set = (rates: { code: string; name: string; percent: string }[]) => ({ type: 'SetTaxRates' as const, data: { rates }, metadata: meta() });
const standard = { code: 'standard', name: 'Sales tax', percent: '8.25' };
const setEvent = (rates: { code: string; name: string; percent: string }[]): TaxRatesEvent => ({ type: 'TaxRatesSet', data: { tenantId: TENANT, rates, setBy: 'user-ann', setAt: NOW.toISOString() } });

describe('tax rates', () => {
  it('sets the tenant\'s rates with normalized percentages, and refuses setting the same again', () => {
    spec.given([]).when(set([{ ...standard, percent: '8.250' }, { code: 'reduced', name: ' Reduced ', percent: '05' }])).then([setEvent([standard, { code: 'reduced', name: 'Reduced', percent: '5' }])]);
    spec.given([setEvent([standard])]).when(set([standard])).thenThrows(DomainErrorCode.FailedPrecondition);
  });

  it('refuses bad codes, duplicates and percentages out of range, naming each', () => {
    spec
      .given([])
      .when(set([standard, { ...standard, name: 'Again' }, { code: 'Bad Code', name: 'x', percent: '101' }]))
      .thenThrows(DomainErrorCode.InvalidArgument, ['rates[1].code', 'rates[2].code', 'rates[2].percent']);
  });

  it('gives a rate\'s percentage by code, or INVALID_ARGUMENT naming the field', () => {
    const state = taxRatesDecider.evolve(taxRatesDecider.initialState(), setEvent([standard]));
    expect(taxRatePercent(state, 'standard', 'taxRateCode')).toBe('8.25');
    expect(() => taxRatePercent(state, 'luxury', 'taxRateCode')).toThrow(DomainError);
  });
});
