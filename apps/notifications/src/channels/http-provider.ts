import type { Clock } from '@projectflo/platform/core';
import { type ExternalChannel, httpStatusFailure, TransientDeliveryError } from './channel-adapter';

/**
 * One POST to a provider's HTTP API with a timeout (fetch, undici), shared by the Slack and SMS
 * adapters: a network failure or timeout is transient; a non-2xx answer is classified by
 * httpStatusFailure (429 and 5xx transient with Retry-After as a hint, other 4xx permanent). The
 * URL and headers may hold secrets: no error names them.
 */
export async function postToProvider(
  channel: ExternalChannel,
  request: { url: string; headers: Record<string, string>; body: string; timeoutMs: number },
  clock: Clock,
): Promise<{ status: number; body: string }> {
  let response: Response;
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'error',
      signal,
    });
  } catch (error) {
    const reason = signal.aborted ? `no answer within ${request.timeoutMs} ms` : `network failure (${networkCode(error)})`;
    throw new TransientDeliveryError(channel, reason);
  }
  const body = await response.text().catch(() => '');
  if (!response.ok) throw httpStatusFailure(channel, response.status, response.headers.get('retry-after'), clock.now().getTime());
  return { status: response.status, body };
}

/** The system error code under fetch's "fetch failed" (ECONNREFUSED, ENOTFOUND, ...), never a URL. */
function networkCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : 'fetch failed';
}
