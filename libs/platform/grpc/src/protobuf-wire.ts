/** A minimal protobuf wire-format reader and writer for the few fixed messages the platform handles by hand. */

export const VARINT = 0;
export const LENGTH_DELIMITED = 2;

export class Writer {
  private readonly parts: Buffer[] = [];

  varint(field: number, value: number): this {
    if (value === 0) return this;
    this.parts.push(encodeVarint((field << 3) | VARINT), encodeVarint(value));
    return this;
  }

  bytes(field: number, value: Buffer): this {
    this.parts.push(encodeVarint((field << 3) | LENGTH_DELIMITED), encodeVarint(value.length), value);
    return this;
  }

  string(field: number, value: string): this {
    return value === '' ? this : this.bytes(field, Buffer.from(value, 'utf8'));
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function encodeVarint(value: number): Buffer {
  const out: number[] = [];
  let v = value >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

/** Each field of a message, in order; unknown wire types stop the read (the input is malformed). */
export function* readFields(buf: Buffer): Generator<{ field: number; varint?: number; bytes?: Buffer }> {
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (offset >= buf.length) throw new Error('truncated varint');
      const byte = buf[offset++] as number;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (offset < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === VARINT) {
      yield { field, varint: varint() };
    } else if (wire === LENGTH_DELIMITED) {
      const length = varint();
      if (offset + length > buf.length) throw new Error('truncated field');
      yield { field, bytes: buf.subarray(offset, offset + length) };
      offset += length;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
}

/** The encoded FileDescriptorProtos of a FileDescriptorSet (field 1, repeated), e.g. from `buf build`. */
export function fileDescriptorsOf(set: Buffer): Buffer[] {
  const files: Buffer[] = [];
  for (const f of readFields(set)) if (f.field === 1 && f.bytes) files.push(Buffer.from(f.bytes));
  return files;
}
