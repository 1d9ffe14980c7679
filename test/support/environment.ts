/**
 * The Lambda environment the stack gives the API functions and the triggers
 * (see lib/), set before any handler module loads. DEBUG so that every log
 * statement runs under the log scan (test/support/log-capture.ts). Integration
 * tests override the endpoints and ids of the emulators they start.
 */
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  LOG_LEVEL: 'DEBUG',
  SERVICE_NAME: 'test',
  APP_NAME: 'Example App',
  USER_POOL_ID: 'us-east-1_TestPool',
  SERVER_CLIENT_ID: 'server-client-id',
  EMAIL_FROM: 'no-reply@example.com',
  STEP_UP_MAX_AGE_SECONDS: '900',
  CORS_ALLOWED_ORIGINS: 'https://app.example.com',
  EMAIL_MFA: 'on',
  TABLE_NAME: 'mfa-test',
  EMAIL_CODE_LENGTH: '6',
  EMAIL_CODE_TTL_SECONDS: '300',
  EMAIL_MAX_FAILURES: '10',
  EMAIL_FAILURE_WINDOW_SECONDS: '900',
  EMAIL_LOCK_SECONDS: '900',
  CLIENTS_PARAMETER: '/MfaService/app-clients',
  MFA_MODE: 'OPTIONAL',
});
