import { decodeStatusDetails, encodeStatusDetails } from './status-details';

describe('status details codec', () => {
  it('round-trips code, message, field violations and error info, including non-ASCII text', () => {
    const details = {
      code: 3,
      message: 'lead.name: darf nicht leer sein — ü',
      fieldViolations: [
        { field: 'lead.name', description: 'darf nicht leer sein' },
        { field: 'x'.repeat(300), description: '' },
      ],
      errorInfo: { reason: 'INVALID_ARGUMENT', domain: 'projectflo', metadata: { a: '1', b: '' } },
    };
    expect(decodeStatusDetails(encodeStatusDetails(details))).toEqual(details);
  });

  it('matches the protobuf wire format of google.rpc.Status', () => {
    // code=5, message="nf": 08 05 12 02 6e 66
    expect(encodeStatusDetails({ code: 5, message: 'nf', fieldViolations: [] }).toString('hex')).toBe('080512026e66');
  });

  it('rejects truncated input', () => {
    expect(() => decodeStatusDetails(Buffer.from([0x12, 0x05, 0x61]))).toThrow('truncated');
  });
});
