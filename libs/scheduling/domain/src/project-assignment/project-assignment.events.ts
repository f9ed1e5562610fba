import type { DomainEvent } from '@projectflo/platform/core';

/** One coverage line of a booked build: who is needed on the event day (scene × operator type × quantity). */
export interface PlacedAssignment {
  /** The build's coverage assignment id (build-ledger's). */
  readonly assignmentId: string;
  readonly sceneId: string;
  readonly sceneName: string;
  readonly operatorTypeId: string;
  readonly operatorTypeName: string;
  /** How many contributors the line needs. */
  readonly quantity: number;
  /** Hours on the day for hourly operators; null for a fixed rate. */
  readonly hours: string | null;
  /** The build version that first brought the line. */
  readonly buildVersion: number;
}

/**
 * A booking (BuildBooked) placed the build's coverage lines that were not placed yet, or (with no
 * lines) a later version changed the plan's day, name or project. `buildVersion` is the version
 * whose facts the plan now holds; each line keeps the version that brought it.
 */
export type ProjectAssignmentsPlaced = DomainEvent<
  'ProjectAssignmentsPlaced',
  {
    readonly tenantId: string;
    readonly planId: string;
    readonly buildId: string;
    readonly buildVersion: number;
    readonly buildName: string;
    readonly projectId: string | null;
    /** YYYY-MM-DD, the day the assignments are for; null until the build knows it. */
    readonly eventDate: string | null;
    readonly assignments: readonly PlacedAssignment[];
    readonly placedAt: string;
  }
>;

/** A contributor took one place of a line, booked on their calendar as `calendarEntryId`. */
export type ProjectContributorAssigned = DomainEvent<
  'ProjectContributorAssigned',
  {
    readonly tenantId: string;
    readonly planId: string;
    readonly buildId: string;
    readonly assignmentId: string;
    readonly contributorId: string;
    readonly calendarEntryId: string;
    readonly assignedBy: string;
    readonly assignedAt: string;
  }
>;

export type ProjectAssignmentEvent = ProjectAssignmentsPlaced | ProjectContributorAssigned;
