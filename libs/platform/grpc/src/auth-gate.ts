import { randomUUID } from 'node:crypto';
import { type Metadata, ServerInterceptingCall, type ServerInterceptor } from '@grpc/grpc-js';
import {
  isPublicMethod,
  type Permission,
  type Principal,
  rolesGrant,
  RPC_PERMISSIONS,
  RPCS_WITHOUT_MEMBERSHIP,
  SERVICE_SUBJECT_PREFIX,
  serviceGranted,
  type TokenVerifier,
  unauthenticated,
  type UserDirectory,
} from '@projectflo/platform/auth';
import { DomainError } from '@projectflo/platform/core';
import type { Logger } from '@projectflo/platform/logging';
import { toGrpcError } from './grpc-error.mapper';
import { CONSISTENCY_HEADER, type ConsistencyWait, requestedConsistency, writtenToken } from './consistency';
import { admitCaller } from './request-context';

/** The header that carries the caller's access token: `authorization: Bearer <jwt>`. */
export const AUTHORIZATION_HEADER = 'authorization';

function bearerToken(metadata: Metadata): string {
  const values = metadata.get(AUTHORIZATION_HEADER);
  if (values.length === 0) throw unauthenticated('no authorization header (expected "authorization: Bearer <token>")');
  if (values.length > 1) throw unauthenticated('the authorization header must be sent once');
  const value = values[0];
  const match = typeof value === 'string' ? /^Bearer +([^\s]+)\s*$/i.exec(value) : null;
  if (match === null) throw unauthenticated('the authorization header must be "Bearer <token>"');
  return match[1]!;
}

function denied(permission: Permission, why: string): DomainError {
  return DomainError.permissionDenied(`permission ${permission} is required: ${why}`);
}

/** Whether the permission matrix lists a method of `grpcService` (e.g. projectflo.crm.v1.CrmService): its callers must be known users. */
export function servesRpcs(grpcService: string): boolean {
  return [...RPC_PERMISSIONS.keys()].some((path) => path.startsWith(`/${grpcService}/`));
}

/**
 * The gate every gRPC call passes before any handler runs (a grpc-js server interceptor):
 * health and reflection are public; every other call needs exactly one valid bearer token
 * (UNAUTHENTICATED otherwise), a method the permission matrix lists (PERMISSION_DENIED otherwise:
 * deny by default) and a role that grants its permission. A user must also be an active member of
 * the token's tenant in the service's UserDirectory, and only the role the directory holds counts
 * (a demoted user's old token loses the power it named; a token cannot raise a role). A service
 * identity needs a grant of the matrix instead. A refused call never reaches its handler.
 */
export class AuthGate {
  private directory: UserDirectory | undefined;
  private consistency: ConsistencyWait | undefined;

  constructor(
    private readonly verifier: TokenVerifier,
    private readonly logger: Logger,
  ) {}

  /** The service's UserDirectory (bound once the app is built: USER_DIRECTORY). */
  bindDirectory(directory: UserDirectory): void {
    this.directory = directory;
  }

  /** The service's wait for consistency tokens (consistency.ts; bound once the app is built). Without one, a token is not waited for. */
  bindConsistency(wait: ConsistencyWait): void {
    this.consistency = wait;
  }

  get hasDirectory(): boolean {
    return this.directory !== undefined;
  }

  /** The caller of a call to `path`, with the roles that count; throws the refusal. */
  async authorize(path: string, metadata: Metadata): Promise<Principal> {
    const principal = await this.verifier.verify(bearerToken(metadata));
    return this.member(path, principal, this.granted(path, principal));
  }

  /** The permission `path` needs, once the token's roles (or the service's grants) give it; throws the refusal. */
  private granted(path: string, principal: Principal): Permission {
    const permission = RPC_PERMISSIONS.get(path);
    if (permission === undefined) throw DomainError.permissionDenied(`${path} declares no permission (deny by default)`);
    if (principal.kind === 'service') {
      const service = principal.userId.slice(SERVICE_SUBJECT_PREFIX.length);
      if (!serviceGranted(service, permission)) throw denied(permission, `service ${service} is not granted it`);
      return permission;
    }
    if (!rolesGrant(principal.roles, permission)) throw denied(permission, `roles [${principal.roles.join(', ')}] do not grant it`);
    return permission;
  }

  /** A granted user as the tenant's directory holds them now (a service passes as it is); throws the refusal. */
  private async member(path: string, principal: Principal, permission: Permission): Promise<Principal> {
    if (principal.kind === 'service' || RPCS_WITHOUT_MEMBERSHIP.has(path)) return principal;
    // Fails closed: a service that serves RPCs does not start without a directory (DirectoryBinding).
    if (this.directory === undefined) throw denied(permission, 'the service knows no users (no USER_DIRECTORY)');
    const member = await this.directory.member(principal.tenantId, principal.userId);
    if (member === undefined || !member.active) throw denied(permission, `user ${principal.userId} is not an active user of the tenant`);
    const roles = principal.roles.filter((role) => role === member.role);
    if (roles.length === 0) throw denied(permission, `the token's roles [${principal.roles.join(', ')}] do not include the user's role, ${member.role}`);
    if (!rolesGrant(roles, permission)) throw denied(permission, `the user's role ${member.role} does not grant it`);
    return { ...principal, roles };
  }

  /**
   * The grpc-js server interceptor: holds the call's metadata (and so its handler) until
   * authorized and, when the call sends consistency tokens, until the read model has reached them
   * (consistency.ts); the reply's headers carry the token of what the call's commands wrote.
   */
  readonly interceptor: ServerInterceptor = (method, call) => {
    let received: Metadata | undefined;
    const cancelled = new AbortController();
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, pass) => {
            if (isPublicMethod(method.path)) return pass(metadata);
            received = metadata;
            this.admit(method.path, metadata, call.getDeadline(), cancelled.signal).then(
              (principal) => {
                admitCaller(metadata, principal);
                pass(metadata);
              },
              (error: unknown) => {
                // A cancelled call has no one to answer (its wait ended with an AbortError).
                if (cancelled.signal.aborted) return;
                const { error: status, origin } = toGrpcError(error, randomUUID());
                const fields = { method: method.path, code: status.code, reason: status.message };
                if (origin === 'rejected') this.logger.debug('grpc call refused by the gate', fields);
                else this.logger.warn('grpc gate failed', { ...fields, err: error });
                call.sendStatus(status);
              },
            );
          },
          // The caller gave up (or its deadline passed): stop waiting for its consistency tokens.
          onCancel: () => cancelled.abort(),
        }),
      sendMetadata: (headers, next) => {
        const token = writtenToken(received);
        if (token !== undefined) headers.set(CONSISTENCY_HEADER, token);
        next(headers);
      },
    });
  };

  /**
   * Authorizes the call, waiting for the consistency tokens it sends (a malformed one is
   * INVALID_ARGUMENT) after the token and its permission are checked and before the user's
   * membership is: so a token of crm's AddUser also waits for the service's user directory.
   */
  private async admit(path: string, metadata: Metadata, deadline: Date | number, cancelled: AbortSignal): Promise<Principal> {
    const principal = await this.verifier.verify(bearerToken(metadata));
    const permission = this.granted(path, principal);
    const requested = requestedConsistency(metadata);
    if (requested.length > 0 && this.consistency !== undefined) {
      await this.consistency.waitFor(requested, deadline instanceof Date ? deadline.getTime() : deadline, cancelled);
    }
    return this.member(path, principal, permission);
  }
}
