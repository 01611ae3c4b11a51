import type { LambdaFunctionURLResult } from 'aws-lambda';
import { isUserError } from './errors';

/** A structured Function URL response (never the bare-string form). */
export type HttpResult = Exclude<LambdaFunctionURLResult, string>;

/** A JSON response for a Lambda Function URL. */
export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

/**
 * The one mapping from an error to an HTTP response: user errors keep their status, code and
 * message; anything else is a 500 with a generic body (details go to logs).
 */
export function errorToHttpResponse(err: unknown): HttpResult {
  if (isUserError(err)) return jsonResponse(err.status, { error: err.code, message: err.message });
  return jsonResponse(500, { error: 'internal_error', message: 'Something went wrong on our side. Please try again.' });
}
