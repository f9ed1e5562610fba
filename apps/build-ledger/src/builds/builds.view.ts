import type { StreamEvent, ViewFold } from '@projectflo/platform/core';
import { type BuildEvent, buildDecider, initialBuildState, totalOf } from '@projectflo/build-ledger/domain';
import type { BuildRow, BuildSnapshotRow, ChangeOrderRow } from './builds.entities';

/*
 * The builds' read model as pure folds of a build stream: the build row (the decider's own state
 * plus its list columns), one row per change order and one per snapshot. The projection stores
 * them, a command replies with them and a rebuild replays them.
 */

/** Every event type of a build stream. */
export const BUILD_EVENT_TYPES: readonly BuildEvent['type'][] = Object.keys(buildDecider.schemaVersions) as BuildEvent['type'][];

const eventOf = (recorded: StreamEvent) => ({ type: recorded.type, data: recorded.data }) as BuildEvent;
const at = (event: BuildEvent): string => {
  switch (event.type) {
    case 'BuildCreated':
      return event.data.createdAt;
    case 'BuildBooked':
      return event.data.bookedAt;
    default:
      return event.data.at;
  }
};

/** The build row: the state after the event, its live and approved price, at the stream's version. */
export const evolveBuildRow: ViewFold<BuildRow> = (row, recorded) => {
  const event = eventOf(recorded);
  if (!row && event.type !== 'BuildCreated') return row;
  const state = buildDecider.evolve(row?.state ?? initialBuildState(), event);
  if (state.buildId === null || state.tenantId === null || state.status === null) return row;
  const when = new Date(at(event));
  return {
    buildId: state.buildId,
    tenantId: state.tenantId,
    leadId: state.leadId,
    name: state.name,
    status: state.status,
    currency: state.currency,
    livePriceMinor: totalOf(state.configuration, state.currency, state.discounts).amountMinor,
    approvedPriceMinor: state.approvedTotal?.amountMinor ?? null,
    configurationVersion: state.version,
    state,
    createdAt: row?.createdAt ?? when,
    updatedAt: when,
    bookedAt: state.bookedAt ? new Date(state.bookedAt) : null,
    version: recorded.streamPosition,
  };
};

/** The change order an event is about, if it is about one. */
export function changeOrderIdOf(recorded: StreamEvent): string | undefined {
  const event = eventOf(recorded);
  return event.type === 'ChangeOrderProposed' || event.type === 'ChangeOrderApproved' || event.type === 'ChangeOrderRejected' ? event.data.changeOrderId : undefined;
}

/** One change order's row. */
export const evolveChangeOrderRow: ViewFold<ChangeOrderRow> = (row, recorded) => {
  const event = eventOf(recorded);
  switch (event.type) {
    case 'ChangeOrderProposed': {
      const d = event.data;
      if (row) return row;
      return {
        changeOrderId: d.changeOrderId,
        tenantId: d.tenantId,
        buildId: d.buildId,
        version: d.version,
        baseVersion: d.baseVersion,
        status: 'pending',
        description: d.description,
        changes: d.changes,
        currency: d.newApprovedTotal.currency,
        priceDeltaMinor: d.priceDelta.amountMinor,
        discount: d.discount,
        newApprovedTotalMinor: d.newApprovedTotal.amountMinor,
        proposedAt: new Date(d.at),
        decidedAt: null,
        rejectionReason: null,
      };
    }
    case 'ChangeOrderApproved':
      if (row?.changeOrderId !== event.data.changeOrderId) return row;
      return { ...row, status: 'approved', decidedAt: new Date(event.data.at) };
    case 'ChangeOrderRejected':
      if (row?.changeOrderId !== event.data.changeOrderId) return row;
      return { ...row, status: 'rejected', decidedAt: new Date(event.data.at), rejectionReason: event.data.reason };
    default:
      return row;
  }
};

/** The snapshot an event records, if it records one. */
export function snapshotOf(recorded: StreamEvent): BuildSnapshotRow | undefined {
  const event = eventOf(recorded);
  if (event.type !== 'BuildApproved' && event.type !== 'ChangeOrderApproved') return undefined;
  const { tenantId, buildId, snapshot } = event.data;
  return { buildId, version: snapshot.version, tenantId, snapshot, recordedAt: new Date(event.data.at) };
}

/** What a change-order command replies with: the build row and that order's row. */
export interface ChangeOrderReply {
  readonly build: BuildRow | undefined;
  readonly changeOrder: ChangeOrderRow | undefined;
}

export function changeOrderReply(changeOrderId: string): ViewFold<ChangeOrderReply> {
  return (reply = { build: undefined, changeOrder: undefined }, recorded) => ({
    build: evolveBuildRow(reply.build, recorded),
    changeOrder: changeOrderIdOf(recorded) === changeOrderId ? evolveChangeOrderRow(reply.changeOrder, recorded) : reply.changeOrder,
  });
}
