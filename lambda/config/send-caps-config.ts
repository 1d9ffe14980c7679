import { sendCapsEnvironment } from '../../contract/environment';
import type { SmsCapPolicy, WindowCap } from '../core/send-caps';

const settings = sendCapsEnvironment.decode(process.env);

/** The per-account send caps, decoded once per container, as the policies of lambda/core/send-caps.ts. */
export const sendCapsConfig = {
  tableName: settings.tableName,
  emailCodes: settings.emailCodes satisfies WindowCap,
  sms: {
    numbers: { max: settings.sms.numbersPerDay, windowSeconds: 24 * 60 * 60 },
    texts: { max: settings.sms.textsPerHour, windowSeconds: 60 * 60 },
    cooldownSeconds: settings.sms.cooldownSeconds,
  } satisfies SmsCapPolicy,
  smsAllowedCountries: settings.sms.allowedCountries,
} as const;
