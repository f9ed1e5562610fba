import { classifyFailure, describeFailure, isBrokerAuthenticationFailure } from './failure-classification';
import { PoisonMessageError } from './poison-message.error';

/** An error as node-postgres (DatabaseError) or MikroORM (DriverException copies it) reports it. */
function pgError(code: string, message: string, name = 'error'): Error {
  return Object.assign(new Error(message), { name, code, severity: 'ERROR' });
}

// Which errors are outages is core's isInfrastructureOutage (infrastructure-outage.spec.ts).
describe('classifyFailure', () => {
  it('dead-letters a poison message at once', () => {
    expect(classifyFailure(new PoisonMessageError('invalid-payload', 'leadId: Invalid uuid'))).toBe('poison');
  });

  it('waits out an infrastructure outage', () => {
    expect(classifyFailure(pgError('57P01', 'terminating connection due to administrator command'))).toBe('outage');
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:55432'), { code: 'ECONNREFUSED' }))).toBe('outage');
  });

  it('retries anything else a bounded number of times, then dead-letters it', () => {
    expect(classifyFailure(pgError('22009', 'time zone displacement out of range'))).toBe('error');
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'leadId')"))).toBe('error');
  });
});

describe('describeFailure', () => {
  it('names the class, the code and the message of what failed', () => {
    expect(describeFailure(pgError('22009', 'time zone displacement out of range', 'DriverException'))).toEqual({
      errorClass: 'DriverException',
      errorCode: '22009',
      message: 'time zone displacement out of range',
    });
    expect(describeFailure(new PoisonMessageError('invalid-json', 'Unexpected end of JSON input'))).toEqual({
      errorClass: 'PoisonMessageError',
      errorCode: 'invalid-json',
      message: 'invalid-json: Unexpected end of JSON input',
    });
    expect(describeFailure(new TypeError('x is not a function'))).toEqual({ errorClass: 'TypeError', message: 'x is not a function' });
    expect(describeFailure('boom')).toEqual({ errorClass: 'string', message: 'boom' });
  });
});

describe('isBrokerAuthenticationFailure', () => {
  it('recognises a refused SASL login, alone or as the cause of a non-retriable error', () => {
    const refused = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: invalid credentials'), { name: 'KafkaJSSASLAuthenticationError' });
    expect(isBrokerAuthenticationFailure(refused)).toBe(true);
    expect(isBrokerAuthenticationFailure(Object.assign(new Error('wrapped', { cause: refused }), { name: 'KafkaJSNonRetriableError' }))).toBe(true);
    expect(isBrokerAuthenticationFailure(new Error('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication'))).toBe(true);
  });

  it('does not take other failures for one', () => {
    expect(isBrokerAuthenticationFailure(new Error('This server is not the leader for that topic-partition'))).toBe(false);
    expect(isBrokerAuthenticationFailure('SASL authentication failed')).toBe(false);
    expect(isBrokerAuthenticationFailure(undefined)).toBe(false);
  });
});
