/**
 * The custom attribute that marks email MFA enrolment. The pool declares it
 * (lib/mfa-user-pool.ts) so that app clients can read it (an Amplify app cannot
 * otherwise see the factor) but not write it; the API and the triggers read it
 * (lambda/core/email-mfa-mark.ts parses its value).
 */
/** Its name as the pool declares it; users, tokens and triggers carry it with the `custom:` prefix. */
export const emailMfaAttributeName = 'email_mfa';
export const emailMfaAttribute = `custom:${emailMfaAttributeName}`;
