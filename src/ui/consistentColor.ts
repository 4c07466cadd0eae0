import { sha1 } from '../util/sha1';

/**
 * XEP-0392 (Consistent Color Generation) §5.1: the hue angle of an identifier (here the bare
 * JID): SHA-1 of its UTF-8 bytes, the first two bytes read as a little-endian 16-bit number,
 * scaled to 0…360 degrees. Everyone who sees this JID gets the same colour.
 */
export function consistentHue(identifier: string): number {
  const digest = sha1(new TextEncoder().encode(identifier));
  const value = digest[0] | (digest[1] << 8);
  return (value / 65536) * 360;
}
