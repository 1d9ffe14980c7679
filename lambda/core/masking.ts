/**
 * Where a code went, shown the way Cognito shows it: enough for users to
 * recognise their own address or number, too little to learn someone else's.
 * Every address masks to the same shape, so a masked answer for an unknown
 * user looks like any other.
 */

/** `jane.doe@example.com` -> `j***@e***.com` */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  const local = at > 0 ? address.slice(0, at) : address;
  const domain = at > 0 ? address.slice(at + 1) : '';
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${host.slice(0, 1)}***${tld}`;
}

/** `+14155550100` -> `+*******0100`, as in Cognito's CodeDeliveryDetails. */
export function maskPhoneNumber(phoneNumber: string): string {
  return `+${'*'.repeat(Math.max(phoneNumber.length - 5, 0))}${phoneNumber.slice(-4)}`;
}
