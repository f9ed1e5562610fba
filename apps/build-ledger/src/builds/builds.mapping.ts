import { ledgerBuildsV1 } from '@projectflo/contracts';
import {
  BUILD_LIMITS,
  type BuildConfiguration,
  type BuildSnapshot,
  type BuildStatus,
  type ChangeRequest,
  type ComponentLine,
  type Discount,
  type ItemLine,
  type Money,
  type PriceBreakdown,
  type PriceLineKind,
} from '@projectflo/build-ledger/domain';
import { DomainError, DomainErrorCode } from '@projectflo/platform/core';
import { enumMapping, list, text, toTimestamp } from '@projectflo/platform/grpc';
import { z } from 'zod';
import { billableItemPricing, id, moneyToProto, operatorPricing, quantity } from '../catalog/catalog.mapping';
import type { BuildRow, BuildSnapshotRow, ChangeOrderRow } from './builds.entities';

/** Translations between the gRPC contract (builds.proto) and the build domain. */

export const buildStatus = enumMapping<ledgerBuildsV1.BuildStatus, BuildStatus>(ledgerBuildsV1.BuildStatus, {
  BUILD_STATUS_INQUIRY: 'inquiry',
  BUILD_STATUS_PROPOSAL_SENT: 'proposal_sent',
  BUILD_STATUS_BOOKED: 'booked',
  BUILD_STATUS_COMPLETED: 'completed',
  BUILD_STATUS_ARCHIVED: 'archived',
});

export const changeOrderStatus = enumMapping<ledgerBuildsV1.ChangeOrderStatus, ChangeOrderRow['status']>(ledgerBuildsV1.ChangeOrderStatus, {
  CHANGE_ORDER_STATUS_PENDING_APPROVAL: 'pending',
  CHANGE_ORDER_STATUS_APPROVED: 'approved',
  CHANGE_ORDER_STATUS_REJECTED: 'rejected',
});

export const discountKind = enumMapping<ledgerBuildsV1.DiscountKind, 'percent' | 'fixed'>(ledgerBuildsV1.DiscountKind, {
  DISCOUNT_KIND_PERCENT: 'percent',
  DISCOUNT_KIND_FIXED: 'fixed',
});

const priceLineKind = enumMapping<ledgerBuildsV1.PriceLineKind, PriceLineKind>(ledgerBuildsV1.PriceLineKind, {
  PRICE_LINE_KIND_COVERAGE: 'coverage',
  PRICE_LINE_KIND_DELIVERABLE: 'deliverable',
  PRICE_LINE_KIND_COMPONENT: 'component',
  PRICE_LINE_KIND_BILLABLE_ITEM: 'billable_item',
});

const notes = text(BUILD_LIMITS.notes);
const removeLine = z.object({ lineId: id }).nullish();
const CHANGE_SHAPES = {
  addCoverage: z.object({ sceneId: id, operatorTypeId: id, quantity: z.number().int(), hours: quantity }).nullish(),
  removeCoverage: removeLine,
  addDeliverable: z.object({ deliverableId: id }).nullish(),
  removeDeliverable: removeLine,
  addComponent: z.object({ deliverableLineId: id, sceneId: id, editingStyleId: id, targetMinutes: z.number().int(), included: z.boolean() }).nullish(),
  updateComponent: z.object({ lineId: id, targetMinutes: z.number().int(), included: z.boolean() }).nullish(),
  removeComponent: removeLine,
  addBillableItem: z.object({ billableItemId: id, quantity, notes }).nullish(),
  updateBillableItem: z.object({ lineId: id, quantity, notes }).nullish(),
  removeBillableItem: removeLine,
};
type ChangeField = keyof typeof CHANGE_SHAPES;
const CHANGE_FIELDS = Object.keys(CHANGE_SHAPES) as ChangeField[];
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A BuildChange: exactly one member of its oneof, as the domain's change request. */
const buildChange = z
  .object(CHANGE_SHAPES)
  .nullish()
  .superRefine((change, ctx) => {
    const set = CHANGE_FIELDS.filter((f) => change?.[f] != null);
    if (set.length !== 1) ctx.addIssue({ code: 'custom', message: `must set exactly one of ${CHANGE_FIELDS.map(snake).join(', ')}` });
  })
  .transform((change): ChangeRequest => {
    const field = CHANGE_FIELDS.find((f) => change?.[f] != null)!;
    const c = change![field]!;
    const op = snake(field) as ChangeRequest['op'];
    if (field === 'addCoverage') {
      const a = c as z.output<typeof CHANGE_SHAPES.addCoverage> & object;
      return { op: 'add_coverage', sceneId: a.sceneId, operatorTypeId: a.operatorTypeId, quantity: a.quantity, hours: a.hours === '' ? null : a.hours };
    }
    if (field === 'addBillableItem' || field === 'updateBillableItem') {
      const a = c as { notes: string };
      return { op, ...c, notes: a.notes === '' ? null : a.notes } as ChangeRequest;
    }
    return { op, ...c } as ChangeRequest;
  });

