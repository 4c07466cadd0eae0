/**
 * XEP-0115 entity capabilities: the verification string over our identity and features
 * (§5.1), so that contacts learn what we support from our presence without asking.
 */
export interface Identity {
  category: string;
  type: string;
  name: string;
  lang?: string;
}

export function capsVerificationString(identities: Identity[], features: string[]): string {
  const ids = identities.map((i) => `${i.category}/${i.type}/${i.lang ?? ''}/${i.name}`).sort();
  const feats = [...new Set(features)].sort();
  return [...ids, ...feats].map((s) => `${s}<`).join('');
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary);
}

export async function capsHash(identities: Identity[], features: string[]): Promise<string> {
  const data = new TextEncoder().encode(capsVerificationString(identities, features));
  const digest = await crypto.subtle.digest('SHA-1', data);
  return toBase64(new Uint8Array(digest));
}
