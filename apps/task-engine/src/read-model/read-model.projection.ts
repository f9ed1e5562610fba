import type { EntityManager } from '@mikro-orm/postgresql';
import type { RecordedEvent } from '@projectflo/platform/core';
import { type OrmTx, ormTx, type Projection } from '@projectflo/platform/persistence';
import {
  evolveTaskTemplate,
  TASK_ENGINE_EVENT_NAMES,
  type TaskEvent,
  type TaskTemplateDefinition,
  type TaskTemplateEvent,
  type TaskTemplateState,
} from '@projectflo/task-engine/domain';
import { type EventTypeRow, type EventTypeView, eventTypeViewOfRow, evolveEventTypeView } from '../event-types/event-types.view';
import { triggerValue } from '../shared/proto-mapping';
import { evolveTaskView, type TaskView } from '../tasks/tasks.view';

/**
 * The task-engine read model, fed from the service's own topics (and rebuilt from the event store
 * with rebuildProjection). Each aggregate's row is the domain's fold of its stream: the projection
 * loads the stored row, folds the event onto it with the same pure function a command replies
 * with, and writes the result; rows that record history (transitions, comments, template
 * versions) are added once the row took the event. The stream position kept on each row makes
 * every event idempotent, which a replay from offset 0 or a rebuild needs.
 */
export const READ_MODEL_TABLES = [
  'event_types',
  'task_templates',
  'task_template_versions',
  'tasks',
  'task_transitions',
  'task_dependencies',
  'task_comments',
] as const;

/** A row folded from one stream: load it, fold an event onto it, store it, then record the event's history. */
interface FoldedRows<View> {
  readonly handles: readonly string[];
  readonly load: (tx: OrmTx, recorded: RecordedEvent) => Promise<{ readonly tenantId: string; readonly version: number; readonly view: View } | undefined>;
  readonly fold: (view: View | undefined, recorded: RecordedEvent) => View | undefined;
  readonly save: (tx: OrmTx, view: View, recorded: RecordedEvent) => Promise<void>;
  readonly history?: (tx: OrmTx, recorded: RecordedEvent) => Promise<void>;
}

/** An event at or below the row's version is already in it; another tenant's row is never touched. */
async function applyFolded<View>(rows: FoldedRows<View>, tx: OrmTx, recorded: RecordedEvent): Promise<void> {
  const current = await rows.load(tx, recorded);
  if (current && (current.tenantId !== recorded.metadata.tenantId || recorded.streamPosition <= current.version)) return;
  const next = rows.fold(current?.view, recorded);
  if (!next) return;
  await rows.save(tx, next, recorded);
  await rows.history?.(tx, recorded);
}

const idOf = (recorded: RecordedEvent, field: string): string => (recorded.data as Record<string, string>)[field]!;

const eventTypeRows: FoldedRows<EventTypeView> = {
  handles: TASK_ENGINE_EVENT_NAMES.eventTypes,
  async load(tx, recorded) {
    const [row] = await tx.query<EventTypeRow>('SELECT * FROM event_types WHERE event_type_id = $1', [idOf(recorded, 'eventTypeId')]);
    return row && { tenantId: row.tenant_id, version: row.version, view: eventTypeViewOfRow(row) };
  },
  fold: evolveEventTypeView,
  async save(tx, { entry: e, version }, recorded) {
    await tx.query(
      `INSERT INTO event_types (event_type_id, tenant_id, key, name, description, subject_date_fields, retired, version, defined_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)
       ON CONFLICT (event_type_id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
         subject_date_fields = EXCLUDED.subject_date_fields, retired = EXCLUDED.retired, version = EXCLUDED.version
       WHERE event_types.version < EXCLUDED.version`,
      [e.eventTypeId, recorded.metadata.tenantId, e.key, e.name, e.description, JSON.stringify(e.subjectDateFields), e.retired, version, e.definedAt],
    );
  },
};

