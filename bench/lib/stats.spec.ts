import { percentile, summarizeLatencies } from './stats';

describe('percentile', () => {
  it('uses the nearest rank on unsorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 90)).toBe(9);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(summarizeLatencies([]).meanMs).toBeNaN();
  });

  it('summarizes mean and max', () => {
    expect(summarizeLatencies([1, 2, 3, 6])).toMatchObject({ count: 4, meanMs: 3, maxMs: 6, p50Ms: 2 });
  });
});
