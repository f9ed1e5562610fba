import { isInfrastructureOutage } from './infrastructure-outage';

/** An error as node-postgres (DatabaseError) or MikroORM (DriverException copies it) reports it. */
function pgError(code: string, message: string, name = 'error'): Error {
  return Object.assign(new Error(message), { name, code, severity: 'ERROR' });
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:55432`), { code, errno: -111, syscall: 'connect' });
}

/** A grpc-js ServiceError, as Temporal's client wraps it in its own ServiceError's `cause`. */
function grpcError(code: number, details: string): Error {
  const cause = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return Object.assign(new Error('Failed to start Workflow'), { name: 'ServiceError', cause });
}

function kafkaError(name: string, retriable: boolean, cause?: Error): Error {
  return Object.assign(new Error(`${name} happened`), { name, retriable, cause });
}

describe('isInfrastructureOutage', () => {
  it.each([
    ['connection refused', socketError('ECONNREFUSED')],
    ['connection reset', socketError('ECONNRESET')],
    ['unknown host during DNS trouble', socketError('EAI_AGAIN')],
    ['a happy-eyeballs AggregateError', Object.assign(new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')]), { code: 'ECONNREFUSED' })],
    ['an AggregateError without its own code', new AggregateError([new Error('x'), socketError('ETIMEDOUT')])],
    ['Postgres shutting down (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['Postgres starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
    ['a connection exception (08006)', pgError('08006', 'connection failure')],
    ['a statement timeout (57014)', pgError('57014', 'canceling statement due to statement timeout')],
    ['a deadlock (40P01)', pgError('40P01', 'deadlock detected')],
    ['a serialization failure (40001)', pgError('40001', 'could not serialize access')],
    ['MikroORM losing its client', Object.assign(new Error('Client has encountered a connection error and is not queryable'), { name: 'DriverException' })],
    ['Postgres shutting down (57P03)', pgError('57P03', 'the database system is shutting down')],
    ['node-postgres losing its connection', new Error('Connection terminated unexpectedly')],
    ['pg-pool timing out on connect', new Error('timeout exceeded when trying to connect')],
    ['knex waiting for a pooled connection', Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })],
    ['Temporal unavailable (gRPC 14)', grpcError(14, 'No connection established')],
    ['Temporal too slow (gRPC 4)', grpcError(4, 'Deadline exceeded')],
    ['a Kafka broker connection error', kafkaError('KafkaJSConnectionError', true)],
    ['kafkajs giving up on a retriable error', kafkaError('KafkaJSNumberOfRetriesExceeded', false, kafkaError('KafkaJSRequestTimeoutError', true))],
  ])('is an outage: %s', (_what, error) => {
    expect(isInfrastructureOutage(error)).toBe(true);
  });

  it.each([
    ['a value Postgres cannot store (22009)', pgError('22009', 'time zone displacement out of range: "+011476-08-15T05:20:00.000Z"')],
    ['invalid text for a type (22P02)', pgError('22P02', 'invalid input syntax for type uuid: "x"')],
    ['a unique violation (23505)', pgError('23505', 'duplicate key value violates unique constraint "leads_pkey"')],
    ['a not-null violation (23502)', pgError('23502', 'null value in column "name" violates not-null constraint')],
    ['a missing table (42P01)', pgError('42P01', 'relation "leads" does not exist')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'leadId')")],
    ['Temporal refusing the request (gRPC 3)', grpcError(3, 'invalid workflow id')],
    ['a Kafka message too large', Object.assign(kafkaError('KafkaJSProtocolError', false), { code: 10, type: 'MESSAGE_TOO_LARGE' })],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
  ])('is no outage: %s', (_what, error) => {
    expect(isInfrastructureOutage(error)).toBe(false);
  });

  it('survives a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isInfrastructureOutage(a)).toBe(false);
  });
});
