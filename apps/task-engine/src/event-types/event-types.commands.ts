import { Injectable } from '@nestjs/common';
import type { tasksV1 } from '@projectflo/contracts';
import { deriveId, DomainError } from '@projectflo/platform/core';
import { type CommandContext, list, text, validate } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { eventTypeCatalogDecider, LIMITS, TaskEngineStreams } from '@projectflo/task-engine/domain';
import { z } from 'zod';
import { EVENT_TYPE_KEY } from '../shared/proto-mapping';
import { evolveEventTypeCatalogView, eventTypeToProto } from './event-types.view';

const defineRequest = z.object({
  eventType: EVENT_TYPE_KEY,
  name: text(LIMITS.name),
  description: text(LIMITS.description),
  subjectDateFields: list(text(LIMITS.key), LIMITS.subjectDateFields),
});

/** The one id of an event type: derived from its tenant and key, so a retried define is the same type. */
export function eventTypeId(tenantId: string, key: string): string {
  return deriveId('event-type', tenantId, key);
}

@Injectable()
export class EventTypeCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async define(ctx: CommandContext, request: tasksV1.DefineEventTypeRequest): Promise<tasksV1.DefineEventTypeResponse> {
    const { eventType, name, description, subjectDateFields } = validate(defineRequest, request);
    const id = eventTypeId(ctx.tenantId, eventType);
    const { view } = await this.executor.run(
      eventTypeCatalogDecider,
      TaskEngineStreams.eventTypes(ctx.tenantId),
      {
        type: 'DefineEventType',
        data: {
          eventTypeId: id,
          eventType,
          name,
          description: description === '' ? null : description,
          subjectDateFields,
        },
      },
      { context: ctx, view: evolveEventTypeCatalogView },
    );
    const defined = view?.[id];
    if (!defined) throw DomainError.notFound('event type', id);
    return { eventType: eventTypeToProto(defined) };
  }
}
