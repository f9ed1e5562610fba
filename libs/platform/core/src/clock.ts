/** Time enters the system through a clock that is passed in, so deciders and tests stay pure. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Injection token of the service's Clock (systemClock in production, FixedClock in tests), provided
 * by the service runtime; inject it as `@Inject(CLOCK) private readonly clock: Clock`.
 */
export const CLOCK = Symbol('projectflo.Clock');

/** A clock that tests can set and move. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(to: Date): void {
    this.current = new Date(to.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
