import type { WorkJob } from '../contracts/work-job';

/** Hands slow work from the interactions λ to the worker λ. */
export interface WorkQueue {
  enqueue(job: WorkJob): Promise<void>;
}
