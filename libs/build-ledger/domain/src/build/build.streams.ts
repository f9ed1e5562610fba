/** Aggregate types of the build side of build-ledger: the prefix of their stream names (`<type>-<id>`) and the key of the relay's topic map. */
export const BUILD_AGGREGATE_TYPES = { build: 'build', catalog: 'catalog' } as const;

/** Topics of the build side: builds on ledger.build.v1 (BuildBooked is its published contract), catalogs on ledger.catalog.v1. */
export const BUILD_TOPICS = { [BUILD_AGGREGATE_TYPES.build]: 'ledger.build.v1', [BUILD_AGGREGATE_TYPES.catalog]: 'ledger.catalog.v1' } as const;

/** Stream names: a build per build id, a catalog per tenant. */
export const BuildStreams = {
  build: (buildId: string) => `${BUILD_AGGREGATE_TYPES.build}-${buildId}`,
  catalog: (tenantId: string) => `${BUILD_AGGREGATE_TYPES.catalog}-${tenantId}`,
} as const;
