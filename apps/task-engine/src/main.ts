import { grpcServerContract } from '@projectflo/contracts';
import { bootstrapGrpcService, exitOnStartupFailure } from '@projectflo/platform/grpc';
import { TaskEngineAppModule } from './app.module';

bootstrapGrpcService({ ...grpcServerContract('task-engine'), appModule: TaskEngineAppModule }).catch(exitOnStartupFailure('task-engine'));
