import { Injectable } from '@nestjs/common';
import { type BuildFacts, buildDecider, buildFactsOf, BuildStreams } from '@projectflo/build-ledger/domain';
import { DomainError } from '@projectflo/platform/core';
import { CommandExecutor } from '@projectflo/platform/service';

/** Where ledger commands learn a build's facts. */
export interface BuildFactsSource {
  /** The build's facts folded from its own stream; NOT_FOUND for an unknown build or another tenant's. */
  of(tenantId: string, buildId: string): Promise<BuildFacts>;
}

/**
 * Reads the build's STREAM (never a read model another consumer feeds, which may lag) and folds it
 * with the build decider: the approved total, currency, booking and event dates as of now.
 */
@Injectable()
export class BuildFactsReader implements BuildFactsSource {
  constructor(private readonly executor: CommandExecutor) {}

  async of(tenantId: string, buildId: string): Promise<BuildFacts> {
    const { state, version } = await this.executor.load(buildDecider, BuildStreams.build(buildId), tenantId);
    const facts = buildFactsOf(state, version);
    if (!facts || facts.tenantId !== tenantId) throw DomainError.notFound('build', buildId);
    return facts;
  }
}

/** The DI token of the BuildFactsSource the ledger's commands use. */
export const BUILD_FACTS = Symbol('BUILD_FACTS');
