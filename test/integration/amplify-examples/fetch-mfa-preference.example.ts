import { fetchMFAPreference } from "../../../client";

const { enabled, preferred } = await fetchMFAPreference();

console.log("Enabled MFA methods:", enabled);
console.log("Preferred MFA method:", preferred);

// Example output:
// Enabled MFA methods: ['SMS', 'TOTP']
// Preferred MFA method: 'TOTP'
