// Pure domain of the task-engine: deciders, the expansion planner, the loop guard, its streams and
// topics (the payload schemas of its events are published in @projectflo/contracts). No I/O, no framework.
export * from './shared/hours';
export * from './shared/json';
export { parseInstant, toInstantString } from './shared/time';
export * from './shared/text-limits';

export * from './event-type/event-type.events';
export * from './event-type/event-type.commands';
export * from './event-type/event-type.decider';

export * from './external-event/external-event.events';
export * from './external-event/external-event.commands';
export * from './external-event/external-event.decider';

export * from './task-template/task-template.definition';
export * from './task-template/task-template.events';
export * from './task-template/task-template.commands';
export * from './task-template/task-template.decider';

export * from './expansion/business-calendar';
export * from './business-calendar/business-calendar.events';
export * from './business-calendar/business-calendar.commands';
export * from './business-calendar/business-calendar.decider';
export * from './expansion/expansion.planner';

export * from './task/task.status';
export * from './task/task.events';
export * from './task/task.commands';
export * from './task/task.decider';

export * from './loop-guard/loop-guard';
export * from './loop-guard/automation-guard.events';
export * from './loop-guard/automation-guard.commands';
export * from './loop-guard/automation-guard.decider';
export * from './expansion-outcome/expansion-outcome.events';
export * from './expansion-outcome/expansion-outcome.commands';
export * from './expansion-outcome/expansion-outcome.decider';

export * from './contracts/task-engine.streams';
export * from './contracts/task-engine.event-names';

export * from './component-recipe/component-recipe.events';
export * from './component-recipe/component-recipe.commands';
export * from './component-recipe/component-recipe.decider';
export * from './component-recipe/component-recipe.expansion';
