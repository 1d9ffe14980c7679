import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { KmsKeyringNode } from '@aws-crypto/kms-keyring-node';

/**
 * Cognito encrypts each code it hands a custom sender trigger with the AWS
 * Encryption SDK under the pool's KMS key, and sends the message base64
 * encoded (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html).
 * Decrypted with the SDK itself: a message format parser of our own would be
 * cryptography this project should not own (key commitment, header
 * authentication, signature checks), even though the SDK is most of these two
 * functions' bundles.
 *
 * REQUIRE_ENCRYPT_ALLOW_DECRYPT as in the AWS example of those pages: it reads
 * messages with or without key commitment, whichever Cognito writes. The keyring
 * names one key, the stack's (strict mode), so a message whose data key is
 * wrapped under any other key is refused rather than decrypted with it
 * (https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/use-kms-keyring.html).
 * Its KMS client reads the region from the key ARN and the endpoint like every
 * SDK client (AWS_ENDPOINT_URL_KMS locally).
 */
const { decrypt } = buildDecrypt('REQUIRE_ENCRYPT_ALLOW_DECRYPT' as Parameters<typeof buildDecrypt>[0]);

let keyring: KmsKeyringNode | undefined;

/** The code or temporary password; it goes into the message and nowhere else. */
export async function decryptCode(keyArn: string, encryptedCode: string): Promise<string> {
  keyring ??= new KmsKeyringNode({ generatorKeyId: keyArn, keyIds: [keyArn] });
  const { plaintext } = await decrypt(keyring, Buffer.from(encryptedCode, 'base64'));
  return Buffer.from(plaintext).toString('utf8');
}
