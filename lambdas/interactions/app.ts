import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import type { APIInteraction } from 'discord-api-types/v10';
import { InteractionResponseType, InteractionType } from '../shared/discord-constants';
import { isUserError } from '../shared/errors';
import { jsonResponse } from '../shared/http';
import { errorToInteractionResponse } from '../shared/interaction-reply';
import { routeInteraction } from './router';
import type { InteractionDeps } from './types';
import { isSignedByDiscord, type PublicKey } from './verify';

export interface InteractionsApp extends InteractionDeps {
  publicKey: PublicKey;
}

/** Decodes the Function URL body to the exact bytes Discord signed. */
function rawBody(event: LambdaFunctionURLEvent): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

function header(event: LambdaFunctionURLEvent, name: string): string | undefined {
  // Function URLs lower-case header names; be lenient for other adapters.
  return event.headers?.[name] ?? Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
}

function isInteraction(value: unknown): value is APIInteraction {
  const v = value as Partial<APIInteraction> | null;
  return !!v && typeof v === 'object' && typeof v.type === 'number' && typeof v.id === 'string' && typeof v.application_id === 'string' && typeof v.token === 'string';
}

/**
 * The interactions endpoint: verify → parse → PING or route → reply. 401 for any signature
 * failure, 400 for a signed body that is not an interaction, and otherwise always 200 with an
 * interaction response (errors become ephemeral messages). Nothing runs after the response.
 *
 * @see https://discord.com/developers/docs/interactions/receiving-and-responding#receiving-an-interaction
 */
export async function handleInteractionRequest(event: LambdaFunctionURLEvent, app: InteractionsApp): Promise<LambdaFunctionURLResult> {
  if (event.requestContext?.http?.method && event.requestContext.http.method !== 'POST') {
    return jsonResponse(405, { error: 'method_not_allowed', message: 'Interactions are delivered with POST.' }, { allow: 'POST' });
  }
  const body = rawBody(event);
  const signed = await isSignedByDiscord(body, header(event, 'x-signature-ed25519'), header(event, 'x-signature-timestamp'), app.publicKey);
  if (!signed) return jsonResponse(401, { error: 'invalid_signature', message: 'Missing or invalid request signature.' });

  let interaction: unknown;
  try {
    interaction = JSON.parse(body.toString('utf8'));
  } catch {
    return jsonResponse(400, { error: 'malformed_body', message: 'Body is not valid JSON.' });
  }
  if (!isInteraction(interaction)) return jsonResponse(400, { error: 'malformed_body', message: 'Body is not a Discord interaction.' });
  if (interaction.type === InteractionType.Ping) return jsonResponse(200, { type: InteractionResponseType.Pong });

  try {
    return jsonResponse(200, await routeInteraction(interaction, app));
  } catch (err) {
    if (!isUserError(err)) {
      app.log.error('interaction failed', { interactionId: interaction.id, guildId: interaction.guild_id, type: interaction.type, error: err as Error });
      await reportError(err, interaction, app);
    }
    return jsonResponse(200, errorToInteractionResponse(err));
  }
}

/** Hands the error to telemetry via the worker (best effort, bounded: the user's reply matters more). */
async function reportError(err: unknown, interaction: APIInteraction, app: InteractionsApp): Promise<void> {
  const send = app.workQueue.enqueue({
    type: 'telemetry.capture',
    events: [{ event: 'interaction_error', guildId: interaction.guild_id ?? null, properties: { error_type: err instanceof Error ? err.name : typeof err, interaction_type: interaction.type }, at: app.clock.now() }],
  });
  await Promise.race([send.catch(() => undefined), new Promise((r) => setTimeout(r, 300))]);
}
