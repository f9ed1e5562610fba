import { devKafkaCredentials, TestIssuer } from '@projectflo/platform/testing';

jest.setTimeout(240_000);
// Services started by the tests (in-process or as child processes) trust this process's test tokens.
TestIssuer.shared();
// Tests connect to Kafka as the operator, as scripts/env.sh does, also when it was not sourced.
if (!process.env['KAFKA_SASL_USERNAME']) Object.assign(process.env, devKafkaCredentials('admin'));
