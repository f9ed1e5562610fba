import type { crmV1 } from '@projectflo/contracts';
import { int64 } from '../shared/crm-grpc.mapping';
import type { LeadStatusRow } from './lead-pipeline.entities';

/** A status as commands reply with it and ListLeadStatuses lists it; a retired one has position -1. */
export function leadStatusToProto(row: LeadStatusRow): crmV1.LeadStatus {
  return {
    statusId: row.statusId,
    name: row.name,
    description: row.description,
    position: row.position ?? -1,
    retired: row.retired,
    version: int64(row.version),
  };
}
