import { logLevel } from 'kafkajs';
import { kafkaLogLevelOf } from './kafka-log';

describe('kafkaLogLevelOf', () => {
  it('writes the broker answers kafkajs handles itself at debug, as seen at start on an empty broker', () => {
    expect(kafkaLogLevelOf(logLevel.ERROR, 'Response ListOffsets(key: 2, version: 3)', 'This server is not the leader for that topic-partition')).toBe('debug');
    expect(kafkaLogLevelOf(logLevel.ERROR, 'Response Metadata(key: 3, version: 6)', 'There is no leader for this topic-partition as we are in the middle of a leadership election')).toBe('debug');
    expect(kafkaLogLevelOf(logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', 'Topic creation errors')).toBe('debug');
    expect(kafkaLogLevelOf(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', 'The group coordinator is not available')).toBe('debug');
    expect(kafkaLogLevelOf(logLevel.ERROR, 'Response InitProducerId(key: 22, version: 1)', "The coordinator is loading and hence can't process requests for this group")).toBe('debug');
  });

  it('keeps every other error an error, the same text from another request included', () => {
    expect(kafkaLogLevelOf(logLevel.ERROR, 'Response SaslAuthenticate(key: 36, version: 1)', 'SASL SCRAM SHA512 authentication failed')).toBe('error');
    expect(kafkaLogLevelOf(logLevel.ERROR, 'Response Produce(key: 0, version: 7)', 'This server is not the leader for that topic-partition')).toBe('error');
    expect(kafkaLogLevelOf(logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', 'Topic authorization failed')).toBe('error');
    expect(kafkaLogLevelOf(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded', undefined)).toBe('error');
  });

  it('keeps kafkajs levels otherwise', () => {
    expect(kafkaLogLevelOf(logLevel.WARN, 'Consumer group rebalancing', undefined)).toBe('warn');
    expect(kafkaLogLevelOf(logLevel.INFO, 'Starting', undefined)).toBe('info');
    expect(kafkaLogLevelOf(logLevel.DEBUG, 'Request Fetch', undefined)).toBe('debug');
  });
});
