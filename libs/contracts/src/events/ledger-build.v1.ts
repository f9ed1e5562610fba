import { z } from 'zod';
import { actor, calendarDate, id, instant, list, requiredText } from './payload-fields';

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

/** Event type → its current schema version and payload schema (types other contexts consume). */
export const ledgerBuildEventContractsV1 = {
  BuildBooked: { schemaVersion: 1, schema: BuildBookedV1 },
} as const;
