import { defaultPayloadConverter, METADATA_ENCODING_KEY } from '@temporalio/common';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, ENCRYPTION_KEY_ID, isEncryptedPayload } from './payload-codec';
import { generateKey } from '@projectflo/platform/secrets';
import { parsePayloadKeys } from './payload-keys';

const SENTINEL = 'Zelda Quintero <zelda@example.test>';
const OLD = generateKey('k-2025');
const NEW = generateKey('k-2026');
const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('AesGcmPayloadCodec', () => {
  const codec = new AesGcmPayloadCodec(parsePayloadKeys(OLD));
  const payload = defaultPayloadConverter.toPayload({ name: SENTINEL });

  it('stores only ciphertext, labelled with its key id, and decodes back to the same payload', async () => {
    const [encrypted] = await codec.encode([payload]);
    expect(text(encrypted?.metadata?.[METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted?.metadata?.[ENCRYPTION_KEY_ID])).toBe('k-2025');
    expect(Buffer.from(encrypted!.data!).includes(Buffer.from('Zelda'))).toBe(false);
    expect(JSON.stringify(encrypted)).not.toContain('zelda');
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ name: SENTINEL });
  });

  it('uses a fresh IV each time: the same value never encrypts to the same bytes', async () => {
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('after a rotation, encrypts with the new key and still decrypts what the old key wrote', async () => {
    const [old] = await codec.encode([payload]);
    const rotated = new AesGcmPayloadCodec(parsePayloadKeys(`${OLD},${NEW}`, 'k-2026'));
    const [fresh] = await rotated.encode([payload]);
    expect(text(fresh?.metadata?.[ENCRYPTION_KEY_ID])).toBe('k-2026');
    const decoded = await rotated.decode([old!, fresh!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ name: SENTINEL }, { name: SENTINEL }]);
  });

  it('passes payloads that were never encrypted through (histories recorded before the codec)', async () => {
    expect(isEncryptedPayload(payload)).toBe(false);
    expect(await codec.decode([payload])).toEqual([payload]);
  });

  it('refuses a payload of a key it does not hold, naming the key id only', async () => {
    const [fresh] = await new AesGcmPayloadCodec(parsePayloadKeys(NEW)).encode([payload]);
    await expect(codec.decode([fresh!])).rejects.toThrow('payload key k-2026 is not configured');
  });

  it('refuses a tampered ciphertext and a payload relabelled to another key id', async () => {
    const both = new AesGcmPayloadCodec(parsePayloadKeys(`${OLD},${NEW}`, 'k-2025'));
    const [encrypted] = await both.encode([payload]);
    const tampered = Buffer.from(encrypted!.data!);
    tampered[20] = (tampered[20] ?? 0) ^ 1;
    await expect(both.decode([{ ...encrypted!, data: tampered }])).rejects.toThrow();
    const relabelled = { ...encrypted!, metadata: { ...encrypted!.metadata, [ENCRYPTION_KEY_ID]: Buffer.from('k-2026') } };
    await expect(both.decode([relabelled])).rejects.toThrow();
  });
});

describe('parsePayloadKeys', () => {
  it('takes the only key as the current one, and needs the current key named when there are several', () => {
    expect(parsePayloadKeys(OLD).currentKeyId).toBe('k-2025');
    expect(() => parsePayloadKeys(`${OLD},${NEW}`)).toThrow('name the current one');
    expect(parsePayloadKeys(` ${OLD} , ${NEW} `, 'k-2026').keys.size).toBe(2);
  });

  it('refuses malformed keys without quoting key material', () => {
    const short = `k1:${Buffer.alloc(16, 7).toString('base64')}`;
    expect(() => parsePayloadKeys(short)).toThrow('payload key k1 must be 32 bytes (base64), got 16');
    expect(() => parsePayloadKeys(OLD.slice(OLD.indexOf(':') + 1))).toThrow(/kid:base64key/);
    expect(() => parsePayloadKeys(`${OLD},${OLD}`, 'k-2025')).toThrow('listed twice');
    expect(() => parsePayloadKeys(OLD, 'k-missing')).toThrow('the current payload key, k-missing, is not among the configured keys');
    expect(() => parsePayloadKeys(' , ')).toThrow('no payload key is configured');
    const short16 = Buffer.alloc(16, 7).toString('base64');
    expect(() => parsePayloadKeys(`k1:${short16}`)).not.toThrow(short16);
  });
});
