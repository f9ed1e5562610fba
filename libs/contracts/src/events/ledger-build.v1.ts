import { z } from 'zod';
import { actor, calendarDate, id, instant, list, requiredText, text } from './payload-fields';

/*
 * Payload schemas of the events on `ledger.build.v1` (key: the build id) that other contexts
 * consume. BuildBooked carries the build's production components so the task-engine can expand its
 * component task recipes (deliverable × scene × editing style → task templates) and scheduling can
 * place the project's assignments on contributor calendars, without reading build-ledger's tables.
 * Every payload names its tenant. Money is integer minor units with an ISO 4217 currency code.
 * Rules for change as in crm-lead.v1.ts: add optional fields only; anything else is a v2 topic.
 */

export const LEDGER_BUILD_TOPIC_V1 = 'ledger.build.v1';

/** Most components one build can book (the build decider's bound). */
export const MAX_BUILD_COMPONENTS_V1 = 500;
/** Most coverage assignments one build can book. */
export const MAX_BUILD_COVERAGE_V1 = 200;

/** An amount of money: integer minor units (cents) and its ISO 4217 code. */
export const MoneyV1 = z.object({
  amountMinor: z.number().int().safe(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
});

/** One production component: what is edited (deliverable × scene × editing style) and for how long. */
export const BookedComponentV1 = z.object({
  componentId: id,
  deliverableId: id,
  deliverableName: requiredText(200),
  sceneId: id,
  sceneName: requiredText(200),
  editingStyleId: id,
  editingStyleName: requiredText(200),
  targetMinutes: z.number().int().min(0).max(10_000),
});

/** One coverage assignment: who is needed on the day (scene × operator type × quantity). */
export const BookedCoverageV1 = z.object({
  assignmentId: id,
  sceneId: id,
  sceneName: requiredText(200),
  operatorTypeId: id,
  operatorTypeName: requiredText(200),
  quantity: z.number().int().min(1).max(100),
  /** Hours on the day for hourly operators; null for a fixed rate. */
  hours: z.string().nullable(),
});

/** The build was booked: its configuration is the project's production plan. */
export const BuildBookedV1 = z.object({
  tenantId: id,
  buildId: id,
  /** The build's configuration version (bumped by each approved change order). */
  version: z.number().int().min(1),
  leadId: id.nullable(),
  clientId: id.nullable(),
  projectId: id.nullable(),
  name: requiredText(200),
  /** The event (shoot) day in the studio's calendar, when known. */
  eventDate: calendarDate.nullable(),
  approvedTotal: MoneyV1,
  components: list(BookedComponentV1, MAX_BUILD_COMPONENTS_V1),
  coverage: list(BookedCoverageV1, MAX_BUILD_COVERAGE_V1),
  bookedBy: actor,
  bookedAt: instant,
});

/*
 * The other events of a build stream (build-ledger's own read model consumes them; other contexts
 * may). Lines carry the names and prices captured when they were added.
 */
const fact = { tenantId: id, buildId: id };
const by = { by: actor, at: instant };
const decimal = z.string().regex(/^\d{1,9}(\.\d{1,3})?$/, 'must be a decimal such as 1.5');

export const CoverageLineV1 = z.object({
  lineId: id,
  sceneId: id,
  sceneName: requiredText(200),
  operatorTypeId: id,
  operatorTypeName: requiredText(200),
  pricing: z.enum(['hourly', 'fixed']),
  quantity: z.number().int().min(1).max(100),
  hours: decimal.nullable(),
  rate: MoneyV1,
});
export const DeliverableLineV1 = z.object({ lineId: id, deliverableId: id, name: requiredText(200), price: MoneyV1 });
export const ComponentLineV1 = z.object({
  lineId: id,
  deliverableLineId: id,
  deliverableId: id,
  deliverableName: requiredText(200),
  sceneId: id,
  sceneName: requiredText(200),
  editingStyleId: id,
  editingStyleName: requiredText(200),
  targetMinutes: z.number().int().min(0).max(10_000),
  included: z.boolean(),
  ratePerMinute: MoneyV1.nullable(),
});
export const ItemLineV1 = z.object({
  lineId: id,
  billableItemId: id,
  name: requiredText(200),
  pricing: z.enum(['fixed', 'per_unit']),
  quantity: decimal,
  price: MoneyV1,
  notes: text(1_000).nullable(),
  origin: z.discriminatedUnion('kind', [z.object({ kind: z.literal('manual') }), z.object({ kind: z.literal('style_requirement'), editingStyleId: id })]),
});
export const BuildConfigurationV1 = z.object({
  coverage: list(CoverageLineV1, MAX_BUILD_COVERAGE_V1),
  deliverables: list(DeliverableLineV1, 100),
  components: list(ComponentLineV1, MAX_BUILD_COMPONENTS_V1),
  items: list(ItemLineV1, 200),
});
const removeLine = (op: string) => z.object({ op: z.literal(op), lineId: id });
export const ConfigurationChangeV1 = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add_coverage'), line: CoverageLineV1 }),
  removeLine('remove_coverage'),
  z.object({ op: z.literal('add_deliverable'), line: DeliverableLineV1, components: list(ComponentLineV1, MAX_BUILD_COMPONENTS_V1), items: list(ItemLineV1, 200) }),
  removeLine('remove_deliverable'),
  z.object({ op: z.literal('add_component'), line: ComponentLineV1, items: list(ItemLineV1, 200) }),
  z.object({ op: z.literal('update_component'), lineId: id, targetMinutes: z.number().int().min(0).max(10_000), included: z.boolean() }),
  removeLine('remove_component'),
  z.object({ op: z.literal('add_billable_item'), line: ItemLineV1 }),
  z.object({ op: z.literal('update_billable_item'), lineId: id, quantity: decimal, notes: text(1_000).nullable() }),
  removeLine('remove_billable_item'),
]);
const DiscountTermsV1 = { kind: z.enum(['percent', 'fixed']), percent: z.string().nullable(), amount: MoneyV1, reason: requiredText(1_000) };
export const DiscountV1 = z.object({ changeOrderId: id, version: z.number().int().min(1), ...DiscountTermsV1 });
export const BuildSnapshotV1 = z.object({
  version: z.number().int().min(1),
  configuration: BuildConfigurationV1,
  subtotal: MoneyV1,
  discounts: list(DiscountV1, 500),
  approvedTotal: MoneyV1,
});
const status = z.enum(['inquiry', 'proposal_sent', 'booked', 'completed', 'archived']);

