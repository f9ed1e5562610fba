import { Injectable } from '@nestjs/common';
import { crmV1 } from '@projectflo/contracts';
import { crmEventSchemaVersions, organizationDecider, streamName, TextLimits, type OrganizationEvent } from '@projectflo/crm/domain';
import { type Clock, deriveId } from '@projectflo/platform/core';
import { type CommandContext, ianaTimezone, InjectClock, protoEnum, text, toCommandMetadata, validate } from '@projectflo/platform/grpc';
import { CommandExecutor } from '@projectflo/platform/service';
import { z } from 'zod';
import { emailField, enumToProto, int64, timestamp, withProtoFieldNames } from '../shared/crm-grpc.mapping';
import { userRoles } from './organization.mapping';

const options = { aggregate: 'organization', schemaVersions: crmEventSchemaVersions } as const;
const registerRequest = z.object({ name: text(TextLimits.name, { required: true }), timezone: ianaTimezone() });
const addUserRequest = z.object({
  name: text(TextLimits.name, { required: true }),
  email: emailField,
  timezone: ianaTimezone({ optional: true }),
  role: protoEnum(crmV1.UserRole, { required: true }),
});

/** Registers the caller's tenant as an organization and adds its users. */
@Injectable()
export class OrganizationCommands {
  constructor(
    private readonly executor: CommandExecutor,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async register(ctx: CommandContext, request: crmV1.RegisterOrganizationRequest): Promise<crmV1.RegisterOrganizationResponse> {
    const { name, timezone } = validate(registerRequest, request);
    const stream = streamName.organization(ctx.tenantId);
    await withProtoFieldNames({ organization_id: 'x-tenant-id' }, () =>
      this.executor.execute(
        organizationDecider,
        stream,
        {
          type: 'RegisterOrganization',
          data: { organizationId: ctx.tenantId, name, timezone },
          metadata: toCommandMetadata(ctx, this.clock),
        },
        options,
      ),
    );
    const { events, version } = await this.executor.store.readStream(stream);
    const registered = events
      .map((e) => ({ type: e.type, data: e.data }) as OrganizationEvent)
      .find((e) => e.type === 'OrganizationRegistered');
    const state = events.reduce((s, e) => organizationDecider.evolve(s, { type: e.type, data: e.data } as OrganizationEvent), organizationDecider.initialState());
    if (state.status !== 'registered' || registered?.type !== 'OrganizationRegistered') throw new Error('organization stream without registration');
    return {
      organization: {
        organizationId: state.organizationId,
        name: state.name,
        timezone: state.timezone,
        registeredAt: timestamp(registered.data.registeredAt),
        version: int64(version),
      },
    };
  }

  async addUser(ctx: CommandContext, request: crmV1.AddUserRequest): Promise<crmV1.AddUserResponse> {
    const valid = validate(addUserRequest, request);
    // The id comes from the request id, so a retried request adds the same user once.
    const userId = deriveId('user', ctx.tenantId, ctx.requestId);
    const result = await this.executor.execute(
      organizationDecider,
      streamName.organization(ctx.tenantId),
      {
        type: 'AddUser',
        data: {
          userId,
          name: valid.name,
          email: valid.email,
          timezone: valid.timezone,
          role: userRoles[valid.role] ?? ('' as never),
        },
        metadata: toCommandMetadata(ctx, this.clock),
      },
      options,
    );
    const added = result.events.map((e) => ({ type: e.type, data: e.data }) as OrganizationEvent).find((e) => e.type === 'UserAdded');
    const user = result.state.status === 'registered' ? result.state.users[userId] : undefined;
    if (!user || added?.type !== 'UserAdded') throw new Error(`user ${userId} missing after AddUser`);
    return {
      user: {
        userId,
        name: user.name,
        email: user.email,
        timezone: user.timezone,
        role: enumToProto(userRoles, user.role, crmV1.UserRole.USER_ROLE_UNSPECIFIED),
        active: user.active,
        addedAt: timestamp(added.data.addedAt),
      },
      organizationVersion: int64(result.version),
    };
  }
}
