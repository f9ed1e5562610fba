import { formatMoney, lineAmount, type Money, normalizeDecimal, subtract, sum, zero } from '../money/money';
import type { BuildConfiguration, ConfigurationChange, Discount } from './build.events';

/*
 * A build's price, line by line. Every line is unit price × quantity rounded once to the minor
 * unit, half away from zero (money.ts' line rule); the subtotal is the sum of the rounded lines and
 * the total the subtotal less the discounts of approved change orders, so every figure a customer
 * sees adds up exactly.
 *   coverage       rate × (operators × hours) for an hourly operator type, rate × operators for a fixed one
 *   deliverable    its base price × 1
 *   component      the style's rate per minute × target minutes when included (0 when excluded or the style has no rate)
 *   billable item  price × quantity (an editing style's requirement is a billable item line of its own)
 */

export type PriceLineKind = 'coverage' | 'deliverable' | 'component' | 'billable_item';

export interface PriceLine {
  readonly lineId: string;
  readonly kind: PriceLineKind;
  readonly description: string;
  readonly unitPrice: Money;
  readonly quantity: string;
  readonly amount: Money;
  /** How the amount came about, in words ("2 × 8 h at 150.00 USD per hour"). */
  readonly explanation: string;
}

export interface PriceBreakdown {
  readonly lines: readonly PriceLine[];
  readonly subtotal: Money;
  readonly discounts: readonly Discount[];
  readonly total: Money;
}

