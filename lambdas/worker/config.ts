import * as z from 'zod/mini';
import { CommonConfig, Fields, parseConfig } from '../shared/config';

/** The worker λ's environment. */
export const WorkerConfig = z.extend(CommonConfig, {
  DISCORD_BOT_TOKEN: Fields.nonEmpty,
  /** The queue this worker consumes; with it, failed jobs back off (10 s, 30 s, 1 min, 2 min). */
  WORK_QUEUE_URL: z.optional(Fields.url),
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;

export const loadWorkerConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(WorkerConfig, env);
