import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { crmV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { ContactCommands } from './contact/contact.commands';
import { ContactQueries } from './contact/contact.queries';
import { LeadPipelineCommands } from './lead-pipeline/lead-pipeline.commands';
import { LeadPipelineQueries } from './lead-pipeline/lead-pipeline.queries';
import { LeadCommands } from './lead/lead.commands';
import { LeadQueries } from './lead/lead.queries';
import { OrganizationCommands } from './organization/organization.commands';
import { OrganizationQueries } from './organization/organization.queries';

/** The gRPC edge of crm: one method per RPC of CrmService, each its decorators plus one call. */
@Controller()
@crmV1.CrmServiceControllerMethods()
export class CrmGrpcController implements crmV1.CrmServiceController {
  constructor(
    private readonly organizations: OrganizationCommands,
    private readonly organizationQueries: OrganizationQueries,
    private readonly contacts: ContactCommands,
    private readonly contactQueries: ContactQueries,
    private readonly pipeline: LeadPipelineCommands,
    private readonly pipelineQueries: LeadPipelineQueries,
    private readonly leads: LeadCommands,
    private readonly leadQueries: LeadQueries,
  ) {}

  registerOrganization(request: crmV1.RegisterOrganizationRequest, metadata?: Metadata) {
    return this.organizations.register(commandContext(metadata, request), request);
  }

  addUser(request: crmV1.AddUserRequest, metadata?: Metadata) {
    return this.organizations.addUser(commandContext(metadata, request), request);
  }

  changeUserRole(request: crmV1.ChangeUserRoleRequest, metadata?: Metadata) {
    return this.organizations.changeUserRole(commandContext(metadata, request), request);
  }

  deactivateUser(request: crmV1.DeactivateUserRequest, metadata?: Metadata) {
    return this.organizations.deactivateUser(commandContext(metadata, request), request);
  }

  reactivateUser(request: crmV1.ReactivateUserRequest, metadata?: Metadata) {
    return this.organizations.reactivateUser(commandContext(metadata, request), request);
  }

  getOrganization(_request: crmV1.GetOrganizationRequest, metadata?: Metadata) {
    return this.organizationQueries.getOrganization(queryContext(metadata));
  }

  defineLeadStatus(request: crmV1.DefineLeadStatusRequest, metadata?: Metadata) {
    return this.pipeline.define(commandContext(metadata, request), request);
  }

  renameLeadStatus(request: crmV1.RenameLeadStatusRequest, metadata?: Metadata) {
    return this.pipeline.rename(commandContext(metadata, request), request);
  }

  reorderLeadStatuses(request: crmV1.ReorderLeadStatusesRequest, metadata?: Metadata) {
    return this.pipeline.reorder(commandContext(metadata, request), request);
  }

  retireLeadStatus(request: crmV1.RetireLeadStatusRequest, metadata?: Metadata) {
    return this.pipeline.retire(commandContext(metadata, request), request);
  }

  listLeadStatuses(request: crmV1.ListLeadStatusesRequest, metadata?: Metadata) {
    return this.pipelineQueries.listLeadStatuses(queryContext(metadata), request);
  }

  createContact(request: crmV1.CreateContactRequest, metadata?: Metadata) {
    return this.contacts.create(commandContext(metadata, request), request);
  }

  getContact(request: crmV1.GetContactRequest, metadata?: Metadata) {
    return this.contactQueries.getContact(queryContext(metadata), request);
  }

  archiveContact(request: crmV1.ArchiveContactRequest, metadata?: Metadata) {
    return this.contacts.archive(commandContext(metadata, request), request);
  }

  captureLead(request: crmV1.CaptureLeadRequest, metadata?: Metadata) {
    return this.leads.capture(commandContext(metadata, request), request);
  }

  changeLeadStatus(request: crmV1.ChangeLeadStatusRequest, metadata?: Metadata) {
    return this.leads.changeStatus(commandContext(metadata, request), request);
  }

  assignLead(request: crmV1.AssignLeadRequest, metadata?: Metadata) {
    return this.leads.assign(commandContext(metadata, request), request);
  }

  addLeadNote(request: crmV1.AddLeadNoteRequest, metadata?: Metadata) {
    return this.leads.addNote(commandContext(metadata, request), request);
  }

  logCommunication(request: crmV1.LogCommunicationRequest, metadata?: Metadata) {
    return this.leads.logCommunication(commandContext(metadata, request), request);
  }

  archiveLead(request: crmV1.ArchiveLeadRequest, metadata?: Metadata) {
    return this.leads.archive(commandContext(metadata, request), request);
  }

  getLead(request: crmV1.GetLeadRequest, metadata?: Metadata) {
    return this.leadQueries.getLead(queryContext(metadata), request);
  }

  listLeads(request: crmV1.ListLeadsRequest, metadata?: Metadata) {
    return this.leadQueries.listLeads(queryContext(metadata), request);
  }

  getPipelineSummary(request: crmV1.GetPipelineSummaryRequest, metadata?: Metadata) {
    return this.pipelineQueries.getPipelineSummary(queryContext(metadata), request);
  }

  getLeadHistory(request: crmV1.GetLeadHistoryRequest, metadata?: Metadata) {
    return this.leadQueries.getLeadHistory(queryContext(metadata), request);
  }
}
