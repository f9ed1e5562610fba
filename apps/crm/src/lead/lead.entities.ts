import { EntitySchema } from '@mikro-orm/postgresql';

export interface LeadRow {
  leadId: string;
  tenantId: string;
  contactId: string;
  statusId: string;
  assigneeId: string | null;
  /** YYYY-MM-DD. */
  eventDate: string | null;
  venue: string | null;
  source: string;
  sourceDetails: string;
  campaignId: string | null;
  /** YYYY-MM-DD; text, so that range filters compare calendar dates without time zones. */
  followUpDate: string | null;
  expectedCloseDate: string | null;
  temperature: string;
  notes: string | null;
  lastEngagementAt: Date | null;
  archived: boolean;
  capturedAt: Date;
  updatedAt: Date;
  /** Version of the lead stream. */
  version: number;
}

export interface LeadStatusChangeRow {
  eventId: string;
  tenantId: string;
  leadId: string;
  /** Null for the status the lead was captured in. */
  fromStatusId: string | null;
  toStatusId: string;
  reason: string;
  changedBy: string;
  changedAt: Date;
  streamPosition: number;
}

export interface LeadAssignmentRow {
  eventId: string;
  tenantId: string;
  leadId: string;
  previousAssigneeId: string | null;
  assigneeId: string;
  reason: string;
  assignedBy: string;
  assignedAt: Date;
  streamPosition: number;
}

export interface LeadNoteRow {
  noteId: string;
  tenantId: string;
  leadId: string;
  body: string;
  private: boolean;
  mentions: string[];
  authorId: string;
  createdAt: Date;
  streamPosition: number;
}

export interface CommunicationRow {
  communicationId: string;
  tenantId: string;
  leadId: string;
  type: string;
  direction: string;
  subject: string;
  content: string;
  status: string;
  occurredAt: Date;
  loggedBy: string;
  loggedAt: Date;
  streamPosition: number;
}

const datetime = (fieldName: string) => ({ type: 'datetime', fieldName }) as const;

export const LeadSchema = new EntitySchema<LeadRow>({
  name: 'LeadRow',
  tableName: 'leads',
  properties: {
    leadId: { type: 'string', primary: true, fieldName: 'lead_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    contactId: { type: 'string', fieldName: 'contact_id' },
    statusId: { type: 'string', fieldName: 'status_id' },
    assigneeId: { type: 'string', fieldName: 'assignee_id', nullable: true },
    eventDate: { type: 'string', fieldName: 'event_date', nullable: true },
    venue: { type: 'string', nullable: true },
    source: { type: 'string' },
    sourceDetails: { type: 'string', fieldName: 'source_details' },
    campaignId: { type: 'string', fieldName: 'campaign_id', nullable: true },
    followUpDate: { type: 'string', fieldName: 'follow_up_date', nullable: true },
    expectedCloseDate: { type: 'string', fieldName: 'expected_close_date', nullable: true },
    temperature: { type: 'string' },
    notes: { type: 'text', nullable: true },
    lastEngagementAt: { ...datetime('last_engagement_at'), nullable: true },
    archived: { type: 'boolean' },
    capturedAt: datetime('captured_at'),
    updatedAt: datetime('updated_at'),
    version: { type: 'integer' },
  },
});

export const LeadStatusChangeSchema = new EntitySchema<LeadStatusChangeRow>({
  name: 'LeadStatusChangeRow',
  tableName: 'lead_status_history',
  properties: {
    eventId: { type: 'string', primary: true, fieldName: 'event_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    leadId: { type: 'string', fieldName: 'lead_id' },
    fromStatusId: { type: 'string', fieldName: 'from_status_id', nullable: true },
    toStatusId: { type: 'string', fieldName: 'to_status_id' },
    reason: { type: 'text' },
    changedBy: { type: 'string', fieldName: 'changed_by' },
    changedAt: datetime('changed_at'),
    streamPosition: { type: 'integer', fieldName: 'stream_position' },
  },
});

export const LeadAssignmentSchema = new EntitySchema<LeadAssignmentRow>({
  name: 'LeadAssignmentRow',
  tableName: 'lead_assignments',
  properties: {
    eventId: { type: 'string', primary: true, fieldName: 'event_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    leadId: { type: 'string', fieldName: 'lead_id' },
    previousAssigneeId: { type: 'string', fieldName: 'previous_assignee_id', nullable: true },
    assigneeId: { type: 'string', fieldName: 'assignee_id' },
    reason: { type: 'text' },
    assignedBy: { type: 'string', fieldName: 'assigned_by' },
    assignedAt: datetime('assigned_at'),
    streamPosition: { type: 'integer', fieldName: 'stream_position' },
  },
});

export const LeadNoteSchema = new EntitySchema<LeadNoteRow>({
  name: 'LeadNoteRow',
  tableName: 'lead_notes',
  properties: {
    noteId: { type: 'string', primary: true, fieldName: 'note_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    leadId: { type: 'string', fieldName: 'lead_id' },
    body: { type: 'text' },
    private: { type: 'boolean' },
    mentions: { type: 'json' },
    authorId: { type: 'string', fieldName: 'author_id' },
    createdAt: datetime('created_at'),
    streamPosition: { type: 'integer', fieldName: 'stream_position' },
  },
});

export const CommunicationSchema = new EntitySchema<CommunicationRow>({
  name: 'CommunicationRow',
  tableName: 'communications',
  properties: {
    communicationId: { type: 'string', primary: true, fieldName: 'communication_id' },
    tenantId: { type: 'string', fieldName: 'tenant_id' },
    leadId: { type: 'string', fieldName: 'lead_id' },
    type: { type: 'string' },
    direction: { type: 'string' },
    subject: { type: 'text' },
    content: { type: 'text' },
    status: { type: 'string' },
    occurredAt: datetime('occurred_at'),
    loggedBy: { type: 'string', fieldName: 'logged_by' },
    loggedAt: datetime('logged_at'),
    streamPosition: { type: 'integer', fieldName: 'stream_position' },
  },
});
