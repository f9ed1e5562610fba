import {
  CommunicationStatuses,
  type CommunicationDirection,
  type CommunicationStatus,
  type CommunicationType,
  type LeadTemperature,
} from '@projectflo/crm/domain';
import { crmV1 } from '@projectflo/contracts';
import { enumToProto, int64, timestamp } from '../shared/crm-grpc.mapping';
import type { CommunicationRow, LeadRow } from './lead.entities';

export const leadTemperatures: Readonly<Record<string, LeadTemperature>> = {
  [crmV1.LeadTemperature.LEAD_TEMPERATURE_COLD]: 'Cold',
  [crmV1.LeadTemperature.LEAD_TEMPERATURE_WARM]: 'Warm',
  [crmV1.LeadTemperature.LEAD_TEMPERATURE_HOT]: 'Hot',
};

export const communicationTypes: Readonly<Record<string, CommunicationType>> = {
  [crmV1.CommunicationType.COMMUNICATION_TYPE_EMAIL]: 'Email',
  [crmV1.CommunicationType.COMMUNICATION_TYPE_CALL]: 'Call',
  [crmV1.CommunicationType.COMMUNICATION_TYPE_SMS]: 'Sms',
  [crmV1.CommunicationType.COMMUNICATION_TYPE_MEETING]: 'Meeting',
  [crmV1.CommunicationType.COMMUNICATION_TYPE_OTHER]: 'Other',
};

export const communicationDirections: Readonly<Record<string, CommunicationDirection>> = {
  [crmV1.CommunicationDirection.COMMUNICATION_DIRECTION_INBOUND]: 'Inbound',
  [crmV1.CommunicationDirection.COMMUNICATION_DIRECTION_OUTBOUND]: 'Outbound',
};

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
    temperature: enumToProto(leadTemperatures, row.temperature, crmV1.LeadTemperature.LEAD_TEMPERATURE_UNSPECIFIED),
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
    type: enumToProto(communicationTypes, row.type, crmV1.CommunicationType.COMMUNICATION_TYPE_UNSPECIFIED),
    direction: enumToProto(communicationDirections, row.direction, crmV1.CommunicationDirection.COMMUNICATION_DIRECTION_UNSPECIFIED),
    subject: row.subject,
    content: row.content,
    status: row.status,
    occurredAt: timestamp(row.occurredAt),
    loggedBy: row.loggedBy,
  };
}
