import { TASK_ENGINE_SCHEMA_VERSIONS } from '@projectflo/task-engine/domain';

/** The actor of commands the task-engine issues itself (expansions, unblocking, inbound events). */
export const SYSTEM_ACTOR = 'system:task-engine';

/** Payload schema versions for handleCommand: the domain's, plus the app's own calendar event. */
export const SCHEMA_VERSIONS: Readonly<Record<string, number>> = { ...TASK_ENGINE_SCHEMA_VERSIONS, BusinessCalendarSet: 1 };

/** Bounds of a gRPC request's free text that the domain does not check itself. */
export const MAX_PAYLOAD_JSON_BYTES = 64 * 1024;
