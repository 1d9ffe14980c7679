import {
  apiEnvironment,
  loggingEnvironment,
  sendCapsEnvironment,
  senderEnvironment,
  triggerEnvironment,
  type ApiFunctionSettings,
  type EmailMfaSettings,
  type SendCapSettings,
  type SenderFunctionSettings,
  type TriggerFunctionSettings,
} from '../../contract/environment';

/**
 * The Lambda environment the stack gives the API functions and the triggers,
 * encoded by the contract's codecs and set before any handler module loads.
 * DEBUG so that every log statement runs under the log scan
 * (test/support/log-capture.ts). Integration tests override the endpoints and
 * ids of the emulators they start.
 */
export const testEmailMfa: EmailMfaSettings = {
  tableName: 'mfa-test',
  codeLength: 6,
  codeTtlSeconds: 300,
  failureBudget: { maxFailures: 10, windowSeconds: 900, lockSeconds: 900 },
};

export const testApiSettings: ApiFunctionSettings = {
  appName: 'Example App',
  userPoolId: 'us-east-1_TestPool',
  serverClientId: 'server-client-id',
  emailFrom: 'no-reply@example.com',
  stepUpMaxAgeSeconds: 900,
  corsAllowedOrigins: ['https://app.example.com'],
  mfaTableName: testEmailMfa.tableName,
  emailMfa: testEmailMfa,
};

export const testTriggerSettings: TriggerFunctionSettings = {
  appName: testApiSettings.appName,
  emailFrom: testApiSettings.emailFrom,
  clientsParameter: '/MfaService/app-clients',
  mfaMode: 'OPTIONAL',
  emailMfaDeployed: true,
  emailMfa: testEmailMfa,
};

/** The defaults of lib/config.ts, with North America and the UK allowed: the tests' numbers are +1 and +44. */
export const testSendCaps: SendCapSettings = {
  tableName: testEmailMfa.tableName,
  emailCodes: { max: 5, windowSeconds: 900 },
  sms: { numbersPerDay: 3, textsPerHour: 5, cooldownSeconds: 60, allowedCountries: ['1', '44'] },
};

/** The custom senders' settings; the local stack's KMS stand-in (local/kms.ts) holds this key. */
export const testSenderSettings: SenderFunctionSettings = {
  appName: testApiSettings.appName,
  emailFrom: testApiSettings.emailFrom,
  keyArn: 'arn:aws:kms:us-east-1:000000000000:key/0b5e5f3c-1d0a-4c57-9d1e-6f0b7c1e2a44',
};

Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  ...loggingEnvironment.encode({ logLevel: 'DEBUG', serviceName: 'test' }),
  ...apiEnvironment.encode(testApiSettings),
  ...triggerEnvironment.encode(testTriggerSettings),
  ...sendCapsEnvironment.encode(testSendCaps),
  ...senderEnvironment.encode(testSenderSettings),
});

/** Changes the API functions' environment (their modules read it at import); returns what undoes the change. */
export function changeApiSettings(changes: Partial<ApiFunctionSettings>): () => void {
  const before = { ...process.env };
  Object.assign(process.env, apiEnvironment.encode({ ...testApiSettings, ...changes }));
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
    Object.assign(process.env, before);
  };
}
