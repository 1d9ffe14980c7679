import { setUpTOTP } from "../../../client";

const { sharedSecret, getSetupUri } = await setUpTOTP();

// Generate QR code URI for authenticator apps
const qrCodeUri = getSetupUri("MyApp", "user@example.com");

console.log("Scan this QR code with your authenticator app:", qrCodeUri);
console.log("Or manually enter this secret:", sharedSecret);
