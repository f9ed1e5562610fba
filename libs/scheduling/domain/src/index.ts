export * from './streams';
export * from './shared/time';

export * from './reminder-policy/firing-times';
export * from './reminder-policy/reminder-policy.commands';
export * from './reminder-policy/reminder-policy.decider';
export * from './reminder-policy/reminder-policy.events';

export * from './task-schedule/task-schedule.commands';
export * from './task-schedule/task-schedule.decider';
export * from './task-schedule/task-schedule.events';

export * from './contributor-calendar/contributor-calendar.commands';
export * from './contributor-calendar/contributor-calendar.decider';
export * from './contributor-calendar/contributor-calendar.events';

export * from './project-assignment/project-assignment.commands';
export * from './project-assignment/project-assignment.decider';
export * from './project-assignment/project-assignment.events';
