import { lazyModule } from '../util/lazyModule';

/**
 * The code that only a page with an account needs — the group chat protocol (`MucService`) and the
 * roles of several tabs (leader, follower) — is one chunk, "session", not in the main bundle: a
 * page that shows the log-in button does not load it. The Client asks for it as soon as an account
 * exists in this page (log-in, prebind, a stored session), so it arrives while the connection is
 * being made; the plugins attach only once it is there (`attachPlugins`). docs/architecture.md, "Chunks".
 */
export const loadSessionCode = lazyModule(() => import(/* webpackChunkName: "session" */ './sessionChunk'));

export type SessionCode = Awaited<ReturnType<typeof loadSessionCode>>;

/** Starts loading the session chunk (if not already there); a failure is reported where it is used. */
export function prefetchSessionCode(): void {
  if (!loadSessionCode.loaded) {
    loadSessionCode().catch(() => undefined);
  }
}
