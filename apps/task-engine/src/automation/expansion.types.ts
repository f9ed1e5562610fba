import type { ExpansionTrigger, PlannedTask, PlanWarning } from '@projectflo/task-engine/domain';

/** Types shared by the expansion workflow (sandbox) and its activities (Node): types only. */

export type TriggerType = 'lead_status' | 'event_type';

/** What a trigger consumer hands the workflow: the occurrence and a snapshot of its subject's facts. */
export interface ExpansionInput {
  readonly tenantId: string;
  readonly trigger: ExpansionTrigger;
  /** Automation hops that led to the trigger (0 for a person or an external producer). */
  readonly automationDepth: number;
}

export type PlanOutcome =
  | { readonly kind: 'stopped'; readonly reason: string; readonly detail: string }
  | {
      readonly kind: 'planned';
      /** Active templates found for the trigger. */
      readonly templateCount: number;
      /** In plan order: blockers before the tasks they block. */
      readonly tasks: readonly PlannedTask[];
      readonly warnings: readonly PlanWarning[];
    };

export interface CreateTaskInput {
  readonly tenantId: string;
  readonly automationDepth: number;
  readonly task: PlannedTask;
}

/** Every planned task of one expansion, created together, then its outcome recorded (one activity). */
export interface CreateTasksInput {
  readonly tenantId: string;
  readonly automationDepth: number;
  readonly tasks: readonly PlannedTask[];
  /** The expansion, its template count and plan warnings: what the outcome (ExpansionFinished) records. */
  readonly expansion?: ExpansionInput;
  readonly templateCount?: number;
  readonly warnings?: readonly PlanWarning[];
}

/** An expansion that ended without createTasks (cancelled before its tasks): its outcome. */
export interface RecordOutcomeInput {
  readonly expansion: ExpansionInput;
  readonly outcome: 'cancelled';
  readonly templateCount: number;
  readonly warnings: readonly PlanWarning[];
}

export interface CreateTaskOutcome {
  readonly taskId: string;
  /** false when the task already existed (a retry after a crash, or a redelivered trigger). */
  readonly created: boolean;
}

export interface ExpansionProgress {
  readonly phase: 'planning' | 'creating' | 'completed' | 'stopped' | 'cancelled';
  readonly planned: number;
  readonly created: number;
  readonly alreadyExisted: number;
}

export interface ExpansionSummary {
  readonly outcome: 'completed' | 'stopped' | 'cancelled';
  readonly templateCount: number;
  readonly created: number;
  readonly alreadyExisted: number;
  readonly taskIds: readonly string[];
  readonly warnings: readonly PlanWarning[];
  /** One line for the Web UI. */
  readonly message: string;
}

export interface ExpansionActivities {
  planExpansion(input: ExpansionInput): Promise<PlanOutcome>;
  createTask(input: CreateTaskInput): Promise<CreateTaskOutcome>;
  /** The planned tasks created concurrently, outcomes in plan order (each as createTask: a repeat is a no-op). */
  createTasks(input: CreateTasksInput): Promise<CreateTaskOutcome[]>;
  /** Records an expansion's outcome that no other activity recorded (cancelled before its tasks). */
  recordOutcome(input: RecordOutcomeInput): Promise<void>;
}
