/**
 * Typed errors. A `UserError` carries a message fit to show a Discord user (ephemeral) or an HTTP
 * client; anything else is a bug: the user gets a generic reply and the error is logged + captured.
 * The two mappings (interaction reply, HTTP response) live in `interaction-reply.ts` and `http.ts`.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  /** HTTP status when the error reaches an HTTP client. */
  readonly status: number = 400;
  /** Stable machine-readable code for HTTP bodies and telemetry. */
  readonly code: string = 'bad_request';
}

/** The action references something that no longer exists (stale button, removed command). */
export class StaleActionError extends UserError {
  override readonly name = 'StaleActionError';
  override readonly status = 410;
  override readonly code = 'no_longer_available';
  constructor(message = 'This action is no longer available. Run the command again or ask an admin to re-post the panel.') {
    super(message);
  }
}

/** The caller lacks a Discord permission or role the action needs. */
export class ForbiddenError extends UserError {
  override readonly name = 'ForbiddenError';
  override readonly status = 403;
  override readonly code = 'forbidden';
}

export class NotFoundError extends UserError {
  override readonly name = 'NotFoundError';
  override readonly status = 404;
  override readonly code = 'not_found';
}

export class UnauthorizedError extends UserError {
  override readonly name = 'UnauthorizedError';
  override readonly status = 401;
  override readonly code = 'unauthorized';
}

/** Too much is happening on the same items at once; trying again shortly works. */
export class BusyError extends UserError {
  override readonly name = 'BusyError';
  override readonly status = 409;
  override readonly code = 'busy';
  constructor(message = 'A lot is happening here at the same moment. Please try again in a few seconds.') {
    super(message);
  }
}

/** Discord refused an action we asked for (missing permission, limit reached); message says what to fix. */
export class DiscordActionError extends UserError {
  override readonly name = 'DiscordActionError';
  override readonly status = 502;
  override readonly code = 'discord_refused';
  constructor(
    message: string,
    readonly discordCode?: number,
  ) {
    super(message);
  }
}

/** A job must be retried later (another attempt holds it, or a transient dependency failed). */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** The guild's license does not cover this (none, expired past grace, suspended, or a lower tier). */
export class LicenseRequiredError extends UserError {
  override readonly name = 'LicenseRequiredError';
  override readonly status = 402;
  override readonly code = 'license_required';
}

/** A feature that needs configuration the operator has not given (HTTP 503 with what to set). */
export class NotConfiguredError extends UserError {
  override readonly name = 'NotConfiguredError';
  override readonly status = 503;
  override readonly code = 'not_configured';
}
