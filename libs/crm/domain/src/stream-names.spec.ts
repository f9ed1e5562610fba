import { crmTopics, parseStreamName, streamName, topicForStream } from './stream-names';
import { TENANT, uuid } from './testing/crm.fixtures';

describe('crm stream names and topics', () => {
  it('names one stream per aggregate instance', () => {
    expect(streamName.lead(uuid(1))).toBe(`lead-${uuid(1)}`);
    expect(streamName.contact(uuid(2))).toBe(`contact-${uuid(2)}`);
    expect(streamName.leadPipeline(TENANT)).toBe(`lead-pipeline-${TENANT}`);
    expect(streamName.organization(TENANT)).toBe(`organization-${TENANT}`);
  });

  it('relays each published aggregate to its own topic, and keeps email reservations internal', () => {
    expect(topicForStream(streamName.lead(uuid(1)))).toBe('crm.lead.v1');
    expect(topicForStream(streamName.leadPipeline(TENANT))).toBe('crm.lead-pipeline.v1');
    expect(topicForStream(streamName.contact(uuid(2)))).toBe('crm.contact.v1');
    expect(topicForStream(streamName.organization(TENANT))).toBe('crm.organization.v1');
    expect(topicForStream(streamName.contactEmail(TENANT, 'a@b.co'))).toBeNull();
    expect(topicForStream('task-123')).toBeNull();
    expect(Object.values(crmTopics).sort()).toEqual(['crm.contact.v1', 'crm.lead-pipeline.v1', 'crm.lead.v1', 'crm.organization.v1']);
  });

  it('parses the aggregate id back, the longer category winning', () => {
    expect(parseStreamName(`lead-pipeline-${TENANT}`)).toEqual({ aggregate: 'lead-pipeline', id: TENANT });
    expect(parseStreamName(`lead-${uuid(1)}`)).toEqual({ aggregate: 'lead', id: uuid(1) });
    expect(parseStreamName('lead-')).toBeNull();
  });
});
