import type { Command } from '@projectflo/platform/core';
import type { PlacedAssignment } from './project-assignment.events';

/** Places a booking's coverage lines on the build's plan; lines already placed (an earlier version, a redelivery) stay as they are. */
export type PlaceProjectAssignments = Command<
  'PlaceProjectAssignments',
  {
    readonly planId: string;
    readonly buildId: string;
    readonly buildVersion: number;
    readonly buildName: string;
    readonly projectId: string | null;
    readonly eventDate: string | null;
    readonly assignments: readonly Omit<PlacedAssignment, 'buildVersion'>[];
  }
>;

export type AssignProjectContributor = Command<
  'AssignProjectContributor',
  { readonly planId: string; readonly assignmentId: string; readonly contributorId: string; readonly calendarEntryId: string }
>;

export type ProjectAssignmentCommand = PlaceProjectAssignments | AssignProjectContributor;
