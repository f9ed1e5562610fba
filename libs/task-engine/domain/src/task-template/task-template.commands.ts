import type { Command } from '@projectflo/platform/core';
import type { TaskTemplateDefinition } from './task-template.definition';

/** `templateId` must be `taskTemplateId(tenantId, definition.trigger, definition.key)`. */
export type CreateTaskTemplate = Command<
  'CreateTaskTemplate',
  { readonly templateId: string; readonly definition: TaskTemplateDefinition }
>;

/** The full new definition; key and trigger cannot change (a new trigger is a new template). */
export type ReviseTaskTemplate = Command<
  'ReviseTaskTemplate',
  { readonly templateId: string; readonly definition: TaskTemplateDefinition }
>;

export type RetireTaskTemplate = Command<'RetireTaskTemplate', { readonly templateId: string; readonly reason?: string | null }>;

export type TaskTemplateCommand = CreateTaskTemplate | ReviseTaskTemplate | RetireTaskTemplate;
