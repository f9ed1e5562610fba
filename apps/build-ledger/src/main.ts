import { grpcServerContract } from '@projectflo/contracts';
import { bootstrapGrpcService, exitOnStartupFailure } from '@projectflo/platform/grpc';
import { BuildLedgerAppModule } from './app.module';

bootstrapGrpcService({ ...grpcServerContract('build-ledger'), appModule: BuildLedgerAppModule }).catch(exitOnStartupFailure('build-ledger'));
