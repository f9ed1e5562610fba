import type { DomainEvent } from '@projectflo/platform/core';
import type { TaskTemplateDefinition } from './task-template.definition';

export type TaskTemplateCreated = DomainEvent<
  'TaskTemplateCreated',
  {
    readonly tenantId: string;
    readonly templateId: string;
    readonly version: 1;
    readonly definition: TaskTemplateDefinition;
    readonly createdBy: string;
    readonly createdAt: string;
  }
>;

/** A new version with the full new definition; tasks made from earlier versions are never touched. */
export type TaskTemplateRevised = DomainEvent<
  'TaskTemplateRevised',
  {
    readonly tenantId: string;
    readonly templateId: string;
    readonly version: number;
    readonly previousVersion: number;
    readonly definition: TaskTemplateDefinition;
    /** True when this revision brought a retired template back into use. */
    readonly reinstated: boolean;
    readonly revisedBy: string;
    readonly revisedAt: string;
  }
>;

export type TaskTemplateRetired = DomainEvent<
  'TaskTemplateRetired',
  {
    readonly tenantId: string;
    readonly templateId: string;
    readonly version: number;
    readonly reason: string | null;
    readonly retiredBy: string;
    readonly retiredAt: string;
  }
>;

export type TaskTemplateEvent = TaskTemplateCreated | TaskTemplateRevised | TaskTemplateRetired;
