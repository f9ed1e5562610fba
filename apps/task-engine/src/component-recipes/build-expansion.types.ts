import type { BookedBuild, BookedComponent, ComponentMatch, PlannedTask, PlanWarning } from '@projectflo/task-engine/domain';
import type { CreateTaskInput, CreateTaskOutcome } from '../automation/expansion.types';

/** Types shared by the build expansion workflow (sandbox) and its activities (Node): types only. */

/** What the BuildBooked consumer hands the workflow: the booking and its components a recipe matched, with the recipe as of the booking. */
export interface BuildExpansionInput {
  readonly tenantId: string;
  readonly build: BookedBuild;
  readonly components: readonly BookedComponent[];
  readonly matches: readonly ComponentMatch[];
  /** Automation hops that led to the booking (0 for a person). */
  readonly automationDepth: number;
}

/** Something the plan left out or worked around; recorded in the workflow's summary. */
export type BuildPlanWarning =
  | PlanWarning
  | { readonly code: 'template_not_active'; readonly componentId: string; readonly templateId: string };

export interface BuildPlanOutcome {
  /** Distinct active templates the plan used. */
  readonly templateCount: number;
  /** Component by component, each in plan order (blockers first). */
  readonly tasks: readonly PlannedTask[];
  readonly warnings: readonly BuildPlanWarning[];
}

export interface BuildExpansionSummary {
  readonly outcome: 'completed' | 'cancelled';
  readonly templateCount: number;
  readonly created: number;
  readonly alreadyExisted: number;
  readonly taskIds: readonly string[];
  readonly warnings: readonly BuildPlanWarning[];
  /** One line for the Web UI. */
  readonly message: string;
}

export interface BuildExpansionProgress {
  readonly phase: 'planning' | 'creating' | 'completed' | 'cancelled';
  readonly planned: number;
  readonly created: number;
  readonly alreadyExisted: number;
}

/** planBuildExpansion is this feature's; createTask is the expansion activity every expansion shares. */
export interface BuildExpansionActivities {
  planBuildExpansion(input: BuildExpansionInput): Promise<BuildPlanOutcome>;
  createTask(input: CreateTaskInput): Promise<CreateTaskOutcome>;
}
