import * as currencies from 'dinero.js';
import {
  add as dineroAdd,
  allocate as dineroAllocate,
  dinero,
  halfAwayFromZero,
  multiply as dineroMultiply,
  subtract as dineroSubtract,
  toDecimal,
  toSnapshot,
  transformScale,
  type DineroCurrency,
  type Dinero,
} from 'dinero.js';
import { DomainError, type Violations } from '@projectflo/platform/core';

/*
 * Money in build-ledger: integer minor units with an ISO 4217 code, in events and read models;
 * arithmetic through dinero.js v2 so scales, currency exponents and allocations are the library's.
 *
 * Rounding rule (stated once, used everywhere): a line's amount (unit price × quantity, or a
 * percentage of an amount) is computed exactly and rounded ONCE, to the currency's minor unit,
 * half away from zero. Totals are sums of already rounded lines, so a total always equals the sum
 * of the lines a customer sees. Allocation (splitting an amount into parts by ratio) never rounds:
 * dinero.js gives every part its floor share and hands the leftover minor units out one at a time
 * to the parts with the largest ratio first (among equal ratios, the earlier part first), so the
 * parts always add up to the whole exactly: 1000.03 at 30/70 → 300.00 / 700.03; 1.00 in three →
 * 0.34 / 0.33 / 0.33.
 */

/** An amount of money: integer minor units (cents) and its ISO 4217 currency code. Plain data: safe in events. */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

/** Largest number of minor units one amount may hold (well inside Number.MAX_SAFE_INTEGER and Postgres bigint). */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000_000;

/** Decimal places a quantity may have (1.5 hours, 2.25 units). */
export const QUANTITY_SCALE = 3;

const QUANTITY_PATTERN = /^\d{1,9}(\.\d{1,3})?$/;
const PERCENT_PATTERN = /^\d{1,3}(\.\d{1,4})?$/;

/** The dinero.js currency for an ISO 4217 code, or undefined when the code is not one. */
export function currencyFor(code: string): DineroCurrency<number> | undefined {
  if (!/^[A-Z]{3}$/.test(code)) return undefined;
  const candidate = (currencies as unknown as Record<string, unknown>)[code];
  return isCurrency(candidate) ? candidate : undefined;
}

function isCurrency(value: unknown): value is DineroCurrency<number> {
  return typeof value === 'object' && value !== null && 'code' in value && 'exponent' in value && 'base' in value;
}

function currencyOrThrow(code: string): DineroCurrency<number> {
  const currency = currencyFor(code);
  if (!currency) throw DomainError.invalid([{ field: 'currency', description: 'must be an ISO 4217 currency code' }]);
  return currency;
}

function toDinero(m: Money): Dinero<number> {
  return dinero({ amount: m.amountMinor, currency: currencyOrThrow(m.currency) });
}

function fromDinero(d: Dinero<number>): Money {
  const exponent = toSnapshot(d).currency.exponent;
  const snapshot = toSnapshot(transformScale(d, exponent, halfAwayFromZero));
  const amountMinor = snapshot.amount;
  if (!Number.isSafeInteger(amountMinor) || Math.abs(amountMinor) > MAX_AMOUNT_MINOR) {
    throw DomainError.invalid([{ field: 'amount', description: `must be at most ${MAX_AMOUNT_MINOR} minor units` }]);
  }
  return { amountMinor, currency: snapshot.currency.code };
}

/** Money from minor units; throws when the amount is not a safe integer or the code is unknown. */
export function money(amountMinor: number, currency: string): Money {
  currencyOrThrow(currency);
  if (!Number.isSafeInteger(amountMinor) || Math.abs(amountMinor) > MAX_AMOUNT_MINOR) {
    throw DomainError.invalid([{ field: 'amount', description: `must be a whole number of minor units, at most ${MAX_AMOUNT_MINOR}` }]);
  }
  return { amountMinor, currency };
}

/** Zero in a currency. */
export const zero = (currency: string): Money => money(0, currency);

/**
 * Money from a decimal string in major units ("1250.50" USD → 125050), checked into `violations`
 * under `field`: a number with at most the currency's exponent of decimal places ("0.001" USD is
 * refused: more precision than the currency allows), optionally negative when `allowNegative`.
 * Returns null when it added a violation.
 */
