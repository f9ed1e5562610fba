/** The service's name: its commands' system actor (automationMetadata), its service options. */
export const TASK_ENGINE_SERVICE = 'task-engine';

/** Bounds of a gRPC request's free text that the domain does not check itself. */
export const MAX_PAYLOAD_JSON_BYTES = 64 * 1024;
