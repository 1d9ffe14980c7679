import { verifyTOTPSetup } from "../../../client";

await verifyTOTPSetup({
  code: "123456",
  friendlyDeviceName: "My iPhone Authenticator"
});

console.log("TOTP setup completed successfully");
