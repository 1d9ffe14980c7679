import { setUpTOTP, AuthError } from "../../../client";

try {
  const totpSetup = await setUpTOTP();
} catch (error) {
  if (error instanceof AuthError) {
    switch (error.name) {
      case 'NotAuthorizedException':
        console.log('User not signed in');
        break;
      case 'InvalidParameterException':
        console.log('Invalid request parameters');
        break;
      case 'ResourceNotFoundException':
        console.log('User pool configuration issue');
        break;
      default:
        console.log('TOTP setup failed:', error.message);
    }
  }
}