export const changesRequest = list(buildChange, BUILD_LIMITS.changes);

/** The decider names `changes[i].<field>`; the proto names the oneof member too (`changes[i].add_coverage.<field>`). */
export function withProtoChangeFields<T>(changes: readonly ChangeRequest[], action: () => Promise<T>): Promise<T> {
  return action().catch((error: unknown) => {
    if (!(error instanceof DomainError) || error.code !== DomainErrorCode.InvalidArgument) throw error;
    const renamed = error.fieldViolations.map((v) => {
      const match = /^changes\[(\d+)\]\.(.+)$/.exec(v.field);
      const change = match ? changes[Number(match[1])] : undefined;
      return match && change ? { ...v, field: `changes[${match[1]}].${change.op}.${match[2]}` } : v;
    });
    throw DomainError.invalid(renamed);
  });
}

const money = (m: Money | null | undefined) => (m ? moneyToProto(m) : undefined);

function componentToProto(c: ComponentLine): ledgerBuildsV1.ComponentLine {
  const { ratePerMinute, ...rest } = c;
  return { ...rest, ...(ratePerMinute ? { ratePerMinute: moneyToProto(ratePerMinute) } : {}) };
}

function itemToProto(i: ItemLine): ledgerBuildsV1.BillableItemLine {
  return {
    lineId: i.lineId,
    billableItemId: i.billableItemId,
    name: i.name,
    pricing: billableItemPricing.toProto(i.pricing),
    quantity: i.quantity,
    price: moneyToProto(i.price),
    notes: i.notes ?? '',
    requiredByEditingStyleId: i.origin.kind === 'style_requirement' ? i.origin.editingStyleId : '',
  };
}

export function configurationToProto(c: BuildConfiguration): ledgerBuildsV1.BuildConfiguration {
  return {
    coverage: c.coverage.map((l) => ({ ...l, pricing: operatorPricing.toProto(l.pricing), hours: l.hours ?? '', rate: moneyToProto(l.rate) })),
    deliverables: c.deliverables.map((d) => ({ ...d, price: moneyToProto(d.price) })),
    components: c.components.map(componentToProto),
    billableItems: c.items.map(itemToProto),
  };
}

export function discountToProto(d: Discount | (Omit<Discount, 'changeOrderId' | 'version'> & { changeOrderId?: string; version?: number })): ledgerBuildsV1.Discount {
  return { changeOrderId: d.changeOrderId ?? '', version: d.version ?? 0, kind: discountKind.toProto(d.kind), percent: d.percent ?? '', amount: moneyToProto(d.amount), reason: d.reason };
}

export function buildToProto(row: BuildRow): ledgerBuildsV1.Build {
  const s = row.state;
  return {
    buildId: row.buildId,
    leadId: s.leadId ?? '',
    clientId: s.clientId ?? '',
    projectId: s.projectId ?? '',
    name: s.name,
    status: buildStatus.toProto(s.status ?? 'inquiry'),
    currency: s.currency,
    eventDate: s.eventDate ?? '',
    quoteExpiresOn: s.quoteExpiresOn ?? '',
    configurationVersion: s.version,
    configurationLocked: s.lockedAt !== null,
    livePrice: moneyToProto({ amountMinor: row.livePriceMinor, currency: row.currency }),
    ...(s.approvedTotal ? { approvedPrice: moneyToProto(s.approvedTotal) } : {}),
    configuration: configurationToProto(s.configuration),
    discounts: s.discounts.map(discountToProto),
    pendingChangeOrders: Object.values(s.changeOrders).filter((c) => c.status === 'pending').length,
    createdAt: toTimestamp(row.createdAt),
    updatedAt: toTimestamp(row.updatedAt),
    ...(row.bookedAt ? { bookedAt: toTimestamp(row.bookedAt) } : {}),
    version: String(row.version),
  };
}

