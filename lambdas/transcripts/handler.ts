import { lazy } from '../shared/lazy';
import { buildWorkerDeps, createWorkerHandler } from '../worker/handler';

/**
 * The transcripts λ: the worker's code on the transcripts queue (`transcript.build` jobs only),
 * with the time and memory a large ticket's build needs (see `lib/resources.ts`) and one record
 * per invocation. A build killed by its timeout is retried by SQS like any failure; the repair
 * sweep catches one that never recorded its failure.
 */
export const handler = createWorkerHandler(lazy(() => buildWorkerDeps(process.env, 'transcripts')));
