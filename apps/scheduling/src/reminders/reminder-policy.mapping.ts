import { schedulingRemindersV1 } from '@projectflo/contracts';
import { enumMapping } from '@projectflo/platform/grpc';
import type { OutsideWorkingTime } from '@projectflo/scheduling/domain';

/** OutsideWorkingTime, both directions. */
export const outsideWorkingTime = enumMapping<schedulingRemindersV1.OutsideWorkingTime, OutsideWorkingTime>(schedulingRemindersV1.OutsideWorkingTime, {
  OUTSIDE_WORKING_TIME_FIRE_ANYWAY: 'FIRE_ANYWAY',
  OUTSIDE_WORKING_TIME_NEXT_WORKING_TIME: 'NEXT_WORKING_TIME',
});
