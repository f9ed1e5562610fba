import type { z } from 'zod';

/**
 * One published event type: the payload schema version its producer stamps on it
 * (`ce_schemaversion`) and the zod schema of that version's payload.
 */
export interface EventContract<Schema extends z.ZodTypeAny = z.ZodTypeAny> {
  readonly schemaVersion: number;
  readonly schema: Schema;
}

/** The contracts of one topic, by event type (the CloudEvents type's last segment). */
export type EventContracts = Readonly<Record<string, EventContract>>;

/** What a consumer checks of one event type before its handler runs (the shape of the messaging kit's EventChecks). */
export interface ContractChecks {
  readonly schemaVersions: readonly number[];
  readonly contract: z.ZodTypeAny;
}

/**
 * The checks of a published event type: its schema version and its payload schema. A type with
 * no contract is a programming error, reported when the consumer registers its handler.
 */
export function contractChecks(contracts: EventContracts, type: string): ContractChecks {
  const contract = Object.hasOwn(contracts, type) ? contracts[type] : undefined;
  if (!contract) throw new Error(`event type ${type} has no published contract (libs/contracts/src/events)`);
  return { schemaVersions: [contract.schemaVersion], contract: contract.schema };
}
