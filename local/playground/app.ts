/// <reference lib="dom" />
import * as client from '../../client/index';
import type { SignInOutput } from '../../client/index';

/**
 * The playground page: the client (client/index.ts) against the Local API, one
 * button per call, every sign-in step the API can answer, and the outbox.
 * The QR code is the API's own qrCodeSvg, from POST /mfa/totp/setup called
 * here directly since the client (like Amplify's setUpTOTP) hands out only the
 * secret and the setup URI; the verification then goes through the client.
 */
const apiUrl = document.body.dataset.apiUrl ?? '';
client.configure({ apiUrl });

const element = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}`);
  return found as T;
};
const value = (id: string) => element<HTMLInputElement>(id).value.trim();
const show = (id: string, shown: boolean) => element(id).classList.toggle('hidden', !shown);

function status(message: string, isError = false): void {
  const line = element('status');
  line.textContent = message;
  line.classList.toggle('error', isError);
}

/** Runs a button's action; errors show their name and message (the API never puts secrets in them). */
function on(id: string, action: () => Promise<void>): void {
  element(id).addEventListener('click', () => {
    action().catch((error: unknown) => {
      const name = error instanceof Error ? error.name : 'Error';
      status(`${name}: ${error instanceof Error ? error.message : String(error)}`, true);
    });
  });
}

async function refreshSessionState(): Promise<void> {
  const session = await client.fetchAuthSession();
  const email = session.tokens?.idToken.payload.email;
  element('session-state').textContent = session.tokens
    ? `signed in as ${typeof email === 'string' ? email : session.userSub}`
    : 'signed out';
}

let pendingStep: SignInOutput['nextStep'] | undefined;

const stepHelp: Partial<Record<string, string>> = {
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: 'Enter the code from your authenticator app.',
  CONFIRM_SIGN_IN_WITH_SMS_CODE: 'Enter the code sent by SMS (see the outbox).',
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: 'Enter the code sent by email (see the outbox).',
  CONTINUE_SIGN_IN_WITH_MFA_SELECTION: 'Choose a factor.',
  CONTINUE_SIGN_IN_WITH_TOTP_SETUP: 'This pool requires MFA: set up an authenticator app, then enter its code.',
  CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED: 'An administrator set a temporary password: choose a new one.',
};

async function afterSignInStep(output: SignInOutput): Promise<void> {
  if (output.isSignedIn) {
    pendingStep = undefined;
    show('step-panel', false);
    status('Signed in.');
    await refreshSessionState();
    return;
  }
  pendingStep = output.nextStep;
  const step = output.nextStep;
  show('step-panel', true);
  element('step-name').textContent = step.signInStep;
  const destination = step.codeDeliveryDetails?.destination;
  element('step-detail').textContent = `${stepHelp[step.signInStep] ?? ''}${destination ? ` Sent to ${destination}.` : ''}`;
  const choices = element('step-choices');
  choices.replaceChildren();
  const choosing = step.signInStep === 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION';
  for (const type of choosing ? (step.allowedMFATypes ?? []) : []) {
    const button = document.createElement('button');
    button.textContent = type;
    button.id = `choose-${type.toLowerCase()}`;
    button.addEventListener('click', () => {
      client
        .confirmSignIn({ challengeResponse: type })
        .then(afterSignInStep)
        .catch((error: unknown) => status(`${error instanceof Error ? error.name : 'Error'}: ${String(error)}`, true));
    });
    choices.append(button);
  }
  show('step-code-form', !choosing);
  show('step-totp-setup', step.totpSetupDetails !== undefined);
  element('step-totp-secret').textContent = step.totpSetupDetails?.sharedSecret ?? '';
  const newPassword = step.signInStep === 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED';
  element('step-code-label').textContent = newPassword ? 'New password' : 'Code';
  element<HTMLInputElement>('step-code').type = newPassword ? 'password' : 'text';
  element<HTMLInputElement>('step-code').value = '';
  status(`Sign-in continues: ${step.signInStep}.`);
}

on('create-user', async () => {
  const phoneNumber = value('new-phone');
  const response = await fetch(new URL('/local/users', apiUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      email: value('new-email'),
      password: element<HTMLInputElement>('new-password').value,
      ...(phoneNumber && { phoneNumber }),
    }),
  });
  const answer = (await response.json()) as { name?: string; message?: string; email?: string };
  if (!response.ok) throw Object.assign(new Error(answer.message ?? 'refused'), { name: answer.name ?? 'Error' });
  element<HTMLInputElement>('sign-in-email').value = value('new-email');
  element<HTMLInputElement>('sign-in-password').value = element<HTMLInputElement>('new-password').value;
  status(`Created ${answer.email ?? 'the user'}, confirmed. Sign in next.`);
});

on('sign-in', async () => {
  await afterSignInStep(
    await client.signIn({ username: value('sign-in-email'), password: element<HTMLInputElement>('sign-in-password').value }),
  );
});

on('step-submit', async () => {
  if (!pendingStep) throw new Error('No sign-in is waiting for a code.');
  await afterSignInStep(await client.confirmSignIn({ challengeResponse: value('step-code') }));
});

on('recover', async () => {
  const output = await client.recover({
    username: value('sign-in-email'),
    password: element<HTMLInputElement>('sign-in-password').value,
    recoveryCode: value('recovery-code'),
  });
  await afterSignInStep(output);
  status('Recovered with a recovery code (now used up). Set up a new factor.');
});

on('totp-setup', async () => {
  const { tokens } = await client.fetchAuthSession();
  if (!tokens) throw new Error('Sign in first.');
  const response = await fetch(`${apiUrl}/mfa/totp/setup`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokens.accessToken.toString()}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  const answer = (await response.json()) as { sharedSecret?: string; qrCodeSvg?: string; name?: string; message?: string };
  if (!response.ok || !answer.sharedSecret) throw Object.assign(new Error(answer.message ?? 'refused'), { name: answer.name ?? 'Error' });
  // The API's own SVG, from this origin's stage.
  element('totp-qr').innerHTML = answer.qrCodeSvg ?? '';
  element('totp-secret').textContent = answer.sharedSecret;
  show('totp-details', true);
  status('Scan the QR code (or type the secret) in an authenticator app, then enter its code.');
});

on('totp-verify', async () => {
  await client.verifyTOTPSetup({ code: value('totp-code') });
  show('totp-details', false);
  status('TOTP is set up.');
});

on('sms-setup', async () => {
  const { codeDeliveryDetails } = await client.setUpSMS({ phoneNumber: value('sms-phone') });
  status(`SMS code sent to ${codeDeliveryDetails.destination ?? 'the phone'} (see the outbox).`);
});
on('sms-verify', async () => {
  await client.verifySMSSetup({ code: value('sms-code') });
  status('SMS is set up.');
});
on('email-setup', async () => {
  const { codeDeliveryDetails } = await client.setUpEmail();
  status(`Email code sent to ${codeDeliveryDetails.destination ?? 'your address'} (see the outbox).`);
});
on('email-verify', async () => {
  await client.verifyEmailSetup({ code: value('email-code') });
  status('Email MFA is set up.');
});

const preferences = ['', 'ENABLED', 'DISABLED', 'PREFERRED', 'NOT_PREFERRED'] as const;
for (const id of ['pref-totp', 'pref-sms', 'pref-email']) {
  element<HTMLSelectElement>(id).replaceChildren(
    ...preferences.map((preference) => new Option(preference === '' ? '(unchanged)' : preference, preference)),
  );
}
async function fetchPreference(): Promise<void> {
  const { enabled, preferred } = await client.fetchMFAPreference();
  element('mfa-enabled').textContent = enabled?.join(', ') ?? 'none';
  element('mfa-preferred').textContent = preferred ?? 'none';
}
on('preference-fetch', async () => {
  await fetchPreference();
  status('Preferences fetched.');
});
on('preference-save', async () => {
  const pick = (id: string) => (element<HTMLSelectElement>(id).value || undefined) as client.MFAPreference | undefined;
  await client.updateMFAPreference({ totp: pick('pref-totp'), sms: pick('pref-sms'), email: pick('pref-email') });
  await fetchPreference();
  status('Preferences saved.');
});

on('recovery-generate', async () => {
  const { codes, issuedAt } = await client.generateRecoveryCodes();
  element('recovery-codes').textContent = codes.join('\n');
  element('recovery-summary').textContent = `Issued ${issuedAt}; each code works once. Keep them somewhere safe.`;
  status('New recovery codes issued; the earlier ones no longer work.');
});
on('recovery-status', async () => {
  const { remaining, issuedAt } = await client.getRecoveryCodeStatus();
  element('recovery-summary').textContent = `${remaining} codes left${issuedAt ? `, issued ${issuedAt}` : ''}.`;
  status('Recovery code status fetched.');
});

on('sign-out', async () => {
  await client.signOut();
  await refreshSessionState();
  status('Signed out.');
});
on('global-sign-out', async () => {
  await client.signOut({ global: true });
  await refreshSessionState();
  status('Signed out everywhere.');
});

interface OutboxMessage {
  channel: string;
  to: string;
  subject?: string;
  text: string;
  sentAt: string;
}
async function refreshOutbox(): Promise<void> {
  const response = await fetch(new URL('/local/outbox', apiUrl));
  const messages = (await response.json()) as OutboxMessage[];
  element('outbox').replaceChildren(
    ...messages.toReversed().map((message) => {
      const row = document.createElement('tr');
      for (const cell of [message.sentAt.slice(11, 19), message.channel, message.to, message.subject ?? '', message.text]) {
        const td = document.createElement('td');
        td.textContent = cell;
        row.append(td);
      }
      return row;
    }),
  );
}
setInterval(() => void refreshOutbox().catch(() => undefined), 1500);

element('api-url').textContent = apiUrl;
void refreshOutbox();
void refreshSessionState();
