import { assertNever, DomainError, DomainErrorCode, defineDecider, Violations } from '@projectflo/platform/core';
import { canonicalJson, type JsonValue } from '../shared/json';
import { toInstantString } from '../shared/time';
import { LIMITS } from '../shared/text-limits';
import type { CreateTaskTemplate, RetireTaskTemplate, ReviseTaskTemplate, TaskTemplateCommand } from './task-template.commands';
import {
  sameTrigger,
  taskTemplateId,
  validateTemplateDefinition,
  type TaskTemplateDefinition,
  type TemplateVersion,
} from './task-template.definition';
import type { TaskTemplateEvent } from './task-template.events';

export type TaskTemplateState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active' | 'retired';
      readonly templateId: string;
      readonly version: number;
      readonly definition: TaskTemplateDefinition;
    };

export const initialTaskTemplateState = (): TaskTemplateState => ({ status: 'none' });

export function evolveTaskTemplate(state: TaskTemplateState, event: TaskTemplateEvent): TaskTemplateState {
  switch (event.type) {
    case 'TaskTemplateCreated':
    case 'TaskTemplateRevised': {
      const { templateId, version, definition } = event.data;
      return { status: 'active', templateId, version, definition };
    }
    case 'TaskTemplateRetired':
      return state.status === 'none' ? state : { ...state, status: 'retired' };
    default:
      return assertNever(event, 'task template event');
  }
}

/** The version the planner should expand, or undefined when the template is retired or unknown. */
export function activeTemplateVersion(state: TaskTemplateState): TemplateVersion | undefined {
  return state.status === 'active' ? { templateId: state.templateId, version: state.version, definition: state.definition } : undefined;
}

/** Key order is not significant: a JSONB store may hand the definition back reordered. */
function sameDefinition(a: TaskTemplateDefinition, b: TaskTemplateDefinition): boolean {
  return canonicalJson(a as unknown as JsonValue) === canonicalJson(b as unknown as JsonValue);
}

function decideCreate(command: CreateTaskTemplate, state: TaskTemplateState): TaskTemplateEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  v.identifier('templateId', data.templateId, LIMITS.id);
  v.throwIfAny();
  const definition = validateTemplateDefinition(data.definition);
  if (data.templateId !== taskTemplateId(metadata.tenantId, definition.trigger, definition.key)) {
    throw DomainError.invalid({ field: 'templateId', description: 'must be taskTemplateId(tenant, trigger, key)' });
  }
  if (state.status !== 'none') {
    // A retried create is a no-op; anything else means the key is taken for this trigger.
    if (state.version === 1 && state.status === 'active' && sameDefinition(state.definition, definition)) return [];
    throw new DomainError(
      DomainErrorCode.AlreadyExists,
      `a task template with key ${definition.key} already exists for this trigger${state.status === 'retired' ? ' (retired: revise it to reinstate)' : ''}`,
      [],
      { templateId: data.templateId, key: definition.key, retired: state.status === 'retired', version: state.version },
    );
  }
  return [
    {
      type: 'TaskTemplateCreated',
      data: {
        tenantId: metadata.tenantId,
        templateId: data.templateId,
        version: 1,
        definition,
        createdBy: metadata.actorId,
        createdAt: toInstantString(metadata.now),
      },
    },
  ];
}

function decideRevise(command: ReviseTaskTemplate, state: TaskTemplateState): TaskTemplateEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  v.identifier('templateId', data.templateId, LIMITS.id);
  v.throwIfAny();
  const definition = validateTemplateDefinition(data.definition);
  if (state.status === 'none') throw DomainError.notFound('task template', data.templateId);
  const stable = new Violations();
  if (definition.key !== state.definition.key) stable.add('key', `cannot change (was ${state.definition.key}); create a new template instead`);
  if (!sameTrigger(definition.trigger, state.definition.trigger)) stable.add('trigger', 'cannot change; create a new template instead');
  stable.throwIfAny();
  if (state.status === 'active' && sameDefinition(state.definition, definition)) return [];
  return [
    {
      type: 'TaskTemplateRevised',
      data: {
        tenantId: metadata.tenantId,
        templateId: state.templateId,
        version: state.version + 1,
        previousVersion: state.version,
        definition,
        reinstated: state.status === 'retired',
        revisedBy: metadata.actorId,
        revisedAt: toInstantString(metadata.now),
      },
    },
  ];
}

function decideRetire(command: RetireTaskTemplate, state: TaskTemplateState): TaskTemplateEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  v.identifier('templateId', data.templateId, LIMITS.id);
  const reason = v.optionalText('reason', data.reason, { max: LIMITS.reason });
  v.throwIfAny();
  if (state.status === 'none') throw DomainError.notFound('task template', data.templateId);
  if (state.status === 'retired') {
    throw DomainError.precondition(`task template ${state.templateId} is already retired`, { templateId: state.templateId });
  }
  return [
    {
      type: 'TaskTemplateRetired',
      data: {
        tenantId: metadata.tenantId,
        templateId: state.templateId,
        version: state.version,
        reason,
        retiredBy: metadata.actorId,
        retiredAt: toInstantString(metadata.now),
      },
    },
  ];
}

export const taskTemplateDecider = defineDecider<TaskTemplateState, TaskTemplateCommand, TaskTemplateEvent>({
  aggregate: 'task template',
  schemaVersions: { TaskTemplateCreated: 1, TaskTemplateRevised: 1, TaskTemplateRetired: 1 },
  initialState: initialTaskTemplateState,
  evolve: evolveTaskTemplate,
  decide(command, state) {
    switch (command.type) {
      case 'CreateTaskTemplate':
        return decideCreate(command, state);
      case 'ReviseTaskTemplate':
        return decideRevise(command, state);
      case 'RetireTaskTemplate':
        return decideRetire(command, state);
      default:
        return assertNever(command, 'task template command');
    }
  },
});
