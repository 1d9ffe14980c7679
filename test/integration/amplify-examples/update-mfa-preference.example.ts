import { updateMFAPreference } from "../../../client";

// Enable TOTP and set as preferred, disable SMS
await updateMFAPreference({
  totp: 'PREFERRED',
  sms: 'DISABLED'
});

// Enable both SMS and TOTP, prefer TOTP
await updateMFAPreference({
  sms: 'ENABLED',
  totp: 'PREFERRED'
});

console.log("MFA preferences updated");
