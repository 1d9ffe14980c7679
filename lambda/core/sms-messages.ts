/**
 * The one SMS the service writes itself, to the number a user's SMS codes go to
 * when a new one is set: no code, no link, no new number (the holder of the old
 * one may not be the one who set it).
 */
export function numberChangeNotice(appName: string): string {
  return `${appName}: a new phone number was set for your sign-in codes. If this was not you, reset your password now.`;
}
