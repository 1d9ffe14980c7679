/**
 * InitiateAuth's PASSWORD_VERIFIER answer to a SRP_A start (API reference,
 * InitiateAuth, ChallengeParameters), with values the SRP client can compute
 * with, for tests that mock Cognito.
 */
export const passwordVerifierAnswer = {
  ChallengeName: 'PASSWORD_VERIFIER' as const,
  Session: 'cognito-session-1',
  ChallengeParameters: {
    SALT: 'a1b2c3d4e5f6',
    SRP_B: 'abcdef0123456789'.repeat(48),
    SECRET_BLOCK: Buffer.from('secret block').toString('base64'),
    USER_ID_FOR_SRP: 'user-sub',
    USERNAME: 'user-sub',
  },
};
