import type { Server } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';

/**
 * The standard grpc.health.v1.Health service of one server: SERVING for each served service and
 * for "" (the whole server) once the services are registered; NOT_SERVING from the moment
 * shutdown begins, so load balancers stop routing before in-flight calls drain.
 */
export class GrpcHealth {
  private readonly implementation = new HealthImplementation({ '': 'NOT_SERVING' });
  private readonly services = new Set<string>(['']);

  addToServer(server: Server): void {
    this.implementation.addToServer(server);
  }

  /** Marks these fully qualified services (and the server) as SERVING. */
  serving(serviceNames: readonly string[]): void {
    for (const name of serviceNames) this.services.add(name);
    this.setAll('SERVING');
  }

  notServing(): void {
    this.setAll('NOT_SERVING');
  }

  private setAll(state: ServingStatus): void {
    for (const name of this.services) this.implementation.setStatus(name, state);
  }
}
