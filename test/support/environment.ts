/**
 * The Lambda environment the stack gives the API functions (see lib/), set before
 * any handler module loads. DEBUG so that every log statement runs under the log
 * scan (test/support/log-capture.ts).
 */
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  LOG_LEVEL: 'DEBUG',
  SERVICE_NAME: 'test',
  TOTP_ISSUER: 'Example App',
  CORS_ALLOWED_ORIGINS: 'https://app.example.com',
});
