export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}
