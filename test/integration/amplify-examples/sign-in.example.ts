import { signIn, confirmSignIn } from "../../../client";

// Initial sign in
const { isSignedIn, nextStep } = await signIn({
  username: "user@example.com",
  password: "MyPassword123!"
});

if (!isSignedIn) {
  switch (nextStep.signInStep) {
    case 'CONFIRM_SIGN_IN_WITH_SMS_CODE':
      console.log(`SMS code sent to: ${nextStep.codeDeliveryDetails?.destination}`);
      // Get SMS code from user and confirm
      const smsCode = "123456"; // from user input
      await confirmSignIn({ challengeResponse: smsCode });
      break;
      
    case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
      console.log("Enter TOTP code from your authenticator app");
      // Get TOTP code from user and confirm
      const totpCode = "654321"; // from user input
      await confirmSignIn({ challengeResponse: totpCode });
      break;
      
    case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION':
      console.log("Available MFA methods:", nextStep.availableChallenges);
      // Let user choose preferred method for this session
      break;
      
    case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP':
      console.log("TOTP setup required");
      // Guide user through TOTP setup process
      break;
  }
}
