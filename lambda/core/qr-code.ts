import { generate } from 'lean-qr';
import { toSvgSource } from 'lean-qr/extras/svg';

/** The setup URI as an SVG QR code, so a client needs no QR library of its own. */
export function qrCodeSvg(text: string): string {
  return toSvgSource(generate(text), { on: 'black', off: 'white', xmlDeclaration: false });
}