/** A change order: what it adds, removes and changes (updated lines as they will be, from the build's configuration). */
export function changeOrderToProto(row: ChangeOrderRow, configuration: BuildConfiguration): ledgerBuildsV1.ChangeOrder {
  const added: { coverage: BuildConfiguration['coverage'][number][]; deliverables: BuildConfiguration['deliverables'][number][]; components: ComponentLine[]; items: ItemLine[] } = {
    coverage: [],
    deliverables: [],
    components: [],
    items: [],
  };
  const removedLineIds: string[] = [];
  const updatedComponents: ComponentLine[] = [];
  const updatedItems: ItemLine[] = [];
  const addedComponents = () => [...configuration.components, ...added.components];
  const addedItems = () => [...configuration.items, ...added.items];
  for (const change of row.changes) {
    switch (change.op) {
      case 'add_coverage':
        added.coverage.push(change.line);
        break;
      case 'add_deliverable':
        added.deliverables.push(change.line);
        added.components.push(...change.components);
        added.items.push(...change.items);
        break;
      case 'add_component':
        added.components.push(change.line);
        added.items.push(...change.items);
        break;
      case 'add_billable_item':
        added.items.push(change.line);
        break;
      case 'update_component': {
        const line = addedComponents().find((l) => l.lineId === change.lineId);
        if (line) updatedComponents.push({ ...line, targetMinutes: change.targetMinutes, included: change.included });
        break;
      }
      case 'update_billable_item': {
        const line = addedItems().find((l) => l.lineId === change.lineId);
        if (line) updatedItems.push({ ...line, quantity: change.quantity, notes: change.notes });
        break;
      }
      default:
        removedLineIds.push(change.lineId);
    }
  }
  return {
    changeOrderId: row.changeOrderId,
    buildId: row.buildId,
    version: row.version,
    baseVersion: row.baseVersion,
    description: row.description,
    status: changeOrderStatus.toProto(row.status),
    added: configurationToProto(added),
    removedLineIds,
    updatedComponents: updatedComponents.map(componentToProto),
    updatedBillableItems: updatedItems.map(itemToProto),
    priceDelta: moneyToProto({ amountMinor: row.priceDeltaMinor, currency: row.currency }),
    ...(row.discount ? { discount: discountToProto({ ...row.discount, changeOrderId: row.changeOrderId, version: row.version }) } : {}),
    newApprovedTotal: moneyToProto({ amountMinor: row.newApprovedTotalMinor, currency: row.currency }),
    proposedAt: toTimestamp(row.proposedAt),
    ...(row.decidedAt ? { decidedAt: toTimestamp(row.decidedAt) } : {}),
    rejectionReason: row.rejectionReason ?? '',
  };
}

export function breakdownToProto(b: PriceBreakdown, approvedTotal: Money | null): ledgerBuildsV1.PriceBreakdown {
  return {
    lines: b.lines.map((l) => ({ ...l, kind: priceLineKind.toProto(l.kind), unitPrice: moneyToProto(l.unitPrice), amount: moneyToProto(l.amount) })),
    subtotal: moneyToProto(b.subtotal),
    discounts: b.discounts.map(discountToProto),
    total: moneyToProto(b.total),
    ...(approvedTotal ? { approvedTotal: money(approvedTotal) } : {}),
  };
}

export function snapshotToProto(row: BuildSnapshotRow): ledgerBuildsV1.BuildSnapshot {
  const s: BuildSnapshot = row.snapshot;
  return {
    buildId: row.buildId,
    version: s.version,
    configuration: configurationToProto(s.configuration),
    subtotal: moneyToProto(s.subtotal),
    discounts: s.discounts.map(discountToProto),
    approvedTotal: moneyToProto(s.approvedTotal),
    recordedAt: toTimestamp(row.recordedAt),
  };
}
