import { TestIssuer } from '@projectflo/platform/testing';

jest.setTimeout(240_000);
// Services started by the tests (in-process or as child processes) trust this process's test tokens.
TestIssuer.shared();
