import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { crmV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { idRequestSchema, queryContext, unimplemented, validate } from '@projectflo/platform/grpc';

/**
 * The gRPC edge of crm: one method per RPC of CrmService, each its decorators plus one call.
 * RPCs whose handlers are not wired yet answer UNIMPLEMENTED; wiring one means replacing its stub
 * with a call into the application layer (see libs/platform/grpc/README.md).
 */
@Controller()
@crmV1.CrmServiceControllerMethods()
export class CrmGrpcController implements crmV1.CrmServiceController {
  defineLeadStatus(): never {
    return unimplemented('DefineLeadStatus');
  }

  renameLeadStatus(): never {
    return unimplemented('RenameLeadStatus');
  }

  reorderLeadStatuses(): never {
    return unimplemented('ReorderLeadStatuses');
  }

  retireLeadStatus(): never {
    return unimplemented('RetireLeadStatus');
  }

  /** No read model is wired yet, so the pipeline is empty. */
  listLeadStatuses(_request: crmV1.ListLeadStatusesRequest, metadata?: Metadata): crmV1.ListLeadStatusesResponse {
    queryContext(metadata);
    return { leadStatuses: [] };
  }

  createContact(): never {
    return unimplemented('CreateContact');
  }

  getContact(): never {
    return unimplemented('GetContact');
  }

  captureLead(): never {
    return unimplemented('CaptureLead');
  }

  changeLeadStatus(): never {
    return unimplemented('ChangeLeadStatus');
  }

  assignLead(): never {
    return unimplemented('AssignLead');
  }

  addLeadNote(): never {
    return unimplemented('AddLeadNote');
  }

  logCommunication(): never {
    return unimplemented('LogCommunication');
  }

  archiveLead(): never {
    return unimplemented('ArchiveLead');
  }

  getLead(request: crmV1.GetLeadRequest, metadata?: Metadata): never {
    queryContext(metadata);
    throw DomainError.notFound('lead', validate(idRequestSchema('leadId'), request).leadId);
  }

  listLeads(): never {
    return unimplemented('ListLeads');
  }

  getPipelineSummary(): never {
    return unimplemented('GetPipelineSummary');
  }

  getLeadHistory(): never {
    return unimplemented('GetLeadHistory');
  }
}
