import { Inject, Injectable } from '@nestjs/common';
import { tasksV1 } from '@projectflo/contracts';
import { type Clock, deriveId, DomainError } from '@projectflo/platform/core';
import { CLOCK, type CommandContext, list, text, toCommandMetadata, validate } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { eventTypeCatalogDecider, LIMITS, TaskEngineStreams, type EventTypeCatalogState } from '@projectflo/task-engine/domain';
import { z } from 'zod';
import { EVENT_TYPE_KEY } from '../shared/proto-mapping';

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

export function eventTypeToProto(state: EventTypeCatalogState, id: string, version: number): tasksV1.EventType {
  const entry = state.eventTypes[id];
  if (!entry) throw DomainError.notFound('event type', id);
  return {
    eventType: entry.key,
    name: entry.name,
    description: entry.description ?? '',
    retired: entry.retired,
    version: String(version),
    eventTypeId: entry.eventTypeId,
    subjectDateFields: [...entry.subjectDateFields],
  };
}

@Injectable()
export class EventTypeCommands {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async define(ctx: CommandContext, request: tasksV1.DefineEventTypeRequest): Promise<tasksV1.DefineEventTypeResponse> {
    const { eventType, name, description, subjectDateFields } = validate(defineRequest, request);
    const id = eventTypeId(ctx.tenantId, eventType);
    const result = await this.executor.run(
      eventTypeCatalogDecider,
      TaskEngineStreams.eventTypes(ctx.tenantId),
      {
        type: 'DefineEventType',
        data: {
          eventTypeId: id,
          key: eventType,
          name,
          description: description === '' ? null : description,
          subjectDateFields,
        },
        metadata: toCommandMetadata(ctx, this.clock),
      },
    );
    return { eventType: eventTypeToProto(result.state, id, result.version) };
  }
}
