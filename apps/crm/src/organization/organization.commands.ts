import { Injectable } from '@nestjs/common';
import type { crmV1 } from '@projectflo/contracts';
import { organizationDecider, streamName, TextLimits } from '@projectflo/crm/domain';
import { deriveId, DomainError } from '@projectflo/platform/core';
import { type CommandContext, ianaTimezone, text, validate } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { emailField, int64 } from '../shared/crm-grpc.mapping';
import { organizationToProto, userRole, userToProto } from './organization.mapping';
import { evolveOrganizationRow, userView } from './organization.view';

const registerRequest = z.object({ name: text(TextLimits.name, { required: true }), timezone: ianaTimezone() });
const addUserRequest = z.object({
  name: text(TextLimits.name, { required: true }),
  email: emailField,
  timezone: ianaTimezone({ optional: true }),
  role: userRole.required,
});

/** Registers the caller's tenant as an organization and adds its users. */
@Injectable()
export class OrganizationCommands {
  constructor(private readonly executor: CommandExecutor) {}

  async register(ctx: CommandContext, request: crmV1.RegisterOrganizationRequest): Promise<crmV1.RegisterOrganizationResponse> {
    const { name, timezone } = validate(registerRequest, request);
    const { view } = await this.executor.run(
      organizationDecider,
      streamName.organization(ctx.tenantId),
      { type: 'RegisterOrganization', data: { organizationId: ctx.tenantId, name, timezone } },
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
}
