import { classifyFailure, describeFailure } from './failure-classification';
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
