import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './payload-codec';
import type { PayloadKeyring } from './payload-keys';

/** The failure converter module every client, worker and workflow bundle loads (see failure-converter.ts). */
export const FAILURE_CONVERTER_PATH = join(__dirname, 'failure-converter');

/**
 * The one data converter of every Temporal client and worker in ProjectFlo (services, tests,
 * benches, scripts, replay): payloads, failure messages and stack traces are encrypted with
 * AES-256-GCM under the keyring's current key; payloads written under any listed key, or never
 * encrypted, decode.
 */
export function temporalDataConverter(keyring: PayloadKeyring): DataConverter {
  return { failureConverterPath: FAILURE_CONVERTER_PATH, payloadCodecs: [new AesGcmPayloadCodec(keyring)] };
}
