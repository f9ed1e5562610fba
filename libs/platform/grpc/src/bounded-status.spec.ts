import { Metadata, status } from '@grpc/grpc-js';
import { boundDetails, boundStatus, boundText, MAX_STATUS_DETAILS_BYTES, MAX_STATUS_MESSAGE_BYTES } from './bounded-status';
import { decodeStatusDetails, encodeStatusDetails, type StatusDetails, STATUS_DETAILS_KEY } from './status-details';

const violations = (n: number) => Array.from({ length: n }, (_, i) => ({ field: `mentions[${i}]`, description: 'must be a UUID' }));
const detailsOf = (n: number): StatusDetails => ({
  code: status.INVALID_ARGUMENT,
  message: violations(n).map((v) => `${v.field}: ${v.description}`).join('; '),
  fieldViolations: violations(n),
  errorInfo: { reason: 'INVALID_ARGUMENT', domain: 'projectflo', metadata: { id: 'x'.repeat(100_000) } },
});
const withDetails = (details: StatusDetails) => {
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, encodeStatusDetails(details));
  return { code: status.INVALID_ARGUMENT, details: details.message, metadata };
};

describe('a bounded status', () => {
  it('leaves a status that fits as it is', () => {
    const small = withDetails({ ...detailsOf(3), errorInfo: { reason: 'INVALID_ARGUMENT', domain: 'projectflo', metadata: {} } });
    expect(boundStatus(small)).toBe(small);
  });

  it('cuts a long message to the budget, percent-encoded, and says how much is left out', () => {
    for (const unit of ['x', ' ', 'é', '🎉']) {
      const text = unit.repeat(50_000);
      const bounded = boundText(text, MAX_STATUS_MESSAGE_BYTES);
      expect(encodeURI(bounded).length).toBeLessThanOrEqual(MAX_STATUS_MESSAGE_BYTES);
      expect(bounded.startsWith(unit.repeat(10))).toBe(true);
      expect(bounded).toMatch(/… \(\d+ more characters\)$/);
    }
    expect(boundText('\ud800'.repeat(1000), 100).length).toBeLessThan(200);
  });

  it('keeps the first field violations of 10,000 that fit, and the count of the others', () => {
    const big = withDetails(detailsOf(10_000));
    expect((big.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer).length).toBeGreaterThan(64 * 1024);

    const bounded = boundStatus(big);
    const encoded = bounded.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer;
    expect(encoded.length).toBeLessThanOrEqual(MAX_STATUS_DETAILS_BYTES);
    expect(encodeURI(bounded.details).length).toBeLessThanOrEqual(MAX_STATUS_MESSAGE_BYTES);
    const decoded = decodeStatusDetails(encoded);
    expect(decoded.code).toBe(status.INVALID_ARGUMENT);
    expect(decoded.fieldViolations.length).toBeGreaterThan(10);
    expect(decoded.fieldViolations).toEqual(violations(decoded.fieldViolations.length));
    expect(decoded.message).toContain(`(${10_000 - decoded.fieldViolations.length} more field violations not listed)`);
    expect(decoded.errorInfo?.metadata['id']?.length).toBeLessThan(300);
    // The caller's metadata object is not changed.
    expect((big.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer).length).toBeGreaterThan(64 * 1024);
  });

  it('fits details with nothing but one huge violation', () => {
    const one: StatusDetails = { code: 3, message: 'm', fieldViolations: [{ field: 'f'.repeat(100_000), description: 'd'.repeat(100_000) }] };
    const decoded = decodeStatusDetails(boundDetails(one, MAX_STATUS_DETAILS_BYTES));
    expect(decoded.fieldViolations).toHaveLength(1);
    expect(decoded.fieldViolations[0]!.field.startsWith('ffff')).toBe(true);
  });
});
