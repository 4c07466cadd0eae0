import type { TabAttention } from './messages';

/**
 * Whether this tab's page is shown and has the keyboard focus, and which tab shows a notification
 * (docs/session.md, "Several tabs"): the tab with the focus, else a shown tab (the leader first),
 * else the leader. The leader chooses, so exactly one tab shows each notification.
 */
export function ownAttention(tab: string): TabAttention {
  if (typeof document === 'undefined') {
    return { tab, visible: false, focused: false };
  }
  const visible = document.visibilityState === 'visible';
  return { tab, visible, focused: visible && document.hasFocus() };
}

/** Calls `onChange` whenever this tab is shown, hidden, focused, left, or closed. Returns the remover. */
export function watchAttention(tab: string, onChange: (attention: TabAttention) => void): () => void {
  if (typeof window === 'undefined' || typeof document === 'undefined') {
    return () => undefined;
  }
  const changed = () => onChange(ownAttention(tab));
  const gone = () => onChange({ tab, visible: false, focused: false, gone: true });
  window.addEventListener('focus', changed);
  window.addEventListener('blur', changed);
  document.addEventListener('visibilitychange', changed);
  window.addEventListener('pagehide', gone);
  return () => {
    window.removeEventListener('focus', changed);
    window.removeEventListener('blur', changed);
    document.removeEventListener('visibilitychange', changed);
    window.removeEventListener('pagehide', gone);
  };
}

/** The followers' attention as the leader knows it, and the choice of the tab that notifies. */
export class AttentionTable {
  private tabs = new Map<string, TabAttention>();

  update(attention: TabAttention): void {
    if (attention.gone) {
      this.tabs.delete(attention.tab);
    } else {
      this.tabs.set(attention.tab, attention);
    }
  }

  /** The follower tab that should notify, or undefined for the leader itself. */
  choose(self: TabAttention): string | undefined {
    if (self.focused) {
      return undefined;
    }
    const followers = [...this.tabs.values()];
    const focused = followers.find((a) => a.focused);
    if (focused) {
      return focused.tab;
    }
    if (self.visible) {
      return undefined;
    }
    return followers.find((a) => a.visible)?.tab;
  }
}
