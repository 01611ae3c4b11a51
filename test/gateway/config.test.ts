import { ConfigError, parseGatewayConfig, parseShardIds } from '../../gateway-task/src/config';

const valid = {
  DISCORD_BOT_TOKEN: 'MTE5.secret-part.hmac',
  EVENTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/deskwire-events.fifo',
  TABLE_NAME: 'deskwire-table',
  AWS_REGION: 'eu-west-1',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseGatewayConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('gateway-task config', () => {
  it('parses the minimal environment with defaults for the optional values', () => {
    expect(parseGatewayConfig(valid)).toEqual({
      discordToken: valid.DISCORD_BOT_TOKEN,
      eventsQueueUrl: valid.EVENTS_QUEUE_URL,
      awsRegion: 'eu-west-1',
      sqsEndpoint: undefined,
      tableName: 'deskwire-table',
      dynamodbEndpoint: undefined,
      ticketRefreshSeconds: 300,
      discordApiBaseUrl: undefined,
      shards: 'auto',
      healthPort: 8080,
      logLevel: 'info',
    });
  });

  it('reads every optional variable (empty strings count as unset)', () => {
    const config = parseGatewayConfig({
      ...valid,
      AWS_REGION: '',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      TICKET_REFRESH_SECONDS: '60',
      DISCORD_API_BASE_URL: 'http://127.0.0.1:8787/api',
      SHARD_IDS: '4-5, 7',
      SHARD_COUNT: '8',
      HEALTH_PORT: '9090',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toMatchObject({
      awsRegion: 'us-east-1',
      sqsEndpoint: 'http://127.0.0.1:4566',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      ticketRefreshSeconds: 60,
      discordApiBaseUrl: 'http://127.0.0.1:8787/api',
      shards: { ids: [4, 5, 7], count: 8 },
      healthPort: 9090,
      logLevel: 'debug',
    });
    expect(parseGatewayConfig({ ...valid, SHARD_COUNT: '3', HEALTH_PORT: '' })).toMatchObject({ shards: { ids: [0, 1, 2], count: 3 }, healthPort: 8080 });
  });

  it('names every missing required variable in one error', () => {
    expect(problemsOf({})).toEqual(['DISCORD_BOT_TOKEN is required', 'EVENTS_QUEUE_URL is required', 'TABLE_NAME is required', 'AWS_REGION is required']);
    expect(() => parseGatewayConfig({})).toThrow(/^Invalid gateway-task configuration: DISCORD_BOT_TOKEN is required; EVENTS_QUEUE_URL is required; TABLE_NAME is required; AWS_REGION is required$/);
  });

  it('names malformed variables without echoing their values', () => {
    const problems = problemsOf({
      ...valid,
      EVENTS_QUEUE_URL: 'deskwire-events.fifo',
      AWS_ENDPOINT_URL_SQS: 'localhost:4566',
      SHARD_IDS: 'zero',
      SHARD_COUNT: '0',
      HEALTH_PORT: '70000',
      LOG_LEVEL: 'verbose',
      TICKET_REFRESH_SECONDS: '5',
    });
    expect(problems).toEqual([
      'EVENTS_QUEUE_URL must be an http(s) URL',
      'TICKET_REFRESH_SECONDS must be a whole number of seconds ≥ 10',
      'AWS_ENDPOINT_URL_SQS must be an http(s) URL',
      'SHARD_IDS must be a list like "0,1" or "0-3"',
      'SHARD_COUNT must be a whole number ≥ 1',
      'HEALTH_PORT must be a port number',
      'LOG_LEVEL must be one of debug, info, warn, error',
    ]);
    expect(problems.join(' ')).not.toMatch(/deskwire-events|localhost|zero|70000|verbose/);
  });

  it('needs SHARD_COUNT with SHARD_IDS, and ids below it — even when other variables are also wrong', () => {
    expect(problemsOf({ ...valid, SHARD_IDS: '0-1' })).toEqual(['SHARD_COUNT is required when SHARD_IDS is set']);
    expect(problemsOf({ ...valid, SHARD_IDS: '2-4', SHARD_COUNT: '4' })).toEqual(['SHARD_IDS must all be below SHARD_COUNT (4)']);
    expect(problemsOf({ SHARD_IDS: '0-1', AWS_REGION: 'eu-west-1' })).toEqual([
      'DISCORD_BOT_TOKEN is required',
      'EVENTS_QUEUE_URL is required',
      'TABLE_NAME is required',
      'SHARD_COUNT is required when SHARD_IDS is set',
    ]);
  });

  it('parses shard lists and ranges', () => {
    expect(parseShardIds('0,1')).toEqual([0, 1]);
    expect(parseShardIds('0-3')).toEqual([0, 1, 2, 3]);
    expect(parseShardIds(' 6, 0-2 ,2 ')).toEqual([0, 1, 2, 6]);
    expect(parseShardIds('3-1')).toBeNull();
    expect(parseShardIds('1,,2')).toBeNull();
    expect(parseShardIds('-1')).toBeNull();
  });
});
