import { TopicNamespace } from './topic-namespace';

describe('TopicNamespace', () => {
  it('prefixes logical names and strips the prefix from its own physical names', () => {
    const ns = new TopicNamespace('e2e-1a2b.');
    expect(ns.physical('crm.lead.v1')).toBe('e2e-1a2b.crm.lead.v1');
    expect(ns.logical('e2e-1a2b.crm.lead.v1')).toBe('crm.lead.v1');
  });

  it('does not claim another namespace topic', () => {
    expect(new TopicNamespace('e2e-1a2b.').logical('crm.lead.v1')).toBeUndefined();
    expect(new TopicNamespace('e2e-1a2b.').logical('e2e-ffff.crm.lead.v1')).toBeUndefined();
  });

  it('maps nothing without a prefix', () => {
    const ns = new TopicNamespace('');
    expect(ns.physical('crm.lead.v1')).toBe('crm.lead.v1');
    expect(ns.logical('crm.lead.v1')).toBe('crm.lead.v1');
  });

  it('refuses a prefix Kafka could not name a topic with', () => {
    expect(() => new TopicNamespace('a b')).toThrow(/invalid Kafka topic prefix/);
    expect(() => new TopicNamespace('x'.repeat(101))).toThrow(/invalid Kafka topic prefix/);
  });
});