const templateRows: FoldedRows<TaskTemplateState> = {
  handles: TASK_ENGINE_EVENT_NAMES.taskTemplate,
  async load(tx, recorded) {
    const [row] = await tx.query<{ tenant_id: string; stream_version: number; current_version: number; definition: TaskTemplateDefinition; retired: boolean }>(
      'SELECT tenant_id, stream_version, current_version, definition, retired FROM task_templates WHERE template_id = $1',
      [idOf(recorded, 'templateId')],
    );
    if (!row) return undefined;
    const view: TaskTemplateState = {
      status: row.retired ? 'retired' : 'active',
      templateId: idOf(recorded, 'templateId'),
      version: row.current_version,
      definition: row.definition,
    };
    return { tenantId: row.tenant_id, version: row.stream_version, view };
  },
  fold: (state, recorded) => {
    const next = evolveTaskTemplate(state ?? { status: 'none' }, { type: recorded.type, data: recorded.data } as TaskTemplateEvent);
    return next.status === 'none' ? undefined : next;
  },
  async save(tx, t, recorded) {
    if (t.status === 'none') return;
    const d = t.definition;
    await tx.query(
      `INSERT INTO task_templates (template_id, tenant_id, key, trigger_kind, trigger_value, current_version, definition, retired,
         stream_version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $10)
       ON CONFLICT (template_id) DO UPDATE SET current_version = EXCLUDED.current_version, definition = EXCLUDED.definition,
         retired = EXCLUDED.retired, stream_version = EXCLUDED.stream_version, updated_at = EXCLUDED.updated_at
       WHERE task_templates.stream_version < EXCLUDED.stream_version`,
      [t.templateId, recorded.metadata.tenantId, d.key, d.trigger.kind, triggerValue(d.trigger), t.version, JSON.stringify(d), t.status === 'retired', recorded.streamPosition, templateEventAt(recorded)],
    );
  },
  async history(tx, recorded) {
    const event = { type: recorded.type, data: recorded.data } as TaskTemplateEvent;
    if (event.type === 'TaskTemplateRetired') return;
    const d = event.data;
    const by = event.type === 'TaskTemplateCreated' ? event.data.createdBy : event.data.revisedBy;
    await tx.query(
      `INSERT INTO task_template_versions (template_id, version, tenant_id, definition, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6) ON CONFLICT DO NOTHING`,
      [d.templateId, d.version, recorded.metadata.tenantId, JSON.stringify(d.definition), by, templateEventAt(recorded)],
    );
  },
};

function templateEventAt(recorded: RecordedEvent): string {
  const event = { type: recorded.type, data: recorded.data } as TaskTemplateEvent;
  switch (event.type) {
    case 'TaskTemplateCreated':
      return event.data.createdAt;
    case 'TaskTemplateRevised':
      return event.data.revisedAt;
    case 'TaskTemplateRetired':
      return event.data.retiredAt;
  }
}