/** a × b of two non-negative decimals with at most 3 places each, exactly, as a normal decimal string. */
export function multiplyDecimals(a: string, b: string): string {
  const [aw, af = ''] = a.split('.');
  const [bw, bf = ''] = b.split('.');
  const product = BigInt(aw + af) * BigInt(bw + bf);
  const scale = af.length + bf.length;
  const digits = product.toString().padStart(scale + 1, '0');
  return normalizeDecimal(scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`);
}

const show = (m: Money) => `${formatMoney(m)} ${m.currency}`;

/** The priced lines of a configuration, in the order coverage, deliverables (each followed by its components), billable items. */
export function priceLines(config: BuildConfiguration, currency: string): PriceLine[] {
  const lines: PriceLine[] = [];
  for (const c of config.coverage) {
    const quantity = c.pricing === 'hourly' ? multiplyDecimals(String(c.quantity), c.hours ?? '0') : String(c.quantity);
    const explanation = c.pricing === 'hourly' ? `${c.quantity} × ${c.hours} h at ${show(c.rate)} per hour` : `${c.quantity} × ${show(c.rate)} fixed`;
    lines.push({ lineId: c.lineId, kind: 'coverage', description: `${c.operatorTypeName} · ${c.sceneName}`, unitPrice: c.rate, quantity, amount: lineAmount(c.rate, quantity), explanation });
  }
  for (const d of config.deliverables) {
    lines.push({ lineId: d.lineId, kind: 'deliverable', description: d.name, unitPrice: d.price, quantity: '1', amount: lineAmount(d.price, '1'), explanation: `base price ${show(d.price)}` });
    for (const k of config.components) {
      if (k.deliverableLineId !== d.lineId) continue;
      const description = `${k.deliverableName} · ${k.sceneName} · ${k.editingStyleName}`;
      if (!k.included || k.ratePerMinute === null) {
        const unit = k.ratePerMinute ?? zero(currency);
        const why = !k.included ? 'not included' : `${k.targetMinutes} min, priced in the deliverable`;
        lines.push({ lineId: k.lineId, kind: 'component', description, unitPrice: unit, quantity: '0', amount: zero(currency), explanation: why });
      } else {
        const quantity = String(k.targetMinutes);
        lines.push({
          lineId: k.lineId,
          kind: 'component',
          description,
          unitPrice: k.ratePerMinute,
          quantity,
          amount: lineAmount(k.ratePerMinute, quantity),
          explanation: `${k.targetMinutes} min at ${show(k.ratePerMinute)} per minute`,
        });
      }
    }
  }
  for (const i of config.items) {
    const why = i.origin.kind === 'style_requirement' ? ' (required by an editing style)' : '';
    lines.push({
      lineId: i.lineId,
      kind: 'billable_item',
      description: i.name,
      unitPrice: i.price,
      quantity: i.quantity,
      amount: lineAmount(i.price, i.quantity),
      explanation: `${i.quantity} × ${show(i.price)}${i.pricing === 'per_unit' ? ' per unit' : ''}${why}`,
    });
  }
  return lines;
}

/**
 * The amounts of the priced lines alone (no descriptions): what deciders and folds need, by the
 * same rule and in the same order as priceLines.
 */
export function lineAmountsOf(config: BuildConfiguration, currency: string): Money[] {
  const amounts: Money[] = [];
  for (const c of config.coverage) amounts.push(lineAmount(c.rate, c.pricing === 'hourly' ? multiplyDecimals(String(c.quantity), c.hours ?? '0') : String(c.quantity)));
  for (const d of config.deliverables) {
    amounts.push(lineAmount(d.price, '1'));
    for (const k of config.components) {
      if (k.deliverableLineId !== d.lineId) continue;
      amounts.push(k.included && k.ratePerMinute !== null ? lineAmount(k.ratePerMinute, String(k.targetMinutes)) : zero(currency));
    }
  }
  for (const i of config.items) amounts.push(lineAmount(i.price, i.quantity));
  return amounts;
}

/** The sum of the rounded lines. */
export const subtotalOf = (config: BuildConfiguration, currency: string): Money => sum(lineAmountsOf(config, currency), currency);

/** The subtotal less the discounts of approved change orders. */
export function totalOf(config: BuildConfiguration, currency: string, discounts: readonly Discount[] = []): Money {
  return subtract(
    subtotalOf(config, currency),
    sum(
      discounts.map((d) => d.amount),
      currency,
    ),
  );
}

/** The full breakdown: lines, subtotal, discounts and total. */
export function priceBuild(config: BuildConfiguration, currency: string, discounts: readonly Discount[] = []): PriceBreakdown {
  const lines = priceLines(config, currency);
  const subtotal = sum(
    lines.map((l) => l.amount),
    currency,
  );
  const total = subtract(
    subtotal,
    sum(
      discounts.map((d) => d.amount),
      currency,
    ),
  );
  return { lines, subtotal, discounts, total };
}

/** The configuration after one decided change. */
export function applyChange(config: BuildConfiguration, change: ConfigurationChange): BuildConfiguration {
  switch (change.op) {
    case 'add_coverage':
      return { ...config, coverage: [...config.coverage, change.line] };
    case 'remove_coverage':
      return { ...config, coverage: config.coverage.filter((l) => l.lineId !== change.lineId) };
    case 'add_deliverable':
      return {
        ...config,
        deliverables: [...config.deliverables, change.line],
        components: [...config.components, ...change.components],
        items: [...config.items, ...change.items],
      };
    case 'remove_deliverable':
      return {
        ...config,
        deliverables: config.deliverables.filter((l) => l.lineId !== change.lineId),
        components: config.components.filter((l) => l.deliverableLineId !== change.lineId),
      };
    case 'add_component':
      return { ...config, components: [...config.components, change.line], items: [...config.items, ...change.items] };
    case 'update_component':
      return {
        ...config,
        components: config.components.map((l) => (l.lineId === change.lineId ? { ...l, targetMinutes: change.targetMinutes, included: change.included } : l)),
      };
    case 'remove_component':
      return { ...config, components: config.components.filter((l) => l.lineId !== change.lineId) };
    case 'add_billable_item':
      return { ...config, items: [...config.items, change.line] };
    case 'update_billable_item':
      return { ...config, items: config.items.map((l) => (l.lineId === change.lineId ? { ...l, quantity: change.quantity, notes: change.notes } : l)) };
    case 'remove_billable_item':
      return { ...config, items: config.items.filter((l) => l.lineId !== change.lineId) };
  }
}

export const applyChanges = (config: BuildConfiguration, changes: readonly ConfigurationChange[]): BuildConfiguration => changes.reduce(applyChange, config);

export const EMPTY_CONFIGURATION: BuildConfiguration = { coverage: [], deliverables: [], components: [], items: [] };
