import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { commonV1, tasksV1 } from '@projectflo/contracts';
import type { EventStore } from '@projectflo/platform/core';
import { type RequestContext, validate } from '@projectflo/platform/grpc';
import type { Tx } from '@projectflo/platform/messaging';
import { OrmUnitOfWork, withTenantScope } from '@projectflo/platform/persistence';
import { EVENT_STORE, MIKRO_ORM } from '@projectflo/platform/service';
import {
  activeTemplateVersion,
  evolveTaskTemplate,
  initialTaskTemplateState,
  TaskEngineStreams,
  type TaskTemplateDefinition,
  type TaskTemplateEvent,
  type TaskTemplateState,
  type TemplateTrigger,
  type TemplateVersion,
} from '@projectflo/task-engine/domain';
import { z } from 'zod';
import { readHistory, templateToProto, triggerFromProto, triggerValue } from '../shared/proto-mapping';

interface TemplateRow extends Record<string, unknown> {
  template_id: string;
  current_version: number;
  definition: TaskTemplateDefinition;
  retired: boolean;
  stream_version: number;
}

/**
 * The tenant's active templates for a trigger, in key order: what an expansion plans with. They
 * are folded from the templates' own streams in the event store (the service's `events` table),
 * not read from the read model that another consumer group feeds: a template whose creation was
 * acknowledged is seen by every trigger that follows it, however far the read model lags. The
 * partial index events_template_creations_idx finds a tenant's template creations without
 * scanning its task events; a template's trigger never changes, so its creation names it.
 */
export async function activeTemplateVersions(db: Tx, tenantId: string, trigger: TemplateTrigger): Promise<TemplateVersion[]> {
  const identity: TemplateTrigger =
    trigger.kind === 'lead_status' ? { kind: trigger.kind, statusId: trigger.statusId } : { kind: trigger.kind, eventTypeKey: trigger.eventTypeKey };
  const rows = await db.query<{ stream_name: string; type: TaskTemplateEvent['type']; data: TaskTemplateEvent['data'] }>(
    `SELECT stream_name, type, data FROM events
      WHERE stream_name IN (SELECT stream_name FROM events
                             WHERE tenant_id = $1 AND type = 'TaskTemplateCreated' AND data->'definition'->'trigger' @> $2::jsonb)
      ORDER BY stream_name, stream_position`,
    [tenantId, JSON.stringify(identity)],
  );
  const states = new Map<string, TaskTemplateState>();
  for (const row of rows) {
    const event = { type: row.type, data: row.data } as TaskTemplateEvent;
    states.set(row.stream_name, evolveTaskTemplate(states.get(row.stream_name) ?? initialTaskTemplateState(), event));
  }
  return [...states.values()]
    .map(activeTemplateVersion)
    .filter((version): version is TemplateVersion => version !== undefined)
    .sort((a, b) => (a.definition.key < b.definition.key ? -1 : a.definition.key > b.definition.key ? 1 : 0));
}

const byId = z.object({ templateId: z.string().uuid('must be a UUID') }).passthrough();

@Injectable()
export class TemplateQueries {
  constructor(
    @Inject(MIKRO_ORM) private readonly orm: MikroORM,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async listByTrigger(ctx: RequestContext, request: tasksV1.ListTemplatesByTriggerRequest): Promise<tasksV1.ListTemplatesByTriggerResponse> {
    const trigger = triggerFromProto(request.trigger, 'trigger');
    const rows = await withTenantScope(this.orm, ctx.tenantId, (tx) =>
      tx.query<TemplateRow>(
        `SELECT template_id, current_version, definition, retired, stream_version FROM task_templates
          WHERE trigger_kind = $1 AND trigger_value = $2 AND ($3::boolean OR NOT retired) ORDER BY key`,
        [trigger.kind, triggerValue(trigger), request.includeRetired === true],
      ),
    );
    return {
      templates: rows.map((r) =>
        templateToProto({ templateId: r.template_id, revision: r.current_version, definition: r.definition, retired: r.retired, version: r.stream_version }),
      ),
    };
  }

  /** activeTemplateVersions for an automation of the tenant (no caller context, so not the query scope). */
  activeVersionsForTrigger(tenantId: string, trigger: TemplateTrigger): Promise<TemplateVersion[]> {
    return new OrmUnitOfWork(this.orm, { tenantId }).transactional((tx) => activeTemplateVersions(tx, tenantId, trigger));
  }

  /** The template's audit history, straight from its stream (another tenant's id is NOT_FOUND). */
  async history(ctx: RequestContext, request: tasksV1.GetTaskTemplateHistoryRequest): Promise<{ history: commonV1.AggregateHistory }> {
    const { templateId } = validate(byId, request);
    return readHistory(this.store, ctx.tenantId, TaskEngineStreams.taskTemplate(templateId), {
      type: 'task-template',
      id: templateId,
      noun: 'task template',
    });
  }
}
