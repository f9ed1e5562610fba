import { Injectable } from '@nestjs/common';
import type { tasksV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { type CommandContext, expectedVersion, text, uuid, validate } from '@projectflo/platform/grpc';
import { type CommandIntent, CommandExecutor } from '@projectflo/platform/service';
import {
  LIMITS,
  TaskEngineStreams,
  taskTemplateDecider,
  taskTemplateId,
  validateTemplateDefinition,
  type TaskTemplateCommand,
  type TaskTemplateState,
} from '@projectflo/task-engine/domain';
import { z } from 'zod';
import { definitionFromProto, templateToProto } from '../shared/proto-mapping';

const reviseRequest = z.object({ templateId: uuid, expectedVersion });
const retireRequest = z.object({ templateId: uuid, reason: text(LIMITS.reason), expectedVersion });

function templateOf(state: TaskTemplateState, version: number): tasksV1.TaskTemplate {
  if (state.status === 'none') throw new Error('template state is empty after a successful command');
  return templateToProto({
    templateId: state.templateId,
    revision: state.version,
    definition: state.definition,
    retired: state.status === 'retired',
    version,
  });
}

/**
 * Versioned templates: a create is version 1 of a stream whose id is derived from (tenant,
 * trigger, key); each revision is a new version with the full definition; tasks already made keep
 * the version they were made from.
 */
@Injectable()
export class TemplateCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async create(ctx: CommandContext, request: tasksV1.CreateTaskTemplateRequest): Promise<tasksV1.CreateTaskTemplateResponse> {
    const definition = validateTemplateDefinition(definitionFromProto(request.template, 'template.'), 'template.');
    const templateId = taskTemplateId(ctx.tenantId, definition.trigger, definition.key);
    return { template: await this.run(ctx, templateId, { type: 'CreateTaskTemplate', data: { templateId, definition } }) };
  }

  async revise(ctx: CommandContext, request: tasksV1.ReviseTaskTemplateRequest): Promise<tasksV1.ReviseTaskTemplateResponse> {
    const { templateId, expectedVersion: version } = validate(reviseRequest, request);
    const definition = validateTemplateDefinition(definitionFromProto(request.template, 'template.'), 'template.');
    return { template: await this.run(ctx, templateId, { type: 'ReviseTaskTemplate', data: { templateId, definition } }, version) };
  }

  async retire(ctx: CommandContext, request: tasksV1.RetireTaskTemplateRequest): Promise<tasksV1.RetireTaskTemplateResponse> {
    const { templateId, reason, expectedVersion: version } = validate(retireRequest, request);
    return {
      template: await this.run(ctx, templateId, { type: 'RetireTaskTemplate', data: { templateId, reason: reason === '' ? null : reason } }, version),
    };
  }

  private async run(
    ctx: CommandContext,
    templateId: string,
    command: CommandIntent<TaskTemplateCommand>,
    expectedVersion?: number,
  ): Promise<tasksV1.TaskTemplate> {
    const result = await this.executor.run(taskTemplateDecider, TaskEngineStreams.taskTemplate(templateId), command, { context: ctx, expectedVersion });
    if (result.state.status === 'none') throw DomainError.notFound('task template', templateId);
    return templateOf(result.state, result.version);
  }
}
