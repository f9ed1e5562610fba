import type { Money } from '../money/money';

/**
 * What the ledger needs to know about a build, folded from the BUILD'S OWN STREAM by the command
 * handler (never from a read model another consumer feeds) and passed in the command, so the
 * ledger's deciders stay pure. The build context's fold provides it (see `buildFactsOf` in the app).
 */
export interface BuildFacts {
  readonly buildId: string;
  readonly currency: string;
  /** The approved price (after change orders); null before approval. */
  readonly approvedTotal: Money | null;
  readonly status: string;
  /** When the build was booked (ISO instant); null before booking. */
  readonly bookedAt: string | null;
  /** The event (wedding, shoot) date, YYYY-MM-DD; null when unknown. */
  readonly eventDate: string | null;
  /** The build stream's version the facts were read at. */
  readonly version: number;
}
