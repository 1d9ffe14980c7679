import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body';

/**
 * A local stand-in for the three KMS operations the AWS Encryption SDK's KMS
 * keyring calls, over KMS's JSON 1.1 protocol (POST /, `X-Amz-Target:
 * TrentService.<Operation>`, blobs base64 in the JSON body), so that the real
 * SDK encrypts the codes cognito-local hands the custom senders and the real
 * senders decrypt them through `AWS_ENDPOINT_URL_KMS`, as unchanged Lambda code
 * would against KMS.
 *
 * Modelled from the API reference:
 * - GenerateDataKey (https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html):
 *   `NumberOfBytes` (1 to 1024) or `KeySpec` AES_256/AES_128; answers
 *   Plaintext, CiphertextBlob and the key's ARN as KeyId.
 * - Encrypt (https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html):
 *   up to 4096 bytes of Plaintext.
 * - Decrypt (https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html):
 *   the key is read from the ciphertext; a `KeyId` naming another key fails
 *   with IncorrectKeyException; an encryption context other than the one used
 *   to encrypt fails with InvalidCiphertextException ("the encryption context
 *   ... must match", https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html).
 * - A key id that names no key of this stand-in: NotFoundException. Key ids are
 *   full key ARNs only (the keyring is given the stack's ARN); aliases and bare
 *   ids, which KMS also accepts, are not modelled.
 * Errors come back as HTTP 400 with `__type` and `message`, as the JSON
 * protocol has them. Not modelled: grants, key policies and IAM (every caller
 * may use every key), key states, rotation, other operations.
 *
 * Each key has a random AES-256 key of its own for the run; ciphertexts are
 * AES-256-GCM with the encryption context as additional data, so a changed
 * byte or context is refused, as with KMS. Their format is this stand-in's own.
 */
export interface LocalKms {
  readonly endpoint: string;
  /** Requests by operation, e.g. `Decrypt`. */
  readonly operationCounts: Map<string, number>;
  stop(): Promise<void>;
}

type Json = Record<string, unknown>;

class KmsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const version = 1;

export async function startLocalKms(keyArns: readonly string[]): Promise<LocalKms> {
  const keys = new Map(keyArns.map((arn) => [arn, randomBytes(32)] as const));
  const operationCounts = new Map<string, number>();

  const keyFor = (keyId: unknown): [string, Buffer] => {
    const material = typeof keyId === 'string' ? keys.get(keyId) : undefined;
    if (typeof keyId !== 'string' || !material) throw new KmsFault('NotFoundException', 'Invalid keyId');
    return [keyId, material];
  };

  /** The context as additional data: sorted, so that the order of its pairs does not matter (KMS: it is a set). */
  const contextData = (context: unknown): Buffer => {
    if (context !== undefined && (typeof context !== 'object' || context === null || Array.isArray(context))) {
      throw new KmsFault('ValidationException', 'EncryptionContext must be a map of strings');
    }
    const entries = Object.entries((context ?? {}) as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (!entries.every(([, value]) => typeof value === 'string')) {
      throw new KmsFault('ValidationException', 'EncryptionContext values must be strings');
    }
    return Buffer.from(JSON.stringify(entries), 'utf8');
  };

  const seal = (keyArn: string, material: Buffer, plaintext: Buffer, context: unknown): Buffer => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', material, iv);
    cipher.setAAD(contextData(context));
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const arn = Buffer.from(keyArn, 'utf8');
    return Buffer.concat([Buffer.from([version, arn.length]), arn, iv, cipher.getAuthTag(), sealed]);
  };

  const open = (blob: Buffer, context: unknown, keyId: unknown): [string, Buffer] => {
    const invalid = () => new KmsFault('InvalidCiphertextException', 'The ciphertext or its encryption context is not valid');
    if (blob.length < 2 || blob[0] !== version) throw invalid();
    const arnLength = blob[1]!;
    const arn = blob.subarray(2, 2 + arnLength).toString('utf8');
    const [keyArn, material] = keyFor(arn);
    if (keyId !== undefined && keyId !== keyArn) {
      keyFor(keyId);
      throw new KmsFault('IncorrectKeyException', 'The key ID in the request does not identify the key that encrypted the ciphertext');
    }
    const rest = blob.subarray(2 + arnLength);
    if (rest.length < 28) throw invalid();
    const decipher = createDecipheriv('aes-256-gcm', material, rest.subarray(0, 12));
    decipher.setAAD(contextData(context));
    decipher.setAuthTag(rest.subarray(12, 28));
    try {
      return [keyArn, Buffer.concat([decipher.update(rest.subarray(28)), decipher.final()])];
    } catch {
      throw invalid();
    }
  };

  const blob = (value: unknown): Buffer => {
    if (typeof value !== 'string') throw new KmsFault('ValidationException', 'A required blob is missing');
    return Buffer.from(value, 'base64');
  };

  const operations: Record<string, (input: Json) => Json> = {
    GenerateDataKey: (input) => {
      const [keyArn, material] = keyFor(input.KeyId);
      const bytes = input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : input.KeySpec === 'AES_256' ? 32 : undefined);
      if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
        throw new KmsFault('ValidationException', 'NumberOfBytes must be 1 to 1024, or KeySpec AES_128 or AES_256');
      }
      const dataKey = randomBytes(bytes);
      return {
        KeyId: keyArn,
        Plaintext: dataKey.toString('base64'),
        CiphertextBlob: seal(keyArn, material, dataKey, input.EncryptionContext).toString('base64'),
      };
    },
    Encrypt: (input) => {
      const [keyArn, material] = keyFor(input.KeyId);
      const plaintext = blob(input.Plaintext);
      if (plaintext.length < 1 || plaintext.length > 4096) throw new KmsFault('ValidationException', 'Plaintext must be 1 to 4096 bytes');
      return { KeyId: keyArn, CiphertextBlob: seal(keyArn, material, plaintext, input.EncryptionContext).toString('base64') };
    },
    Decrypt: (input) => {
      const [keyArn, plaintext] = open(blob(input.CiphertextBlob), input.EncryptionContext, input.KeyId);
      return { KeyId: keyArn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
  };

  const server = http.createServer((request, response) => {
    void (async () => {
      const answer = (status: number, body: Json) => {
        response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : '';
      operationCounts.set(operation, (operationCounts.get(operation) ?? 0) + 1);
      try {
        const handle = operations[operation];
        if (!handle) throw new KmsFault('UnknownOperationException', `${operation || 'No operation'} is not modelled here`);
        const raw = (await readBody(request)).toString('utf8');
        const input = JSON.parse(raw || '{}') as Json;
        answer(200, handle(input));
      } catch (error) {
        if (error instanceof KmsFault) answer(400, { __type: error.type, message: error.message });
        else answer(400, { __type: 'SerializationException', message: 'The request could not be read' });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    operationCounts,
    stop: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
