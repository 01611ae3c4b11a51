/**
 * How long after a close its transcript should be stored: a build takes at most 15 minutes per
 * attempt, so a ticket still `pending` (or `failed-retrying`) by then lost its build — a function
 * killed by its timeout or memory never records the failure, and SQS may have dead-lettered it.
 * (Its own module: the ticket store sets it at close, in every function, without the sweep's code.)
 */
export const TRANSCRIPT_DUE_MS = 30 * 60_000;
