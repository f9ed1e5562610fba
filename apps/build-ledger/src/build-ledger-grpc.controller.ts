import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { ledgerV1 } from '@projectflo/contracts';
import { queryContext } from '@projectflo/platform/grpc';
import { BuildQueries } from './builds/build.queries';

/** The gRPC edge of build-ledger: one method per RPC of BuildLedgerService, each its decorators plus one call. */
@Controller()
@ledgerV1.BuildLedgerServiceControllerMethods()
export class BuildLedgerGrpcController implements ledgerV1.BuildLedgerServiceController {
  constructor(private readonly builds: BuildQueries) {}

  getBuild(request: ledgerV1.GetBuildRequest, metadata?: Metadata): Promise<ledgerV1.GetBuildResponse> {
    return this.builds.getBuild(queryContext(metadata), request);
  }

  listBuilds(request: ledgerV1.ListBuildsRequest, metadata?: Metadata): Promise<ledgerV1.ListBuildsResponse> {
    return this.builds.listBuilds(queryContext(metadata), request);
  }

  getBuildHistory(request: ledgerV1.GetBuildHistoryRequest, metadata?: Metadata): Promise<ledgerV1.GetBuildHistoryResponse> {
    return this.builds.getBuildHistory(queryContext(metadata), request);
  }
}
