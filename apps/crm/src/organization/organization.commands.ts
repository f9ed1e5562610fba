import { Injectable } from '@nestjs/common';
import type { crmV1 } from '@projectflo/contracts';
import { organizationDecider, streamName, TextLimits, type OrganizationCommand } from '@projectflo/crm/domain';
import { deriveId, DomainError } from '@projectflo/platform/core';
import { type CommandContext, expectedVersion, ianaTimezone, text, uuid, validate } from '@projectflo/platform/grpc';
import { type CommandIntent, CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { emailField, int64 } from '../shared/crm-grpc.mapping';
import { organizationToProto, userRole, userToProto } from './organization.mapping';
import { evolveOrganizationRow, userView } from './organization.view';

const registerRequest = z.object({
  name: text(TextLimits.name, { required: true }),
  timezone: ianaTimezone(),
  ownerName: text(TextLimits.name, { required: true }),
  ownerEmail: emailField,
});
const addUserRequest = z.object({
  name: text(TextLimits.name, { required: true }),
  email: emailField,
  timezone: ianaTimezone({ optional: true }),
  role: userRole.required,
});
const changeRoleRequest = z.object({ userId: uuid, role: userRole.required, expectedVersion });
const deactivateRequest = z.object({ userId: uuid, reason: text(TextLimits.reason), expectedVersion });
const reactivateRequest = z.object({ userId: uuid, expectedVersion });

/** Registers the caller's tenant as an organization (the caller its first owner) and manages its users. */
@Injectable()
export class OrganizationCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async register(ctx: CommandContext, request: crmV1.RegisterOrganizationRequest): Promise<crmV1.RegisterOrganizationResponse> {
    const { name, timezone, ownerName, ownerEmail } = validate(registerRequest, request);
    const { view } = await this.executor.run(
      organizationDecider,
      streamName.organization(ctx.tenantId),
      { type: 'RegisterOrganization', data: { organizationId: ctx.tenantId, name, timezone, owner: { name: ownerName, email: ownerEmail } } },
      { context: ctx, view: evolveOrganizationRow },
    );
    if (!view) throw DomainError.notFound('organization', ctx.tenantId);
    return { organization: organizationToProto(view) };
  }

  async addUser(ctx: CommandContext, request: crmV1.AddUserRequest): Promise<crmV1.AddUserResponse> {
    const { name, email, timezone, role } = validate(addUserRequest, request);
    // The id comes from the request id, so a retried request adds the same user once.
    const userId = deriveId('user', ctx.tenantId, ctx.requestId);
    const { view, version } = await this.executor.run(
      organizationDecider,
      streamName.organization(ctx.tenantId),
      { type: 'AddUser', data: { userId, name, email, timezone, role } },
      { context: ctx, view: userView(userId) },
    );
    if (!view) throw new Error(`user ${userId} missing after AddUser`);
    return { user: userToProto(view), organizationVersion: int64(version) };
  }

  async changeUserRole(ctx: CommandContext, request: crmV1.ChangeUserRoleRequest): Promise<crmV1.ChangeUserRoleResponse> {
    const { userId, role, expectedVersion: version } = validate(changeRoleRequest, request);
    return this.changeUser(ctx, userId, { type: 'ChangeUserRole', data: { userId, role } }, version);
  }

  async deactivateUser(ctx: CommandContext, request: crmV1.DeactivateUserRequest): Promise<crmV1.DeactivateUserResponse> {
    const { userId, reason, expectedVersion: version } = validate(deactivateRequest, request);
    return this.changeUser(ctx, userId, { type: 'DeactivateUser', data: { userId, reason } }, version);
  }

  async reactivateUser(ctx: CommandContext, request: crmV1.ReactivateUserRequest): Promise<crmV1.ReactivateUserResponse> {
    const { userId, expectedVersion: version } = validate(reactivateRequest, request);
    return this.changeUser(ctx, userId, { type: 'ReactivateUser', data: { userId } }, version);
  }

  /** A command about one existing user; replies with the user's row after it. */
  private async changeUser(
    ctx: CommandContext,
    userId: string,
    command: CommandIntent<OrganizationCommand>,
    expectedVersion: number | undefined,
  ): Promise<{ user: crmV1.User; organizationVersion: crmV1.AddUserResponse['organizationVersion'] }> {
    const { view, version } = await this.executor.run(organizationDecider, streamName.organization(ctx.tenantId), command, {
      context: ctx,
      expectedVersion,
      view: userView(userId),
    });
    if (!view) throw DomainError.notFound('user', userId);
    return { user: userToProto(view), organizationVersion: int64(version) };
  }
}