export const BuildCreatedV1 = z.object({
  ...fact,
  leadId: id.nullable(),
  name: requiredText(200),
  currency: MoneyV1.shape.currency,
  eventDate: calendarDate.nullable(),
  quoteExpiresOn: calendarDate.nullable(),
  createdBy: actor,
  createdAt: instant,
});
export const BuildDetailsChangedV1 = z.object({ ...fact, ...by, name: requiredText(200), eventDate: calendarDate.nullable(), quoteExpiresOn: calendarDate.nullable() });
export const BuildLinkedV1 = z.object({ ...fact, ...by, clientId: id.nullable(), projectId: id.nullable() });
export const BuildConfiguredV1 = z.object({ ...fact, ...by, changes: list(ConfigurationChangeV1, 100), lineSequence: z.number().int().min(0), livePrice: MoneyV1 });
export const BuildStatusChangedV1 = z.object({ ...fact, ...by, from: status, to: status });
export const BuildApprovedV1 = z.object({ ...fact, ...by, version: z.number().int().min(1), approvedTotal: MoneyV1, snapshot: BuildSnapshotV1 });
export const ChangeOrderProposedV1 = z.object({
  ...fact,
  ...by,
  changeOrderId: id,
  version: z.number().int().min(2),
  baseVersion: z.number().int().min(1),
  description: requiredText(2_000),
  changes: list(ConfigurationChangeV1, 100),
  lineSequence: z.number().int().min(0),
  priceDelta: MoneyV1,
  discount: z.object(DiscountTermsV1).nullable(),
  newApprovedTotal: MoneyV1,
});
export const ChangeOrderApprovedV1 = z.object({ ...fact, ...by, changeOrderId: id, version: z.number().int().min(2), newApprovedTotal: MoneyV1, snapshot: BuildSnapshotV1 });
export const ChangeOrderRejectedV1 = z.object({ ...fact, ...by, changeOrderId: id, version: z.number().int().min(2), reason: text(1_000).nullable() });

/** Event type → its current schema version and payload schema (types other contexts consume). */
export const ledgerBuildEventContractsV1 = {
  BuildBooked: { schemaVersion: 1, schema: BuildBookedV1 },
  BuildCreated: { schemaVersion: 1, schema: BuildCreatedV1 },
  BuildDetailsChanged: { schemaVersion: 1, schema: BuildDetailsChangedV1 },
  BuildLinked: { schemaVersion: 1, schema: BuildLinkedV1 },
  BuildConfigured: { schemaVersion: 1, schema: BuildConfiguredV1 },
  BuildStatusChanged: { schemaVersion: 1, schema: BuildStatusChangedV1 },
  BuildApproved: { schemaVersion: 1, schema: BuildApprovedV1 },
  ChangeOrderProposed: { schemaVersion: 1, schema: ChangeOrderProposedV1 },
  ChangeOrderApproved: { schemaVersion: 1, schema: ChangeOrderApprovedV1 },
  ChangeOrderRejected: { schemaVersion: 1, schema: ChangeOrderRejectedV1 },
} as const;
