import { type BeforeApplicationShutdown, type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, ModuleRef } from '@nestjs/core';
import { USER_DIRECTORY, type UserDirectory } from '@projectflo/platform/auth';
import { type Clock, CLOCK } from '@projectflo/platform/core';
import { type Logger, LOGGER } from '@projectflo/platform/logging';
import { AuthGate, servesRpcs } from './auth-gate';
import { GrpcExceptionFilter } from './grpc-exception.filter';
import { GrpcHealth } from './grpc-health';
import { DecodableRequestGuard } from './undecodable-request';

/** Injection token of the service's validated configuration (see loadConfig). */
export const SERVICE_CONFIG = Symbol('projectflo.ServiceConfig');

/** What a service process is given at start-up, before Nest builds its modules. */
export interface ServiceRuntime<Config = unknown> {
  /** e.g. "crm"; stamped on logs. */
  readonly service: string;
  /** The gRPC service it serves, e.g. projectflo.crm.v1.CrmService. */
  readonly grpcService: string;
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly health: GrpcHealth;
  /** The gate of every gRPC call; its UserDirectory is bound once the app is built (DirectoryBinding). */
  readonly gate: AuthGate;
}

@Injectable()
class HealthOnShutdown implements BeforeApplicationShutdown {
  constructor(
    private readonly health: GrpcHealth,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  beforeApplicationShutdown(signal?: string): void {
    this.health.notServing();
    this.logger.info('grpc service stopping', { signal });
  }
}

/**
 * Global providers every service module can inject: LOGGER, CLOCK (core), SERVICE_CONFIG, GrpcHealth
 * and AuthGate; the app's USER_DIRECTORY bound to the gate; plus the gRPC exception filter and the undecodable-request guard for every handler, and
 * NOT_SERVING on shutdown.
 */
/**
 * Binds the app's USER_DIRECTORY provider (wherever the app module declares it) to the gate
 * before the server takes calls. A service that serves RPCs does not start without one: every
 * caller must be an active user of the tenant. A service with health and reflection only needs none.
 */
@Injectable()
class DirectoryBinding implements OnApplicationBootstrap {
  constructor(
    private readonly runtime: Pick<ServiceRuntime, 'gate' | 'grpcService' | 'logger'>,
    private readonly modules: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    let directory: UserDirectory | undefined;
    try {
      directory = this.modules.get<UserDirectory>(USER_DIRECTORY, { strict: false });
    } catch {
      directory = undefined;
    }
    if (directory !== undefined) this.runtime.gate.bindDirectory(directory);
    else if (servesRpcs(this.runtime.grpcService)) {
      throw new Error(`${this.runtime.grpcService} serves RPCs but its app module provides no USER_DIRECTORY (who its users are): refusing to start`);
    }
  }
}

@Module({})
export class ServiceRuntimeModule {
  static forRoot(runtime: ServiceRuntime): DynamicModule {
    return {
      module: ServiceRuntimeModule,
      global: true,
      providers: [
        { provide: LOGGER, useValue: runtime.logger },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: SERVICE_CONFIG, useValue: runtime.config },
        { provide: GrpcHealth, useValue: runtime.health },
        { provide: AuthGate, useValue: runtime.gate },
        { provide: DirectoryBinding, useFactory: (modules: ModuleRef) => new DirectoryBinding(runtime, modules), inject: [ModuleRef] },
        { provide: APP_FILTER, useClass: GrpcExceptionFilter },
        { provide: APP_GUARD, useClass: DecodableRequestGuard },
        HealthOnShutdown,
      ],
      exports: [LOGGER, CLOCK, SERVICE_CONFIG, GrpcHealth, AuthGate],
    };
  }
}

@Module({})
class ServiceRootModule {}

/** The root module of a service process: the runtime providers, then the app's own module. */
export function serviceRootModule(runtime: ServiceRuntime, appModule: Type | DynamicModule): DynamicModule {
  return { module: ServiceRootModule, imports: [ServiceRuntimeModule.forRoot(runtime), appModule] };
}
