/**
 * The body of an SQS message carrying `value` as JSON. Characters outside the Basic Multilingual
 * Plane (emoji) travel as JSON `\uXXXX` surrogate escapes — they can only occur inside strings, so
 * the JSON stays equivalent and `JSON.parse` restores them. Real SQS accepts them raw, but the
 * local SQS emulator rejects anything above U+FFFD; one encoding keeps both paths identical.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html#API_SendMessage_RequestParameters
 */
export function toSqsBody(value: unknown): string {
  return JSON.stringify(value).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
