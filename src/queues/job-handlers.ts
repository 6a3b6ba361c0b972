import type { JobData, JobName } from './queues';

export type JobHandler<N extends JobName> = (
  data: JobData[N],
  attempt: { attemptsMade: number; attempts: number },
) => Promise<void>;
/** Every job name must have a handler: the type makes it a compile error, WorkerHost checks again at boot. */
export type JobHandlers = { [N in JobName]: JobHandler<N> };
export const JOB_HANDLERS = Symbol('JOB_HANDLERS');
