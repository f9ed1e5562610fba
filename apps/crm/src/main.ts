import { grpcServerContract } from '@projectflo/contracts';
import { bootstrapGrpcService, exitOnStartupFailure } from '@projectflo/platform/grpc';
import { CrmAppModule } from './app.module';

bootstrapGrpcService({ ...grpcServerContract('crm'), appModule: CrmAppModule }).catch(exitOnStartupFailure('crm'));
