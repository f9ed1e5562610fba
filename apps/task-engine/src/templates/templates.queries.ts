import { Inject, Injectable } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { commonV1, tasksV1 } from '@projectflo/contracts';
import { DomainError, type EventStore } from '@projectflo/platform/core';
import { type RequestContext, validate } from '@projectflo/platform/grpc';
import { type OrmTx, withTenantScope } from '@projectflo/platform/persistence';
import { EVENT_STORE, MIKRO_ORM } from '@projectflo/platform/service';
import { TaskEngineStreams, type TaskTemplateDefinition, type TemplateTrigger, type TemplateVersion } from '@projectflo/task-engine/domain';
import { z } from 'zod';
import { historyToProto, templateToProto, triggerFromProto, triggerValue } from '../shared/proto-mapping';

interface TemplateRow extends Record<string, unknown> {
  template_id: string;
  current_version: number;
  definition: TaskTemplateDefinition;
  retired: boolean;
  stream_version: number;
}

/**
 * Whether the tenant has an active template for the trigger, read in the caller's transaction (a
 * consumer's, which is not tenant-scoped: hence the explicit tenant filter).
 */
export async function hasActiveTemplates(tx: OrmTx, tenantId: string, trigger: TemplateTrigger): Promise<boolean> {
  const [row] = await tx.query(
    `SELECT 1 FROM task_templates WHERE tenant_id = $1 AND trigger_kind = $2 AND trigger_value = $3 AND NOT retired LIMIT 1`,
    [tenantId, trigger.kind, triggerValue(trigger)],
  );
  return row !== undefined;
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

  /** The current revision of each active template for the trigger, in key order: what an expansion plans with. */
  async activeVersionsForTrigger(tenantId: string, trigger: TemplateTrigger): Promise<TemplateVersion[]> {
    const rows = await withTenantScope(this.orm, tenantId, (tx) =>
      tx.query<Pick<TemplateRow, 'template_id' | 'current_version' | 'definition'>>(
        `SELECT template_id, current_version, definition FROM task_templates
          WHERE trigger_kind = $1 AND trigger_value = $2 AND NOT retired ORDER BY key`,
        [trigger.kind, triggerValue(trigger)],
      ),
    );
    return rows.map((r) => ({ templateId: r.template_id, version: r.current_version, definition: r.definition }));
  }

  /** The template's audit history, straight from its stream (another tenant's id is NOT_FOUND). */
  async history(ctx: RequestContext, request: tasksV1.GetTaskTemplateHistoryRequest): Promise<{ history: commonV1.AggregateHistory }> {
    const { templateId } = validate(byId, request);
    const { version, events } = await this.store.readStream(TaskEngineStreams.taskTemplate(templateId));
    if (events.length === 0 || events[0]!.metadata.tenantId !== ctx.tenantId) throw DomainError.notFound('task template', templateId);
    return { history: historyToProto('task-template', templateId, version, events) };
  }
}
