import * as z from 'zod/mini';
import { CommonConfig, parseConfig } from '../shared/config';

/** The sweeper λ's environment. */
export const SweeperConfig = CommonConfig;
export type SweeperConfig = z.infer<typeof SweeperConfig>;

export const loadSweeperConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(SweeperConfig, env);
