/**
 * Polls until `probe` returns a value `accept` likes (or stops throwing), or the time runs out —
 * then fails with the last value or error. Reads are eventually consistent (projections follow
 * Kafka), so tests wait for a state rather than sleeping a fixed time.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean = () => true,
  { timeoutMs = 30_000, intervalMs = 200, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value?: T; error?: unknown } = {};
  for (;;) {
    try {
      const value = await probe();
      if (accept(value)) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() > deadline) {
      const detail = 'error' in last && last.error !== undefined ? String(last.error) : JSON.stringify(last.value);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
