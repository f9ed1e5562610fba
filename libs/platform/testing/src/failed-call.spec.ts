import { failedCall } from './failed-call';

describe('failedCall', () => {
  it('gives the error a call failed with', async () => {
    const error = Object.assign(new Error('no'), { code: 5 });
    expect(await failedCall(Promise.reject(error))).toBe(error);
  });

  it('fails when the call succeeded', async () => {
    await expect(failedCall(Promise.resolve({}))).rejects.toThrow('expected the call to fail');
  });
});
