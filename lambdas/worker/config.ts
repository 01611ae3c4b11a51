import * as z from 'zod/mini';
import { ArchiveConfigFields, archiveKeyCheck } from '../shared/adapters/archive-factory';
import { DISCORD_CDN_BASE_URL } from '../shared/adapters/fetch-cdn-files';
import { CommonConfig, Fields, parseConfig } from '../shared/config';
import { ENFORCEMENT_KEY_PATTERN } from '../shared/enforcement/seal';
import { HqConfig } from '../shared/hq/config';

const megabytes = (fallback: number) => z._default(z.pipe(z.string().check(z.regex(/^[1-9]\d{0,4}$/, 'must be a whole number of megabytes')), z.transform(Number)), fallback);

/** The worker λ's environment. */
export const WorkerConfig = z
  .extend(CommonConfig, {
    DISCORD_BOT_TOKEN: Fields.nonEmpty,
    /** The queue this worker consumes (failed jobs back off: 10 s, 30 s, 1 min, 2 min) and sends its follow-up jobs to. */
    WORK_QUEUE_URL: Fields.url,
    /** Transcript builds go to their own queue and function (minutes of work, one at a time). */
    TRANSCRIPTS_QUEUE_URL: Fields.url,
    // Transcripts: the sealed archive, viewer links, attachment caps.
    ...ArchiveConfigFields,
    /** Signs transcript viewer links (HMAC); generated into the secret on AWS. */
    DASHBOARD_SESSION_SECRET: Fields.nonEmpty,
    /** The transcript viewer's public origin (the dashboard's), for links in embeds and DMs. */
    TRANSCRIPT_VIEWER_URL: Fields.url,
    /** Discord's CDN (avatars; attachment links come with their messages). */
    DISCORD_CDN_BASE_URL: z._default(Fields.url, DISCORD_CDN_BASE_URL),
    /** A file larger than this is listed in the transcript with its name and size, not archived. */
    TRANSCRIPT_MAX_FILE_MB: megabytes(25),
    /** Attachments archived per transcript, in total. */
    TRANSCRIPT_MAX_TICKET_MB: megabytes(250),
    ...HqConfig,
    /** Seals enforcement records' sensitive fields (base64 of 32 bytes; on AWS from the credentials secret). */
    ENFORCEMENT_KEY: z.optional(z.string().check(z.regex(ENFORCEMENT_KEY_PATTERN, 'must be base64 of 32 bytes (openssl rand -base64 32)'))),
  })
  .check(archiveKeyCheck);
export type WorkerConfig = z.infer<typeof WorkerConfig>;

export const loadWorkerConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(WorkerConfig, env);
