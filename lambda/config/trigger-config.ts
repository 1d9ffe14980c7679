import { triggerEnvironment } from '../../contract/environment';

const settings = triggerEnvironment.decode(process.env);

/** Everything the challenge triggers read from their environment, decoded once per container. */
export const triggerConfig = {
  ...settings,
  poolRequiresMfa: settings.mfaMode === 'REQUIRED',
  /** Cognito's own limit is per session; ours too, before the cross-session budget. */
  maxAnswersPerSignIn: 3,
} as const;
