/**
 * Limits on the crm's free text, in characters (code points, as core's Violations and the gRPC
 * edge count them). Names follow the brief (200); the others are generous but bounded so that a
 * hostile request cannot grow a stream without limit.
 */
export const TextLimits = {
  name: 200,
  phone: 50,
  venue: 500,
  source: 200,
  sourceDetails: 2_000,
  description: 2_000,
  reason: 1_000,
  subject: 500,
  noteBody: 10_000,
  communicationContent: 50_000,
  mentions: 50,
} as const;