export function parseMoney(
  violations: Violations,
  field: string,
  value: unknown,
  currency: string,
  options: { readonly allowNegative?: boolean } = {},
): Money | null {
  const ccy = currencyFor(currency);
  if (!ccy) {
    violations.add(`${field}.currency`, 'must be an ISO 4217 currency code');
    return null;
  }
  if (typeof value !== 'string' || !/^-?\d{1,16}(\.\d+)?$/.test(value.trim())) {
    violations.add(field, 'must be a decimal amount such as 1250.50');
    return null;
  }
  const text = value.trim();
  const negative = text.startsWith('-');
  if (negative && !options.allowNegative) {
    violations.add(field, 'must not be negative');
    return null;
  }
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  if (fraction.length > ccy.exponent) {
    violations.add(field, `must have at most ${ccy.exponent} decimal places for ${currency}`);
    return null;
  }
  const minor = Number(whole + fraction.padEnd(ccy.exponent, '0'));
  if (!Number.isSafeInteger(minor) || minor > MAX_AMOUNT_MINOR) {
    violations.add(field, 'is too large');
    return null;
  }
  return { amountMinor: negative && minor !== 0 ? -minor : minor, currency };
}

/** The amount as a decimal string in major units ("1250.50"); exact. */
export function formatMoney(m: Money): string {
  return toDecimal(toDinero(m));
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw DomainError.invalid([{ field: 'currency', description: `cannot combine ${a.currency} with ${b.currency}` }]);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return fromDinero(dineroAdd(toDinero(a), toDinero(b)));
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return fromDinero(dineroSubtract(toDinero(a), toDinero(b)));
}

/** The sum of amounts of one currency (zero in `currency` when empty). */
export function sum(amounts: readonly Money[], currency: string): Money {
  return amounts.reduce((total, m) => add(total, m), zero(currency));
}

export const isZero = (m: Money): boolean => m.amountMinor === 0;
export const isNegative = (m: Money): boolean => m.amountMinor < 0;
export const equals = (a: Money, b: Money): boolean => a.currency === b.currency && a.amountMinor === b.amountMinor;

/** -1, 0 or 1; both amounts in one currency. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

/** A decimal string as a dinero.js scaled amount ("1.5" → { amount: 15, scale: 1 }). */
function scaled(decimal: string): { amount: number; scale: number } {
  const [whole, fraction = ''] = decimal.split('.');
  return { amount: Number(whole + fraction), scale: fraction.length };
}

/** Checks a quantity ("3", "1.5": non-negative, at most 3 decimal places, below a billion); null when invalid. */
export function parseQuantity(violations: Violations, field: string, value: unknown, options: { readonly min?: 'zero' | 'positive' } = {}): string | null {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !QUANTITY_PATTERN.test(text.trim())) {
    violations.add(field, text !== undefined && /^-/.test(String(text)) ? 'must not be negative' : 'must be a number with at most 3 decimal places, such as 1.5');
    return null;
  }
  const normal = normalizeDecimal(text.trim());
  if ((options.min ?? 'positive') === 'positive' && Number(normal) === 0) {
    violations.add(field, 'must be greater than 0');
    return null;
  }
  return normal;
}

/** Checks a percentage ("10", "12.5": 0..100, at most 4 decimal places); null when invalid. */
export function parsePercent(violations: Violations, field: string, value: unknown): string | null {
  if (typeof value !== 'string' || !PERCENT_PATTERN.test(value.trim()) || Number(value) > 100) {
    violations.add(field, 'must be a percentage from 0 to 100 with at most 4 decimal places');
    return null;
  }
  return normalizeDecimal(value.trim());
}

/** "01.500" → "1.5", "2.0" → "2": one spelling per number, so equal quantities are equal strings. */
export function normalizeDecimal(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const w = whole.replace(/^0+(?=\d)/, '');
  const f = fraction.replace(/0+$/, '');
  return f ? `${w}.${f}` : w;
}

/** unit price × quantity, rounded once to the minor unit, half away from zero (the line rule). */
export function lineAmount(unitPrice: Money, quantity: string): Money {
  return fromDinero(dineroMultiply(toDinero(unitPrice), scaled(quantity)));
}

/** `percent` % of an amount, rounded once to the minor unit, half away from zero. */
export function percentOf(m: Money, percent: string): Money {
  const p = scaled(percent);
  return fromDinero(dineroMultiply(toDinero(m), { amount: p.amount, scale: p.scale + 2 }));
}

/**
 * Splits an amount by integer ratios (e.g. [30, 70]); the parts add up to the whole exactly. The
 * leftover minor units go one each to the largest ratios first, ties to the earlier part (dinero.js' rule).
 */
export function allocate(m: Money, ratios: readonly number[]): Money[] {
  if (ratios.length === 0) return [];
  return dineroAllocate(toDinero(m), [...ratios]).map((part) => fromDinero(part));
}
