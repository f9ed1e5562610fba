import { crmLeadEventsV1 } from '@projectflo/contracts';
import { crmEventSchemaVersions } from '@projectflo/crm/domain';
import type { EventChecks } from '@projectflo/platform/messaging';
import type { Projection } from '@projectflo/platform/persistence';
import { ContactSchema } from '../contact/contact.entities';
import { contactProjection } from '../contact/contact.projection';
import { LeadStatusSchema } from '../lead-pipeline/lead-pipeline.entities';
import { leadPipelineProjection } from '../lead-pipeline/lead-pipeline.projection';
import {
  CommunicationSchema,
  LeadAssignmentSchema,
  LeadNoteSchema,
  LeadSchema,
  LeadStatusChangeSchema,
} from '../lead/lead.entities';
import { leadProjection } from '../lead/lead.projection';
import { OrganizationSchema, UserSchema } from '../organization/organization.entities';
import { organizationProjection } from '../organization/organization.projection';

/** Every entity of the crm read model (schema `crm`, migrations in ../migrations). */
export const crmEntities = [
  OrganizationSchema,
  UserSchema,
  ContactSchema,
  LeadStatusSchema,
  LeadSchema,
  LeadStatusChangeSchema,
  LeadAssignmentSchema,
  LeadNoteSchema,
  CommunicationSchema,
] as const;

/** Every projection the read-model consumer feeds; each owns disjoint tables and event types. */
export const crmProjections: readonly Projection[] = [organizationProjection, contactProjection, leadPipelineProjection, leadProjection];

/**
 * Payload schema versions the read model understands, per event type. The consumer dead-letters
 * any other version and a rebuild skips it, so both produce the same tables.
 */
export function crmReadModelSchemaVersions(type: string): readonly number[] {
  return [crmEventSchemaVersions[type as keyof typeof crmEventSchemaVersions] ?? 1];
}

const publishedContracts: Readonly<Record<string, { readonly schema: EventChecks['contract'] }>> = crmLeadEventsV1.crmLeadEventContractsV1;

/**
 * What the read-model consumer checks of an event before projecting it: its schema version and,
 * for the events crm publishes to other contexts (crm.lead.v1), the payload against the published
 * contract. A mismatch is dead-lettered, never projected.
 */
export function crmReadModelChecks(type: string): EventChecks {
  return { schemaVersions: crmReadModelSchemaVersions(type), contract: publishedContracts[type]?.schema };
}
