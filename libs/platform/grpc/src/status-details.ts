import { readFields, Writer } from './protobuf-wire';

/**
 * google.rpc.Status with BadRequest and ErrorInfo details, encoded for the standard
 * `grpc-status-details-bin` trailer that grpcurl and the official client libraries decode. The
 * three messages are tiny and stable, so they are written with a minimal protobuf wire codec
 * rather than a generated or reflected schema.
 */

export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
export const BAD_REQUEST_TYPE_URL = 'type.googleapis.com/google.rpc.BadRequest';
export const ERROR_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.ErrorInfo';

export interface FieldViolationDetail {
  readonly field: string;
  readonly description: string;
}

/** google.rpc.ErrorInfo: a machine-readable reason, its domain, and string facts. */
export interface ErrorInfoDetail {
  readonly reason: string;
  readonly domain: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface StatusDetails {
  readonly code: number;
  readonly message: string;
  readonly fieldViolations: readonly FieldViolationDetail[];
  readonly errorInfo?: ErrorInfoDetail;
}

function any(typeUrl: string, value: Buffer): Buffer {
  return new Writer().string(1, typeUrl).bytes(2, value).finish();
}

export function encodeStatusDetails(details: StatusDetails): Buffer {
  const status = new Writer().varint(1, details.code).string(2, details.message);
  if (details.fieldViolations.length > 0) {
    const badRequest = new Writer();
    for (const v of details.fieldViolations) {
      badRequest.bytes(1, new Writer().string(1, v.field).string(2, v.description).finish());
    }
    status.bytes(3, any(BAD_REQUEST_TYPE_URL, badRequest.finish()));
  }
  if (details.errorInfo) {
    const info = new Writer().string(1, details.errorInfo.reason).string(2, details.errorInfo.domain);
    for (const [key, value] of Object.entries(details.errorInfo.metadata)) {
      info.bytes(3, new Writer().string(1, key).string(2, value).finish());
    }
    status.bytes(3, any(ERROR_INFO_TYPE_URL, info.finish()));
  }
  return status.finish();
}

/** Decodes what encodeStatusDetails writes (and the same messages from any gRPC server). */
export function decodeStatusDetails(buf: Buffer): StatusDetails {
  let code = 0;
  let message = '';
  const fieldViolations: FieldViolationDetail[] = [];
  let errorInfo: ErrorInfoDetail | undefined;
  const text = (b: Buffer | undefined) => (b ? b.toString('utf8') : '');
  for (const f of readFields(buf)) {
    if (f.field === 1 && f.varint !== undefined) code = f.varint;
    else if (f.field === 2) message = text(f.bytes);
    else if (f.field === 3 && f.bytes) {
      let typeUrl = '';
      let value: Buffer = Buffer.alloc(0);
      for (const a of readFields(f.bytes)) {
        if (a.field === 1) typeUrl = text(a.bytes);
        else if (a.field === 2 && a.bytes) value = a.bytes;
      }
      if (typeUrl === BAD_REQUEST_TYPE_URL) {
        for (const v of readFields(value)) {
          if (v.field !== 1 || !v.bytes) continue;
          let field = '';
          let description = '';
          for (const p of readFields(v.bytes)) {
            if (p.field === 1) field = text(p.bytes);
            else if (p.field === 2) description = text(p.bytes);
          }
          fieldViolations.push({ field, description });
        }
      } else if (typeUrl === ERROR_INFO_TYPE_URL) {
        let reason = '';
        let domain = '';
        const metadata: Record<string, string> = {};
        for (const p of readFields(value)) {
          if (p.field === 1) reason = text(p.bytes);
          else if (p.field === 2) domain = text(p.bytes);
          else if (p.field === 3 && p.bytes) {
            let key = '';
            let val = '';
            for (const e of readFields(p.bytes)) {
              if (e.field === 1) key = text(e.bytes);
              else if (e.field === 2) val = text(e.bytes);
            }
            metadata[key] = val;
          }
        }
        errorInfo = { reason, domain, metadata };
      }
    }
  }
  return { code, message, fieldViolations, ...(errorInfo ? { errorInfo } : {}) };
}
