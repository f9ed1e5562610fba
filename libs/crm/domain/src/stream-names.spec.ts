import { routeStream } from '@projectflo/platform/messaging';
import { crmRelayRoutes, crmTopics, streamName } from './stream-names';
import { TENANT, uuid } from './testing/crm.fixtures';

describe('crm stream names and topics', () => {
  it('names one stream per aggregate instance', () => {
    expect(streamName.lead(uuid(1))).toBe(`lead-${uuid(1)}`);
    expect(streamName.contact(uuid(2))).toBe(`contact-${uuid(2)}`);
    expect(streamName.leadPipeline(TENANT)).toBe(`lead-pipeline-${TENANT}`);
    expect(streamName.organization(TENANT)).toBe(`organization-${TENANT}`);
  });

  it('relays each published aggregate to its own topic keyed by its id, and keeps email reservations internal', () => {
    const route = (stream: string) => routeStream(stream, crmRelayRoutes);
    expect(route(streamName.lead(uuid(1)))).toEqual({ topic: 'crm.lead.v1', key: uuid(1) });
    expect(route(streamName.leadPipeline(TENANT))).toEqual({ topic: 'crm.lead-pipeline.v1', key: TENANT });
    expect(route(streamName.contact(uuid(2)))).toEqual({ topic: 'crm.contact.v1', key: uuid(2) });
    expect(route(streamName.organization(TENANT))).toEqual({ topic: 'crm.organization.v1', key: TENANT });
    expect(route(streamName.contactEmail(TENANT, 'a@b.co'))).toBeUndefined();
    expect(route('task-123')).toBeUndefined();
    expect(Object.values(crmTopics).sort()).toEqual(['crm.contact.v1', 'crm.lead-pipeline.v1', 'crm.lead.v1', 'crm.organization.v1']);
  });
});
