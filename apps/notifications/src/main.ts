import { grpcServerContract } from '@projectflo/contracts';
import { bootstrapGrpcService, exitOnStartupFailure } from '@projectflo/platform/grpc';
import { NotificationsAppModule } from './app.module';

bootstrapGrpcService({ ...grpcServerContract('notifications'), appModule: NotificationsAppModule }).catch(exitOnStartupFailure('notifications'));
