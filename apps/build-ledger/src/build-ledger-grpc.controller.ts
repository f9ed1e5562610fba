import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { ledgerV1 } from '@projectflo/contracts';
import { DomainError } from '@projectflo/platform/core';
import { idRequestSchema, queryContext, unimplemented, validate } from '@projectflo/platform/grpc';

/**
 * The gRPC edge of build-ledger: one method per RPC of BuildLedgerService, each its decorators plus one call.
 * RPCs whose handlers are not wired yet answer UNIMPLEMENTED; wiring one means replacing its stub
 * with a call into the application layer (see libs/platform/grpc/README.md).
 */
@Controller()
@ledgerV1.BuildLedgerServiceControllerMethods()
export class BuildLedgerGrpcController implements ledgerV1.BuildLedgerServiceController {
  getBuild(request: ledgerV1.GetBuildRequest, metadata?: Metadata): never {
    queryContext(metadata);
    throw DomainError.notFound('build', validate(idRequestSchema('buildId'), request).buildId);
  }

  /** No read model is wired yet, so there are no builds. */
  listBuilds(_request: ledgerV1.ListBuildsRequest, metadata?: Metadata): ledgerV1.ListBuildsResponse {
    queryContext(metadata);
    return { builds: [], page: { nextPageToken: '' } };
  }

  getBuildHistory(): never {
    return unimplemented('GetBuildHistory');
  }
}
