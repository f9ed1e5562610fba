import fc from 'fast-check';
import { Violations } from '@projectflo/platform/core';
import { add, allocate, formatMoney, lineAmount, money, parseMoney, parseQuantity, percentOf, sum } from './money';

describe('money', () => {
  it('rounds a line once, half away from zero, to the minor unit', () => {
    expect(lineAmount(money(1999, 'USD'), '1.5')).toEqual(money(2999, 'USD')); // 29.985 → 29.99
    expect(lineAmount(money(-1999, 'USD'), '1.5')).toEqual(money(-2999, 'USD'));
    expect(lineAmount(money(333, 'USD'), '3')).toEqual(money(999, 'USD'));
    expect(lineAmount(money(1000, 'JPY'), '0.125')).toEqual(money(125, 'JPY'));
    expect(percentOf(money(1005, 'USD'), '10')).toEqual(money(101, 'USD')); // 1.005 → 1.01
    expect(percentOf(money(12345, 'USD'), '12.5')).toEqual(money(1543, 'USD')); // 15.43125
  });

  it('reads decimal amounts exactly and refuses more precision than the currency allows', () => {
    const v = new Violations();
    expect(parseMoney(v, 'price', '1250.50', 'USD')).toEqual(money(125050, 'USD'));
    expect(parseMoney(v, 'price', '7', 'JPY')).toEqual(money(7, 'JPY'));
    expect(parseMoney(v, 'price', '1.234', 'KWD')).toEqual(money(1234, 'KWD'));
    expect(v.count).toBe(0);
    expect(parseMoney(v, 'price', '0.001', 'USD')).toBeNull();
    expect(parseMoney(v, 'fee', '1.5', 'JPY')).toBeNull();
    expect(parseMoney(v, 'neg', '-1', 'USD')).toBeNull();
    expect(parseMoney(v, 'ccy', '1', 'XXQ')).toBeNull();
    expect(parseMoney(v, 'nan', 'abc', 'USD')).toBeNull();
    expect(v.count).toBe(5);
    expect(formatMoney(money(125050, 'USD'))).toBe('1250.50');
  });

  it('refuses negative, zero and over-precise quantities', () => {
    const v = new Violations();
    expect(parseQuantity(v, 'q', '01.500')).toBe('1.5');
    expect(parseQuantity(v, 'q', '-1')).toBeNull();
    expect(parseQuantity(v, 'q', '0')).toBeNull();
    expect(parseQuantity(v, 'q', '0', { min: 'zero' })).toBe('0');
    expect(parseQuantity(v, 'q', '1.2345')).toBeNull();
    expect(v.count).toBe(3);
  });

  it('allocates every cent: parts add up to the whole, leftovers to the first parts', () => {
    expect(allocate(money(100, 'USD'), [1, 1, 1])).toEqual([money(34, 'USD'), money(33, 'USD'), money(33, 'USD')]);
    expect(allocate(money(100003, 'USD'), [30, 70])).toEqual([money(30000, 'USD'), money(70003, 'USD')]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 12 }), (cents, ratios) => {
        const parts = allocate(money(cents, 'EUR'), ratios);
        expect(sum(parts, 'EUR')).toEqual(money(cents, 'EUR'));
        expect(parts.every((p) => p.amountMinor >= 0)).toBe(true);
      }),
    );
  });

  it('refuses to mix currencies', () => {
    expect(() => add(money(1, 'USD'), money(1, 'EUR'))).toThrow(/USD with EUR/);
  });
});
