import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { startLocalKms, type LocalKms } from '../../local/kms';
import { capturedLogLines } from '../support/log-capture';

/**
 * The KMS stand-in (local/kms.ts) through the real SDK client: it must
 * refuse what KMS refuses, or the senders' decryption would be tested against
 * something more permissive than KMS.
 */
const keyA = 'arn:aws:kms:us-east-1:000000000000:key/aaaaaaaa-0000-4000-8000-000000000001';
const keyB = 'arn:aws:kms:us-east-1:000000000000:key/bbbbbbbb-0000-4000-8000-000000000002';
let kms: LocalKms;
let client: KMSClient;

beforeAll(async () => {
  kms = await startLocalKms([keyA, keyB]);
  client = new KMSClient({
    endpoint: kms.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await kms.stop();
});

const context = { purpose: 'test' };

test('a data key decrypts back under its key and context, and names the key', async () => {
  const { Plaintext, CiphertextBlob, KeyId } = await client.send(
    new GenerateDataKeyCommand({ KeyId: keyA, NumberOfBytes: 32, EncryptionContext: context }),
  );
  expect(KeyId).toBe(keyA);
  expect(Plaintext).toHaveLength(32);
  const decrypted = await client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { ...context }, KeyId: keyA }));
  expect(Buffer.from(decrypted.Plaintext ?? []).equals(Buffer.from(Plaintext ?? []))).toBe(true);
  expect(decrypted.KeyId).toBe(keyA);
});

test('a different encryption context fails with InvalidCiphertextException', async () => {
  const { CiphertextBlob } = await client.send(
    new EncryptCommand({ KeyId: keyA, Plaintext: Buffer.from('secret'), EncryptionContext: context }),
  );
  await expect(client.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { purpose: 'other' } }))).rejects.toMatchObject({
    name: 'InvalidCiphertextException',
  });
  await expect(client.send(new DecryptCommand({ CiphertextBlob }))).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
});

test('a changed ciphertext byte fails with InvalidCiphertextException', async () => {
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: keyA, Plaintext: Buffer.from('secret') }));
  const tampered = Buffer.from(CiphertextBlob ?? []);
  tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 1, tampered.length - 1);
  await expect(client.send(new DecryptCommand({ CiphertextBlob: tampered }))).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
});

test('naming another key than the one that encrypted fails with IncorrectKeyException', async () => {
  const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: keyA, Plaintext: Buffer.from('secret') }));
  await expect(client.send(new DecryptCommand({ CiphertextBlob, KeyId: keyB }))).rejects.toMatchObject({ name: 'IncorrectKeyException' });
});

test('a key it does not hold fails with NotFoundException', async () => {
  const unknown = 'arn:aws:kms:us-east-1:000000000000:key/cccccccc-0000-4000-8000-000000000003';
  await expect(client.send(new GenerateDataKeyCommand({ KeyId: unknown, NumberOfBytes: 32 }))).rejects.toMatchObject({
    name: 'NotFoundException',
  });
  await expect(client.send(new EncryptCommand({ KeyId: 'alias/anything', Plaintext: Buffer.from('x') }))).rejects.toMatchObject({
    name: 'NotFoundException',
  });
});

test('the stand-in logs nothing', () => {
  expect(capturedLogLines).toEqual([]);
});
