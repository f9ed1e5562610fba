import { grpcServerContract } from '@projectflo/contracts';
import { bootstrapGrpcService, exitOnStartupFailure } from '@projectflo/platform/grpc';
import { SchedulingAppModule } from './app.module';

bootstrapGrpcService({ ...grpcServerContract('scheduling'), appModule: SchedulingAppModule }).catch(exitOnStartupFailure('scheduling'));
