import { type ContractChecks, contractChecks, crmEventContractsV1 } from '@projectflo/contracts';
import type { RecordedEvent } from '@projectflo/platform/core';
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
 * What the read-model consumer checks of an event before projecting it: the schema version and
 * the payload of its published contract (libs/contracts, crm's topics). A mismatch is
 * dead-lettered, never projected; a handled type without a contract fails at registration.
 */
export function crmReadModelChecks(type: string): ContractChecks {
  return contractChecks(crmEventContractsV1, type);
}

/**
 * Whether the read model takes a recorded event: the consumer dead-letters what it refuses and a
 * rebuild skips it, so both produce the same tables.
 */
export function crmReadModelAccepts(event: Pick<RecordedEvent, 'type' | 'schemaVersion' | 'data'>): boolean {
  const { schemaVersions, contract } = crmReadModelChecks(event.type);
  return schemaVersions.includes(event.schemaVersion) && contract.safeParse(event.data).success;
}
