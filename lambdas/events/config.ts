import * as z from 'zod/mini';
import { CommonConfig, parseConfig } from '../shared/config';

/** The events λ's environment. */
export const EventsConfig = CommonConfig;
export type EventsConfig = z.infer<typeof EventsConfig>;

export const loadEventsConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(EventsConfig, env);
