import type { EntityManager } from '@mikro-orm/postgresql';
import type { RecordedEvent } from '@projectflo/platform/core';
import { type OrmTx, ormTx, type Projection } from '@projectflo/platform/persistence';
import { TASK_ENGINE_EVENT_NAMES, type TaskEngineEvent } from '@projectflo/task-engine/domain';
import { triggerValue } from '../shared/proto-mapping';

/**
 * The task-engine read model, fed from the service's own topics (and rebuildable from the event
 * store with rebuildProjection). Plain SQL rather than entities: upserts guarded by the stream
 * position make every statement safe to repeat, which a replay from offset 0 or a rebuild needs.
 */
export const READ_MODEL_TABLES = [
  'event_types',
  'task_templates',
  'task_template_versions',
  'tasks',
  'task_transitions',
  'task_dependencies',
  'checklist_items',
  'task_comments',
] as const;

const HANDLED = [
  ...TASK_ENGINE_EVENT_NAMES.eventTypes,
  ...TASK_ENGINE_EVENT_NAMES.taskTemplate,
  ...TASK_ENGINE_EVENT_NAMES.task,
] as readonly string[];

export const taskEngineReadModelProjection: Projection = {
  name: 'task-engine-read-model',
  handles: HANDLED,
  tables: READ_MODEL_TABLES,
  async apply(em: EntityManager, recorded: RecordedEvent): Promise<void> {
    await applyEvent(ormTx(em), recorded);
  },
};

