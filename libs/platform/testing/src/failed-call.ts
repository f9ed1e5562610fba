import type { ServiceError } from '@grpc/grpc-js';

/** The error a gRPC call failed with; fails the test when the call succeeded. */
export async function failedCall(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}
