/** The seeds' tasks_status enum, spelled as the seeds spell it. */
export const TASK_STATUSES = ['To-Do', 'Ready to Start', 'In Progress', 'Completed', 'Archived'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses a ChangeTaskStatus command may ask for; archiving has its own command. */
export const CHANGEABLE_TASK_STATUSES = ['Ready to Start', 'In Progress', 'Completed'] as const;
export type ChangeableTaskStatus = (typeof CHANGEABLE_TASK_STATUSES)[number];

/**
 * The transitions a person may make. To-Do → Ready to Start needs no open blockers (and normally
 * happens by itself, TaskBecameReady). In Progress → Ready to Start is a pause. Completed is final
 * except for archiving: completion fires notifications and unblocks dependents, so it is not undone.
 */
export const ALLOWED_TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly ChangeableTaskStatus[]>> = {
  'To-Do': ['Ready to Start'],
  'Ready to Start': ['In Progress'],
  'In Progress': ['Completed', 'Ready to Start'],
  Completed: [],
  Archived: [],
};

export function isTaskTransitionAllowed(from: TaskStatus, to: ChangeableTaskStatus): boolean {
  return ALLOWED_TASK_TRANSITIONS[from].includes(to);
}

export const COMMENT_VISIBILITIES = ['Internal', 'ClientVisible'] as const;
export type CommentVisibility = (typeof COMMENT_VISIBILITIES)[number];
