import {
  CommunicationStatuses,
  type CommunicationDirection,
  type CommunicationStatus,
  type CommunicationType,
  type LeadTemperature,
} from '@projectflo/crm/domain';
import { crmV1 } from '@projectflo/contracts';
import { enumMapping } from '@projectflo/platform/grpc';
import { int64, timestamp } from '../shared/crm-grpc.mapping';
import type { CommunicationRow, LeadRow } from './lead.entities';

export const leadTemperature = enumMapping<crmV1.LeadTemperature, LeadTemperature>(crmV1.LeadTemperature, {
  LEAD_TEMPERATURE_COLD: 'Cold',
  LEAD_TEMPERATURE_WARM: 'Warm',
  LEAD_TEMPERATURE_HOT: 'Hot',
});

export const communicationType = enumMapping<crmV1.CommunicationType, CommunicationType>(crmV1.CommunicationType, {
  COMMUNICATION_TYPE_EMAIL: 'Email',
  COMMUNICATION_TYPE_CALL: 'Call',
  COMMUNICATION_TYPE_SMS: 'Sms',
  COMMUNICATION_TYPE_MEETING: 'Meeting',
  COMMUNICATION_TYPE_OTHER: 'Other',
});

export const communicationDirection = enumMapping<crmV1.CommunicationDirection, CommunicationDirection>(crmV1.CommunicationDirection, {
  COMMUNICATION_DIRECTION_INBOUND: 'Inbound',
  COMMUNICATION_DIRECTION_OUTBOUND: 'Outbound',
});

/**
 * The proto carries the communication status as text: any case of a domain status is accepted;
 * anything else is passed through unchanged for the decider to reject naming `status`.
 */
export function communicationStatus(text: string | null | undefined): CommunicationStatus | undefined {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return undefined;
  const found = CommunicationStatuses.find((s) => s.toLowerCase() === trimmed.toLowerCase());
  return found ?? (trimmed as CommunicationStatus);
}

export function leadToProto(row: LeadRow): crmV1.Lead {
  return {
    leadId: row.leadId,
    contactId: row.contactId,
    statusId: row.statusId,
    assigneeId: row.assigneeId ?? '',
    eventDate: row.eventDate ?? '',
    venue: row.venue ?? '',
    source: row.source,
    sourceDetails: row.sourceDetails,
    campaignId: row.campaignId ?? '',
    score: 0,
    temperature: leadTemperature.toProto(row.temperature),
    expectedCloseDate: row.expectedCloseDate ?? '',
    lastEngagementAt: timestamp(row.lastEngagementAt),
    archived: row.archived,
    capturedAt: timestamp(row.capturedAt),
    updatedAt: timestamp(row.updatedAt),
    version: int64(row.version),
    followUpDate: row.followUpDate ?? '',
    notes: row.notes ?? '',
  };
}

export function communicationToProto(row: Omit<CommunicationRow, 'tenantId' | 'leadId' | 'streamPosition' | 'loggedAt'>): crmV1.Communication {
  return {
    communicationId: row.communicationId,
    type: communicationType.toProto(row.type),
    direction: communicationDirection.toProto(row.direction),
    subject: row.subject,
    content: row.content,
    status: row.status,
    occurredAt: timestamp(row.occurredAt),
    loggedBy: row.loggedBy,
  };
}
