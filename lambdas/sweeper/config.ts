import * as z from 'zod/mini';
import { CommonConfig, Fields, parseConfig } from '../shared/config';
import { HqConfig } from '../shared/hq/config';

/** The sweeper λ's environment. */
export const SweeperConfig = z.extend(CommonConfig, {
  /** Sweeps hand Discord work (auto-close warnings and closes) to the worker through this queue. */
  WORK_QUEUE_URL: Fields.url,
  /** The transcript repair sweep queues stuck builds again on the transcripts queue. */
  TRANSCRIPTS_QUEUE_URL: Fields.url,
  /** The archive bucket: retention and guild purges delete transcripts (no key needed to delete). */
  ARCHIVE_BUCKET: Fields.nonEmpty,
  ...HqConfig,
});
export type SweeperConfig = z.infer<typeof SweeperConfig>;

export const loadSweeperConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(SweeperConfig, env);
