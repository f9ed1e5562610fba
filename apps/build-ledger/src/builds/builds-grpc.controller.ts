import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { type ledgerBuildsV1, type ledgerCatalogV1, ledgerV1 } from '@projectflo/contracts';
import { commandContext, queryContext } from '@projectflo/platform/grpc';
import { CatalogCommands } from '../catalog/catalog.commands';
import { CatalogQueries } from '../catalog/catalog.queries';
import { BuildCommands } from './builds.commands';
import { BuildQueries } from './builds.queries';

const SERVICE = ledgerV1.BUILD_LEDGER_SERVICE_NAME;

/**
 * The catalog and build RPCs of BuildLedgerService: each its context plus one call (GrpcMethod
 * per RPC; the ledger's RPCs are served by their own controller).
 */
@Controller()
export class BuildsGrpcController {
  constructor(
    private readonly catalog: CatalogCommands,
    private readonly catalogQueries: CatalogQueries,
    private readonly commands: BuildCommands,
    private readonly queries: BuildQueries,
  ) {}

  @GrpcMethod(SERVICE, 'UpsertCatalogItem')
  upsertCatalogItem(request: ledgerCatalogV1.UpsertCatalogItemRequest, metadata?: Metadata) {
    return this.catalog.upsert(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'RetireCatalogItem')
  retireCatalogItem(request: ledgerCatalogV1.RetireCatalogItemRequest, metadata?: Metadata) {
    return this.catalog.retire(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ListCatalogItems')
  listCatalogItems(request: ledgerCatalogV1.ListCatalogItemsRequest, metadata?: Metadata) {
    return this.catalogQueries.list(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'CreateBuild')
  createBuild(request: ledgerBuildsV1.CreateBuildRequest, metadata?: Metadata) {
    return this.commands.create(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'UpdateBuildDetails')
  updateBuildDetails(request: ledgerBuildsV1.UpdateBuildDetailsRequest, metadata?: Metadata) {
    return this.commands.updateDetails(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'LinkBuild')
  linkBuild(request: ledgerBuildsV1.LinkBuildRequest, metadata?: Metadata) {
    return this.commands.link(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ConfigureBuild')
  configureBuild(request: ledgerBuildsV1.ConfigureBuildRequest, metadata?: Metadata) {
    return this.commands.configure(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ChangeBuildStatus')
  changeBuildStatus(request: ledgerBuildsV1.ChangeBuildStatusRequest, metadata?: Metadata) {
    return this.commands.changeStatus(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ApproveBuild')
  approveBuild(request: ledgerBuildsV1.ApproveBuildRequest, metadata?: Metadata) {
    return this.commands.approve(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'BookBuild')
  bookBuild(request: ledgerBuildsV1.BookBuildRequest, metadata?: Metadata) {
    return this.commands.book(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ProposeChangeOrder')
  proposeChangeOrder(request: ledgerBuildsV1.ProposeChangeOrderRequest, metadata?: Metadata) {
    return this.commands.proposeChangeOrder(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'ApproveChangeOrder')
  approveChangeOrder(request: ledgerBuildsV1.ApproveChangeOrderRequest, metadata?: Metadata) {
    return this.commands.approveChangeOrder(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'RejectChangeOrder')
  rejectChangeOrder(request: ledgerBuildsV1.RejectChangeOrderRequest, metadata?: Metadata) {
    return this.commands.rejectChangeOrder(commandContext(metadata, request), request);
  }

  @GrpcMethod(SERVICE, 'GetBuild')
  getBuild(request: ledgerBuildsV1.GetBuildRequest, metadata?: Metadata) {
    return this.queries.get(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'ListBuilds')
  listBuilds(request: ledgerBuildsV1.ListBuildsRequest, metadata?: Metadata) {
    return this.queries.list(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'GetBuildHistory')
  getBuildHistory(request: ledgerBuildsV1.GetBuildHistoryRequest, metadata?: Metadata) {
    return this.queries.history(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'GetBuildPriceBreakdown')
  getBuildPriceBreakdown(request: ledgerBuildsV1.GetBuildPriceBreakdownRequest, metadata?: Metadata) {
    return this.queries.breakdown(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'ListChangeOrders')
  listChangeOrders(request: ledgerBuildsV1.ListChangeOrdersRequest, metadata?: Metadata) {
    return this.queries.changeOrders(queryContext(metadata), request);
  }

  @GrpcMethod(SERVICE, 'GetBuildSnapshot')
  getBuildSnapshot(request: ledgerBuildsV1.GetBuildSnapshotRequest, metadata?: Metadata) {
    return this.queries.snapshot(queryContext(metadata), request);
  }
}
