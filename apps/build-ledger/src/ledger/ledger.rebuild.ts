import { contractChecks, ledgerBuildLedgerEventsV1 } from '@projectflo/contracts';
import type { RecordedEvent } from '@projectflo/platform/core';
import { type ReadModelRebuildOptions, type ReadModelRebuildReport, readModelProjection, rebuildReadModel } from '@projectflo/platform/persistence';
import { LEDGER_ENTITIES } from './ledger.entities';
import { ledgerProjection } from './ledger.projection';

/** Key of the rebuild's row in `projection_checkpoints`. */
export const LEDGER_READ_MODEL_CHECKPOINT = 'build-ledger-ledger-read-model';

/** Every table the ledger-read-model consumer writes; a rebuild truncates exactly these. */
export const LEDGER_READ_MODEL_TABLES: readonly string[] = ledgerProjection.tables;

/** Entities the ORM of a rebuild must know. */
export const LEDGER_READ_MODEL_ENTITIES = LEDGER_ENTITIES;

/** Whether the read model takes a recorded event: what the consumer projects (its contract holds) and a rebuild replays. */
export function ledgerReadModelAccepts(event: Pick<RecordedEvent, 'type' | 'schemaVersion' | 'data'>): boolean {
  if (!ledgerProjection.handles.includes(event.type)) return false;
  const { schemaVersions, contract } = contractChecks(ledgerBuildLedgerEventsV1.ledgerBuildLedgerEventContractsV1, event.type);
  return schemaVersions.includes(event.schemaVersion) && contract.safeParse(event.data).success;
}

/** Rebuilds the ledger read model (ledger_views, ledger_invoices, ledger_payments, ledger_journal_lines) from the event store, swapped in at once. */
export function rebuildLedgerReadModel(options: ReadModelRebuildOptions): Promise<ReadModelRebuildReport> {
  return rebuildReadModel({ ...options, projection: readModelProjection(LEDGER_READ_MODEL_CHECKPOINT, [ledgerProjection]), accepts: ledgerReadModelAccepts });
}
