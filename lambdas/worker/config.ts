import * as z from 'zod/mini';
import { CommonConfig, Fields, parseConfig } from '../shared/config';
import { ENFORCEMENT_KEY_PATTERN } from '../shared/enforcement/seal';
import { HqConfig } from '../shared/hq/config';

/** The worker λ's environment. */
export const WorkerConfig = z.extend(CommonConfig, {
  DISCORD_BOT_TOKEN: Fields.nonEmpty,
  /** The queue this worker consumes (failed jobs back off: 10 s, 30 s, 1 min, 2 min) and sends its follow-up jobs to. */
  WORK_QUEUE_URL: Fields.url,
  ...HqConfig,
  /** Seals enforcement records' sensitive fields (base64 of 32 bytes; on AWS from the credentials secret). */
  ENFORCEMENT_KEY: z.optional(z.string().check(z.regex(ENFORCEMENT_KEY_PATTERN, 'must be base64 of 32 bytes (openssl rand -base64 32)'))),
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;

export const loadWorkerConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(WorkerConfig, env);
