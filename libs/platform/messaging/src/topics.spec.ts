import { deadLetterTopic, isTopicName, parseStreamName, publishedTopics, resolveTopic, routeStream, streamName, topicName, topicsWithoutLeaders } from './topics';

const id = '0b6f7c1e-8a52-4c57-9d0e-3f2a1b4c5d6e';

describe('topics and stream names', () => {
  it('names topics <context>.<aggregate>.v<major>', () => {
    expect(topicName('crm', 'lead', 1)).toBe('crm.lead.v1');
    expect(isTopicName('tasks.task.v2')).toBe(true);
    expect(isTopicName('tasks.task')).toBe(false);
    expect(() => topicName('CRM', 'lead', 1)).toThrow();
    expect(() => topicName('crm', 'lead', 0)).toThrow();
  });

  it('names the dead-letter topic after the group', () => {
    expect(deadLetterTopic('task-engine.lead-status')).toBe('task-engine.lead-status.dlq');
  });

  it('splits stream names, keeping hyphenated aggregate types whole before a uuid', () => {
    expect(parseStreamName(streamName('lead', id))).toEqual({ aggregate: 'lead', id });
    expect(parseStreamName(`change-order-${id}`)).toEqual({ aggregate: 'change-order', id });
    expect(parseStreamName('tenant-acme')).toEqual({ aggregate: 'tenant', id: 'acme' });
    expect(parseStreamName('nohyphen')).toBeUndefined();
  });

  it('resolves a stream to its aggregate topic, or nothing when unmapped', () => {
    const topics = { lead: 'crm.lead.v1', 'change-order': 'ledger.change-order.v1' };
    expect(resolveTopic(`lead-${id}`, topics)).toBe('crm.lead.v1');
    expect(resolveTopic(`change-order-${id}`, topics)).toBe('ledger.change-order.v1');
    expect(resolveTopic(`contact-${id}`, topics)).toBeUndefined();
    expect(resolveTopic(`toString-${id}`, topics)).toBeUndefined();
  });

  it('routes by the longest mapped aggregate prefix, whatever the id looks like', () => {
    const topics = { lead: 'crm.lead.v1', 'lead-pipeline': 'crm.lead-pipeline.v1', task: 'tasks.task.v1', 'task-template': 'tasks.task-template.v1' };
    expect(resolveTopic('lead-pipeline-tenant-a', topics)).toBe('crm.lead-pipeline.v1');
    expect(resolveTopic(`lead-pipeline-${id}`, topics)).toBe('crm.lead-pipeline.v1');
    expect(resolveTopic('lead-tenant-a', topics)).toBe('crm.lead.v1');
    expect(resolveTopic('task-template-x', topics)).toBe('tasks.task-template.v1');
    expect(resolveTopic('task-x', topics)).toBe('tasks.task.v1');
    expect(resolveTopic('lead-', topics)).toBeUndefined();
  });

  it('keys a message by the aggregate id after the routed prefix', () => {
    const topics = { 'event-types': 'tasks.event-type.v1', event: 'x.event.v1' };
    expect(routeStream('event-types-tenant-a', topics)).toEqual({ topic: 'tasks.event-type.v1', key: 'tenant-a' });
    expect(routeStream(`event-types-${id}`, topics)).toEqual({ topic: 'tasks.event-type.v1', key: id });
  });
});

describe('internal streams', () => {
  it('are never published, even when their prefix extends a published type', () => {
    const topics = { contact: 'crm.contact.v1', 'contact-email': null };
    expect(routeStream('contact-email-abc', topics)).toBeUndefined();
    expect(routeStream('contact-abc', topics)).toEqual({ topic: 'crm.contact.v1', key: 'abc' });
    expect(publishedTopics(topics)).toEqual(['crm.contact.v1']);
  });
});

describe('topics without leaders', () => {
  const partition = (leader: number) => ({ leader });

  it('are the topics missing from the metadata, without partitions, or with a partition that has no leader yet', () => {
    const metadata = {
      topics: [
        { name: 'crm.lead.v1', partitions: [partition(1), partition(1), partition(1)] },
        { name: 'crm.contact.v1', partitions: [partition(1), partition(-1), partition(1)] },
        { name: 'crm.organization.v1', partitions: [] },
      ],
    };
    expect(topicsWithoutLeaders(['crm.lead.v1', 'crm.contact.v1', 'crm.organization.v1', 'tasks.task.v1'], metadata)).toEqual([
      'crm.contact.v1',
      'crm.organization.v1',
      'tasks.task.v1',
    ]);
  });

  it('is none once every partition of every topic has a leader', () => {
    expect(topicsWithoutLeaders(['crm.lead.v1'], { topics: [{ name: 'crm.lead.v1', partitions: [partition(0), partition(0)] }] })).toEqual([]);
  });
});
