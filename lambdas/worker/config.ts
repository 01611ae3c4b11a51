import * as z from 'zod/mini';
import { CommonConfig, Fields, parseConfig } from '../shared/config';

/** The worker λ's environment. */
export const WorkerConfig = z.extend(CommonConfig, {
  DISCORD_BOT_TOKEN: Fields.nonEmpty,
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;

export const loadWorkerConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(WorkerConfig, env);
