import { KMSClient } from '@aws-sdk/client-kms';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { Fields, type CommonConfig } from '../config';
import { SealedArchive } from '../transcripts/archive';
import { EnvelopeDataKeys } from '../transcripts/data-keys';
import { s3Client } from './aws-clients';
import { DynamoDataKeyStore, DynamoTranscriptStore } from './dynamo-transcript-store';
import { KmsKeyWrapper, LocalKeyWrapper } from './kms-key-wrapper';
import { S3ArchiveStore } from './s3-archive-store';

const masterKey = z.string().check(z.refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 random bytes in base64 (openssl rand -base64 32)'));

/**
 * The archive's variables, shared by every function that reads or writes it. The master key is
 * KMS on AWS (`ARCHIVE_KMS_KEY_ID`, set with the grant by the stack) or, locally, a key from config
 * (`ARCHIVE_MASTER_KEY`); exactly one must be set.
 */
export const ArchiveConfigFields = {
  ARCHIVE_BUCKET: Fields.nonEmpty,
  ARCHIVE_KMS_KEY_ID: z.optional(Fields.nonEmpty),
  ARCHIVE_MASTER_KEY: z.optional(masterKey),
};

/** The one-of rule for the master key, as a check on a config schema. */
export const archiveKeyCheck = z.superRefine((cfg: { ARCHIVE_KMS_KEY_ID?: string; ARCHIVE_MASTER_KEY?: string }, ctx) => {
  if (!cfg.ARCHIVE_KMS_KEY_ID && !cfg.ARCHIVE_MASTER_KEY) ctx.addIssue({ code: 'custom', path: ['ARCHIVE_MASTER_KEY'], message: 'ARCHIVE_KMS_KEY_ID (AWS) or ARCHIVE_MASTER_KEY (local) is required but not set' });
  if (cfg.ARCHIVE_KMS_KEY_ID && cfg.ARCHIVE_MASTER_KEY) ctx.addIssue({ code: 'custom', path: ['ARCHIVE_MASTER_KEY'], message: 'set either ARCHIVE_KMS_KEY_ID or ARCHIVE_MASTER_KEY, not both' });
});

export type ArchiveConfig = Pick<CommonConfig, 'AWS_REGION' | 'AWS_ENDPOINT_URL_DYNAMODB' | 'AWS_ENDPOINT_URL_SQS' | 'AWS_ENDPOINT_URL_S3' | 'TABLE_NAME'> & {
  ARCHIVE_BUCKET: string;
  ARCHIVE_KMS_KEY_ID?: string;
  ARCHIVE_MASTER_KEY?: string;
};

/** The sealed archive, its keys and the transcript records, built from config (one place for every function). */
export function archiveFromConfig(cfg: ArchiveConfig, db: DynamoDBDocumentClient, now: () => number) {
  const wrapper = cfg.ARCHIVE_KMS_KEY_ID
    ? new KmsKeyWrapper(new KMSClient({ region: cfg.AWS_REGION }), cfg.ARCHIVE_KMS_KEY_ID)
    : new LocalKeyWrapper(Buffer.from(cfg.ARCHIVE_MASTER_KEY!, 'base64'));
  const dataKeyStore = new DynamoDataKeyStore(db, cfg.TABLE_NAME);
  const keys = new EnvelopeDataKeys(dataKeyStore, wrapper, now);
  const store = new S3ArchiveStore(s3Client(cfg), cfg.ARCHIVE_BUCKET);
  return { store, dataKeyStore, keys, archive: new SealedArchive(store, keys), records: new DynamoTranscriptStore(db, cfg.TABLE_NAME) };
}