async function applyEvent(tx: OrmTx, recorded: RecordedEvent): Promise<void> {
  const event = { type: recorded.type, data: recorded.data } as TaskEngineEvent;
  const pos = recorded.streamPosition;
  const tenant = recorded.metadata.tenantId;
  switch (event.type) {
    case 'EventTypeDefined': {
      const d = event.data;
      await tx.query(
        `INSERT INTO event_types (event_type_id, tenant_id, key, name, description, subject_date_fields, retired, version, defined_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, false, $7, $8)
         ON CONFLICT (event_type_id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
           subject_date_fields = EXCLUDED.subject_date_fields, version = EXCLUDED.version
         WHERE event_types.version < EXCLUDED.version`,
        [d.eventTypeId, tenant, d.key, d.name, d.description, JSON.stringify(d.subjectDateFields), pos, d.definedAt],
      );
      return;
    }
    case 'EventTypeRetired':
      await tx.query('UPDATE event_types SET retired = true, version = $2 WHERE event_type_id = $1 AND version < $2', [event.data.eventTypeId, pos]);
      return;
    case 'TaskTemplateCreated':
    case 'TaskTemplateRevised': {
      const d = event.data;
      const at = event.type === 'TaskTemplateCreated' ? event.data.createdAt : event.data.revisedAt;
      const by = event.type === 'TaskTemplateCreated' ? event.data.createdBy : event.data.revisedBy;
      await tx.query(
        `INSERT INTO task_templates (template_id, tenant_id, key, trigger_kind, trigger_value, current_version, definition, retired,
           stream_version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, false, $8, $9, $9)
         ON CONFLICT (template_id) DO UPDATE SET current_version = EXCLUDED.current_version, definition = EXCLUDED.definition,
           retired = false, stream_version = EXCLUDED.stream_version, updated_at = EXCLUDED.updated_at
         WHERE task_templates.stream_version < EXCLUDED.stream_version`,
        [d.templateId, tenant, d.definition.key, d.definition.trigger.kind, triggerValue(d.definition.trigger), d.version, JSON.stringify(d.definition), pos, at],
      );
      await tx.query(
        `INSERT INTO task_template_versions (template_id, version, tenant_id, definition, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6) ON CONFLICT DO NOTHING`,
        [d.templateId, d.version, tenant, JSON.stringify(d.definition), by, at],
      );
      return;
    }
    case 'TaskTemplateRetired':
      await tx.query(
        'UPDATE task_templates SET retired = true, stream_version = $2, updated_at = $3 WHERE template_id = $1 AND stream_version < $2',
        [event.data.templateId, pos, event.data.retiredAt],
      );
      return;
    case 'TaskCreated': {
      const d = event.data;
      const inserted = await tx.query(
        `INSERT INTO tasks (task_id, tenant_id, name, description, status, priority, phase, metadata, due_at, due_date_basis, assignee_id,
           parent_task_id, subject_id, trigger_kind, trigger_value, trigger_event_id, template_id, template_key, template_version,
           planned_hours, actual_hours, allow_complete_with_open_subtasks, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20::numeric, 0, $21, $22, $22, $23)
         ON CONFLICT (task_id) DO NOTHING RETURNING 1 AS inserted`,
        [
          d.taskId,
          tenant,
          d.name,
          d.description,
          d.status,
          d.priority,
          d.phase,
          JSON.stringify(d.metadata),
          d.dueAt,
          JSON.stringify(d.dueDateBasis),
          d.assigneeId,
          d.parentTaskId,
          d.source.subjectId,
          d.source.trigger.kind,
          triggerValue(d.source.trigger),
          d.source.triggerEventId,
          d.source.templateId,
          d.source.templateKey,
          d.source.templateVersion,
          d.plannedHours,
          d.allowCompleteWithOpenSubtasks,
          d.createdAt,
          pos,
        ],
      );
      if (inserted.length === 0) return;
      for (const blocker of d.blockedBy) {
        await tx.query(
          `INSERT INTO task_dependencies (task_id, blocker_task_id, tenant_id, completed) VALUES ($1, $2, $3, false) ON CONFLICT DO NOTHING`,
          [d.taskId, blocker, tenant],
        );
      }
      for (const [position, item] of d.checklist.entries()) {
        await tx.query(
          `INSERT INTO checklist_items (task_id, item_key, tenant_id, position, title) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
          [d.taskId, item.itemKey, tenant, position, item.title],
        );
      }
      await transition(tx, d.taskId, pos, tenant, null, d.status, d.createdBy, d.createdAt, {});
      return;
    }
    case 'TaskStatusChanged':
      if (await touch(tx, event.data.taskId, pos, event.data.at, 'status = $4', [event.data.to])) {
        await transition(tx, event.data.taskId, pos, tenant, event.data.from, event.data.to, event.data.by, event.data.at, event.data.data);
      }
      return;
    case 'TaskBecameReady':
      if (await touch(tx, event.data.taskId, pos, event.data.at, 'status = $4', [event.data.to])) {
        await transition(tx, event.data.taskId, pos, tenant, event.data.from, event.data.to, event.data.by, event.data.at, {
          completedBlockers: [...event.data.completedBlockers],
        });
      }
      return;
    case 'TaskArchived':
      if (await touch(tx, event.data.taskId, pos, event.data.at, 'status = $4', [event.data.to])) {
        await transition(tx, event.data.taskId, pos, tenant, event.data.from, event.data.to, event.data.by, event.data.at, {
          ...(event.data.reason ? { reason: event.data.reason } : {}),
        });
      }
      return;
    case 'TaskBlockerCompleted':
      if (await touch(tx, event.data.taskId, pos, event.data.at, '', [])) {
        await tx.query('UPDATE task_dependencies SET completed = true WHERE task_id = $1 AND blocker_task_id = $2', [
          event.data.taskId,
          event.data.blockerTaskId,
        ]);
      }
      return;
    case 'TaskAssigned':
      await touch(tx, event.data.taskId, pos, event.data.at, 'assignee_id = $4', [event.data.assigneeId]);
      return;
    case 'TaskRescheduled':
      await touch(tx, event.data.taskId, pos, event.data.at, 'due_at = $4', [event.data.dueAt]);
      return;
    case 'TaskHoursLogged':
      await touch(tx, event.data.taskId, pos, event.data.at, 'actual_hours = $4::numeric', [event.data.actualTotal]);
      return;
    case 'ChecklistItemCompleted':
    case 'ChecklistItemReopened': {
      const d = event.data;
      if (await touch(tx, d.taskId, pos, d.at, '', [])) {
        const completed = event.type === 'ChecklistItemCompleted';
        await tx.query('UPDATE checklist_items SET completed = $3, completed_by = $4, completed_at = $5 WHERE task_id = $1 AND item_key = $2', [
          d.taskId,
          d.itemKey,
          completed,
          completed ? d.by : null,
          completed ? d.at : null,
        ]);
      }
      return;
    }
    case 'ChecklistItemAssigned':
      if (await touch(tx, event.data.taskId, pos, event.data.at, '', [])) {
        await tx.query('UPDATE checklist_items SET assignee_id = $3 WHERE task_id = $1 AND item_key = $2', [
          event.data.taskId,
          event.data.itemKey,
          event.data.assigneeId,
        ]);
      }
      return;
    case 'TaskCommentAdded': {
      const d = event.data;
      if (await touch(tx, d.taskId, pos, d.at, '', [])) {
        await tx.query(
          `INSERT INTO task_comments (task_id, comment_id, tenant_id, body, visibility, author_id, created_at, stream_position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [d.taskId, d.commentId, tenant, d.body, d.visibility, d.by, d.at, pos],
        );
      }
      return;
    }
    case 'ExternalEventIngested':
    case 'AutomationLoopStopped':
      return;
    default: {
      const unexpected: never = event;
      throw new Error(`the read model does not handle ${JSON.stringify(unexpected)}`);
    }
  }
}

/**
 * Moves a task row to stream position `pos` (with an optional extra SET), only if it is behind:
 * returns false for an event the row already reflects, so the child-table change is skipped too.
 */
async function touch(tx: OrmTx, taskId: string, pos: number, at: string, set: string, values: readonly unknown[]): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE tasks SET version = $2, updated_at = $3${set ? `, ${set}` : ''} WHERE task_id = $1 AND version < $2 RETURNING 1 AS moved`,
    [taskId, pos, at, ...values],
  );
  return rows.length === 1;
}

async function transition(
  tx: OrmTx,
  taskId: string,
  pos: number,
  tenant: string,
  from: string | null,
  to: string,
  actor: string,
  at: string,
  data: unknown,
): Promise<void> {
  await tx.query(
    `INSERT INTO task_transitions (task_id, stream_position, tenant_id, from_status, to_status, actor_id, at, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT DO NOTHING`,
    [taskId, pos, tenant, from, to, actor, at, JSON.stringify(data ?? {})],
  );
}
