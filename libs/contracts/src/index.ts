/**
 * The gRPC contracts of ProjectFlo: types and NestJS controller interfaces generated from proto/
 * (never edited by hand; regenerate with `npm run proto:gen`), plus the constants every service
 * needs to serve or call them.
 *
 * Usage: `import { crmV1, GRPC_CONTRACTS } from '@projectflo/contracts'`, then
 * `crmV1.CrmServiceController`, `crmV1.CaptureLeadRequest`, `crmV1.ContactType.CONTACT_TYPE_CLIENT`.
 */
export * as commonV1 from './generated/common/v1/common';
export * as crmV1 from './generated/crm/v1/crm';
export * as tasksV1 from './generated/tasks/v1/tasks';
export * as ledgerV1 from './generated/ledger/v1/ledger';
export * as schedulingV1 from './generated/scheduling/v1/scheduling';
export * as notificationsV1 from './generated/notifications/v1/notifications';
export type { Timestamp } from './generated/google/protobuf/timestamp';
export * from './services';
export type { BadRequest, BadRequest_FieldViolation, ErrorInfo } from './generated/google/rpc/error_details';
export type { Status as RpcStatus } from './generated/google/rpc/status';
export * as crmLeadEventsV1 from './events/crm-lead.v1';
