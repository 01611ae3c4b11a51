import * as z from 'zod/mini';
import { CommonConfig, Fields, parseConfig } from '../shared/config';
import { HqConfig } from '../shared/hq/config';

/** The interactions λ's environment. */
export const InteractionsConfig = z.extend(CommonConfig, {
  DISCORD_PUBLIC_KEY: Fields.publicKey,
  WORK_QUEUE_URL: Fields.url,
  ...HqConfig,
});
export type InteractionsConfig = z.infer<typeof InteractionsConfig>;

export const loadInteractionsConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(InteractionsConfig, env);
