import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import type { APIInteraction } from 'discord-api-types/v10';
import { InteractionResponseType, InteractionType } from '../shared/discord-constants';
import { isUserError } from '../shared/errors';
import { jsonResponse } from '../shared/http';
import { errorToInteractionResponse } from '../shared/interaction-reply';
import { safeError } from '../shared/safe-error';
import { routeInteraction } from './router';
import type { InteractionDeps } from './types';
import { isSignedByDiscord, type PublicKey } from './verify';

export interface InteractionsApp extends InteractionDeps {
  publicKey: PublicKey;
}

/**
 * When our reply should be on its way, counted from the moment the Function URL received the
 * request: Discord gives 3 s for the first reply, and the answer must still travel back.
 * Routing is not raced against it — a reply sent while routing still ran would leave that work
 * frozen half done (DESIGN §2: nothing runs after the response). It is bounded instead by every
 * AWS call's own limits (`INTERACTION_CLIENT_LIMITS`: ~1 s per attempt, 2 attempts), and a
 * call that fails takes the normal error path.
 */
export const INTERACTION_DEADLINE_MS = 2_500;

/** The error telemetry send after a failure gets what is left before the deadline, at most this. */
const REPORT_BUDGET_MS = 300;

/** Decodes the Function URL body to the exact bytes Discord signed. */
function rawBody(event: LambdaFunctionURLEvent): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

function header(event: LambdaFunctionURLEvent, name: string): string | undefined {
  // Function URLs lower-case header names; be lenient for other adapters.
  return event.headers?.[name] ?? Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields the router relies on, per interaction type; anything else is a malformed body (400),
 * not a bug to log. @see https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object
 */
export function asInteraction(value: unknown): APIInteraction | null {
  if (!isObject(value)) return null;
  const { id, application_id, token, type } = value;
  if (typeof id !== 'string' || typeof application_id !== 'string' || typeof token !== 'string' || typeof type !== 'number') return null;
  if (type === InteractionType.Ping) return value as unknown as APIInteraction;
  const member = value.member;
  const user = isObject(member) && isObject(member.user) ? member.user : value.user;
  if (!isObject(user) || typeof user.id !== 'string') return null;
  const data = value.data;
  switch (type) {
    case InteractionType.ApplicationCommand:
    case InteractionType.ApplicationCommandAutocomplete:
      return isObject(data) && typeof data.name === 'string' ? (value as unknown as APIInteraction) : null;
    case InteractionType.MessageComponent:
    case InteractionType.ModalSubmit:
      return isObject(data) && typeof data.custom_id === 'string' ? (value as unknown as APIInteraction) : null;
    default:
      // A type newer than this code: well-formed, answered as "no longer available" by the router.
      return value as unknown as APIInteraction;
  }
}

/**
 * How far a request's signed timestamp may be from our clock. Discord signs each request as it
 * sends it; a much older signature is a replay of a captured request.
 */
export const MAX_TIMESTAMP_SKEW_SECONDS = 300;

/**
 * The interactions endpoint: verify → parse → PING or route → reply. 401 for any signature
 * failure, 400 for a signed body that is not an interaction, and otherwise always 200 with an
 * interaction response (errors become ephemeral messages). Nothing runs after the response.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
 */
export async function handleInteractionRequest(event: LambdaFunctionURLEvent, app: InteractionsApp): Promise<LambdaFunctionURLResult> {
  // Wall-clock time, as Discord's window is: from when the Function URL took the request, not from when this code started.
  const receivedAt = event.requestContext?.timeEpoch ?? Date.now();
  if (event.requestContext?.http?.method && event.requestContext.http.method !== 'POST') {
    return jsonResponse(405, { error: 'method_not_allowed', message: 'Interactions are delivered with POST.' }, { allow: 'POST' });
  }
  const body = rawBody(event);
  const timestamp = header(event, 'x-signature-timestamp');
  const signed = await isSignedByDiscord(body, header(event, 'x-signature-ed25519'), timestamp, app.publicKey);
  // A signed but non-numeric timestamp is refused too (NaN would slip past the skew check).
  const signedAt = Number(timestamp);
  if (!signed || !/^\d{1,12}$/.test(timestamp ?? '') || Math.abs(app.clock.now() / 1000 - signedAt) > MAX_TIMESTAMP_SKEW_SECONDS) {
    return jsonResponse(401, { error: 'invalid_signature', message: 'Missing or invalid request signature.' });
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return jsonResponse(400, { error: 'malformed_body', message: 'Body is not valid JSON.' });
  }
  const interaction = asInteraction(parsed);
  if (!interaction) return jsonResponse(400, { error: 'malformed_body', message: 'Body is not a Discord interaction.' });
  if (interaction.type === InteractionType.Ping) return jsonResponse(200, { type: InteractionResponseType.Pong });

  try {
    return jsonResponse(200, await routeInteraction(interaction, app));
  } catch (err) {
    if (!isUserError(err)) {
      app.log.error('interaction failed', { interactionId: interaction.id, guildId: interaction.guild_id, type: interaction.type, error: safeError(err) });
      await reportError(err, interaction, app, Math.min(REPORT_BUDGET_MS, receivedAt + INTERACTION_DEADLINE_MS - Date.now()));
    }
    return jsonResponse(200, errorToInteractionResponse(err, { autocomplete: interaction.type === InteractionType.ApplicationCommandAutocomplete }));
  }
}

/**
 * Hands the error to telemetry via the worker (an in-region SQS send; PostHog is never called on
 * the 3-second path), within `budgetMs`: the send is aborted when it runs out, so nothing is left
 * running after the response (an aborted send can only lose, or still deliver, this one telemetry
 * event — no state of ours). A failed send is only logged: the user's reply matters more.
 */
async function reportError(err: unknown, interaction: APIInteraction, app: InteractionsApp, budgetMs: number): Promise<void> {
  if (budgetMs <= 0) {
    app.log.warn('no time left to queue error telemetry', { interactionId: interaction.id });
    return;
  }
  await app.workQueue
    .enqueue(
      {
        type: 'telemetry.capture',
        events: [{ event: 'interaction_error', guildId: interaction.guild_id ?? null, properties: { error_type: err instanceof Error ? err.name : typeof err, interaction_type: interaction.type }, at: app.clock.now() }],
      },
      { signal: AbortSignal.timeout(budgetMs) },
    )
    .catch((sendErr) => app.log.warn('could not queue error telemetry', { interactionId: interaction.id, error: safeError(sendErr) }));
}
