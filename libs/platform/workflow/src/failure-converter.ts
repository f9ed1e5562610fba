import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (DataConverter.failureConverterPath) into clients, workers and the workflow
 * bundle: error messages and stack traces travel as an encoded payload, so the payload codec
 * encrypts them too (an error message may quote a lead's name or email).
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
