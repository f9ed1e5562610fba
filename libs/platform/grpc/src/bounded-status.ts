import { Metadata, ServerInterceptingCall, type ServerInterceptor } from '@grpc/grpc-js';
import { decodeStatusDetails, encodeStatusDetails, type StatusDetails, STATUS_DETAILS_KEY } from './status-details';

/*
 * A status travels in HTTP/2 trailers, and trailers have limits that a message does not: a gRPC
 * client refuses received metadata over 8 KiB by default (C-core's grpc.max_metadata_size), and
 * past 64 KiB in one header Node's HTTP/2 stack fails the HPACK decoding (GOAWAY with
 * COMPRESSION_ERROR), so the whole connection dies: every call on it, not just the one whose
 * status was too big, ends in DEADLINE_EXCEEDED or UNAVAILABLE, which clients retry. A request
 * with 10,000 invalid list elements is enough to produce such a status (one field violation
 * each). So every status a server sends is bounded here, whatever produced it.
 */

/** The most the grpc-message trailer carries, percent-encoded as grpc-js sends it. */
export const MAX_STATUS_MESSAGE_BYTES = 1024;
/** The most the grpc-status-details-bin trailer carries, before base64. */
export const MAX_STATUS_DETAILS_BYTES = 4096;
/** The most characters of one ErrorInfo fact or field-violation text that a shortened status keeps. */
const MAX_DETAIL_TEXT = 256;

/** Bytes a character takes in grpc-message (grpc-js percent-encodes with encodeURI). */
function encodedBytes(char: string): number {
  try {
    return encodeURI(char).length;
  } catch {
    return 9; // an unpaired surrogate, which no encoder sends as it is
  }
}

/** Room left for "… (N more characters)" when a text is cut. */
const CUT_NOTE_BYTES = 48;
/** The fewest bytes one encoded field violation takes (two tags, two lengths). */
const MIN_VIOLATION_BYTES = 4;

/**
 * `text`, or its beginning and "… (N more characters)" when it takes more than `maxBytes`
 * percent-encoded. Reads at most about `maxBytes` characters of it, however long it is.
 */
export function boundText(text: string, maxBytes: number): string {
  let [bytes, keptUnits] = [0, 0];
  for (const char of text) {
    bytes += encodedBytes(char);
    if (bytes > maxBytes) return `${text.slice(0, keptUnits)}… (${text.length - keptUnits} more characters)`;
    if (bytes <= maxBytes - CUT_NOTE_BYTES) keptUnits += char.length;
  }
  return text;
}

/**
 * google.rpc.Status details that encode to at most `maxBytes`: the message bounded, and as many
 * leading field violations as fit (the message says how many were left out).
 */
export function boundDetails(details: StatusDetails, maxBytes: number): Buffer {
  const whole = encodeStatusDetails(details);
  if (whole.length <= maxBytes) return whole;
  const cut = (text: string) => boundText(text, MAX_DETAIL_TEXT);
  const errorInfo = details.errorInfo && {
    ...details.errorInfo,
    metadata: Object.fromEntries(Object.entries(details.errorInfo.metadata).map(([k, v]) => [cut(k), cut(v)])),
  };
  // No more violations can fit than this, however short they are.
  const candidates = details.fieldViolations.slice(0, Math.floor(maxBytes / MIN_VIOLATION_BYTES)).map((v) => ({ field: cut(v.field), description: cut(v.description) }));
  const message = boundText(details.message, MAX_STATUS_MESSAGE_BYTES);
  const encode = (kept: number) => {
    const omitted = details.fieldViolations.length - kept;
    return encodeStatusDetails({
      ...details,
      message: omitted > 0 ? `${message} (${omitted} more field violations not listed)` : message,
      fieldViolations: candidates.slice(0, kept),
      ...(errorInfo ? { errorInfo } : {}),
    });
  };
  // Binary search for the most violations that fit: an encoding grows with every violation kept.
  let [low, high] = [0, candidates.length];
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (encode(mid).length <= maxBytes) low = mid;
    else high = mid - 1;
  }
  return encode(low);
}

/** The status with its message and details trailer within MAX_STATUS_MESSAGE_BYTES and MAX_STATUS_DETAILS_BYTES. */
export function boundStatus<S extends { details: string; metadata?: Metadata | null }>(status: S): S {
  const details = boundText(status.details, MAX_STATUS_MESSAGE_BYTES);
  const encoded = status.metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!Buffer.isBuffer(encoded) || encoded.length <= MAX_STATUS_DETAILS_BYTES) return details === status.details ? status : { ...status, details };
  const metadata = status.metadata!.clone();
  metadata.set(STATUS_DETAILS_KEY, boundDetails(decodeStatusDetails(encoded), MAX_STATUS_DETAILS_BYTES));
  return { ...status, details, metadata };
}

/** Server interceptor: every status this server sends goes through boundStatus. */
export const boundStatusInterceptor: ServerInterceptor = (_method, call) =>
  new ServerInterceptingCall(call, {
    sendStatus: (status, next) => next(boundStatus(status)),
  });
