/** The actor of commands the task-engine issues itself (expansions, unblocking, inbound events). */
export const SYSTEM_ACTOR = 'system:task-engine';

/** Bounds of a gRPC request's free text that the domain does not check itself. */
export const MAX_PAYLOAD_JSON_BYTES = 64 * 1024;
