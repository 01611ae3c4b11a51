import * as z from 'zod/mini';
import { CommonConfig, Fields, parseConfig } from '../shared/config';

/** The events λ's environment. */
export const EventsConfig = z.extend(CommonConfig, {
  /** Where closes and notes caused by gateway events go for the worker (which calls Discord). */
  WORK_QUEUE_URL: Fields.url,
});
export type EventsConfig = z.infer<typeof EventsConfig>;

export const loadEventsConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(EventsConfig, env);