const taskRows: FoldedRows<TaskView> = {
  handles: TASK_ENGINE_EVENT_NAMES.task,
  async load(tx, recorded) {
    const [row] = await tx.query<{ tenant_id: string; version: number; state: TaskView['task'] }>(
      'SELECT tenant_id, version, state FROM tasks WHERE task_id = $1',
      [idOf(recorded, 'taskId')],
    );
    return row && { tenantId: row.tenant_id, version: row.version, view: { task: row.state, version: row.version } };
  },
  fold: evolveTaskView,
  async save(tx, { task: t, version }) {
    await tx.query(
      `INSERT INTO tasks (task_id, tenant_id, name, description, status, priority, phase, metadata, due_at, due_date_basis, assignee_id,
         parent_task_id, subject_id, trigger_kind, trigger_value, trigger_event_id, template_id, template_key, template_version,
         planned_hours, actual_hours, allow_complete_with_open_subtasks, created_at, updated_at, version, state, overdue)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20::numeric, $21::numeric,
         $22, $23, $24, $25, $26::jsonb, $27)
       ON CONFLICT (task_id) DO UPDATE SET status = EXCLUDED.status, due_at = EXCLUDED.due_at, assignee_id = EXCLUDED.assignee_id,
         actual_hours = EXCLUDED.actual_hours, updated_at = EXCLUDED.updated_at, version = EXCLUDED.version, state = EXCLUDED.state,
         overdue = EXCLUDED.overdue
       WHERE tasks.version < EXCLUDED.version`,
      [
        t.taskId,
        t.tenantId,
        t.name,
        t.description,
        t.status,
        t.priority,
        t.phase,
        JSON.stringify(t.metadata),
        t.dueAt,
        JSON.stringify(t.dueDateBasis),
        t.assigneeId,
        t.parentTaskId,
        t.source.subjectId,
        t.source.trigger.kind,
        triggerValue(t.source.trigger),
        t.source.triggerEventId,
        t.source.templateId,
        t.source.templateKey,
        t.source.templateVersion,
        t.plannedHours,
        t.actualHours,
        t.allowCompleteWithOpenSubtasks,
        t.createdAt,
        t.updatedAt,
        version,
        JSON.stringify(t),
        t.overdue,
      ],
    );
    if (t.blockedBy.length === 0) return;
    // Who blocks whom, for "which tasks does this one block" (GetTask.blocks_task_ids).
    await tx.query(
      `INSERT INTO task_dependencies (task_id, blocker_task_id, tenant_id, completed)
       SELECT $1, blocker, $2, NOT (blocker = ANY($4::text[])) FROM unnest($3::text[]) AS blocker
       ON CONFLICT (task_id, blocker_task_id) DO UPDATE SET completed = EXCLUDED.completed`,
      [t.taskId, t.tenantId, t.blockedBy, t.openBlockers],
    );
  },
  async history(tx, recorded) {
    const event = { type: recorded.type, data: recorded.data } as TaskEvent;
    const d = event.data;
    switch (event.type) {
      case 'TaskCreated':
        return transition(tx, recorded, null, event.data.status, event.data.createdBy, event.data.createdAt, {});
      case 'TaskStatusChanged':
        return transition(tx, recorded, event.data.from, event.data.to, event.data.by, event.data.at, event.data.data);
      case 'TaskBecameReady':
        return transition(tx, recorded, event.data.from, event.data.to, event.data.by, event.data.at, {
          completedBlockers: [...event.data.completedBlockers],
        });
      case 'TaskArchived':
        return transition(tx, recorded, event.data.from, event.data.to, event.data.by, event.data.at, {
          ...(event.data.reason ? { reason: event.data.reason } : {}),
        });
      case 'TaskCommentAdded':
        await tx.query(
          `INSERT INTO task_comments (task_id, comment_id, tenant_id, body, visibility, author_id, created_at, stream_position)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [d.taskId, event.data.commentId, d.tenantId, event.data.body, event.data.visibility, event.data.by, event.data.at, recorded.streamPosition],
        );
        return;
      default:
        return;
    }
  },
};

async function transition(tx: OrmTx, recorded: RecordedEvent, from: string | null, to: string, actor: string, at: string, data: unknown): Promise<void> {
  await tx.query(
    `INSERT INTO task_transitions (task_id, stream_position, tenant_id, from_status, to_status, actor_id, at, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT DO NOTHING`,
    [idOf(recorded, 'taskId'), recorded.streamPosition, recorded.metadata.tenantId, from, to, actor, at, JSON.stringify(data ?? {})],
  );
}

type Apply = (tx: OrmTx, recorded: RecordedEvent) => Promise<void>;

const byType = <View>(rows: FoldedRows<View>): [string, Apply][] => rows.handles.map((type) => [type, (tx, recorded) => applyFolded(rows, tx, recorded)]);

const APPLY: ReadonlyMap<string, Apply> = new Map([...byType(eventTypeRows), ...byType(templateRows), ...byType(taskRows)]);

export const taskEngineReadModelProjection: Projection = {
  name: 'task-engine-read-model',
  handles: [...APPLY.keys()],
  tables: READ_MODEL_TABLES,
  async apply(em: EntityManager, recorded: RecordedEvent): Promise<void> {
    await APPLY.get(recorded.type)?.(ormTx(em), recorded);
  },
};
