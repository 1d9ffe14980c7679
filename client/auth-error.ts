/**
 * Every failure of this client: `name` is the API's error name (Cognito's
 * exception names, as Amplify's `AuthError.name`), `message` is for people.
 */
export class AuthError extends Error {
  override readonly name: string;
  /** HTTP status of the API's answer; undefined when the API was not reached. */
  readonly status: number | undefined;

  constructor({ name, message, status }: { name: string; message: string; status?: number }) {
    super(message);
    this.name = name;
    this.status = status;
  }
}
