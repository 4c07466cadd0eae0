import type { StoredWindow } from './OpenWindows';

/**
 * The open windows of an account are one state for every tab of the browser (docs/session.md,
 * "Several tabs"): a tab whose user opens, closes, minimises or restores a window tells the others
 * on the BroadcastChannel `jsxc:v1:windows:<bare JID>`, and they do the same. Only the windows
 * (kind, JID, minimised, nick, name) are shared; which one has the focus stays each tab's own.
 */
export class SharedWindows {
  private channel: BroadcastChannel;
  /** what every tab has, as far as this one knows (a signature, see signature()) */
  private known: string;

  constructor(
    accountUid: string,
    current: StoredWindow[],
    onChange: (windows: StoredWindow[]) => void,
  ) {
    this.known = signature(current);
    this.channel = new BroadcastChannel(`jsxc:v1:windows:${accountUid}`);
    this.channel.onmessage = (event: MessageEvent) => {
      const windows = (event.data as { windows?: unknown } | null)?.windows;
      if (Array.isArray(windows)) {
        this.known = signature(windows as StoredWindow[]);
        onChange(windows as StoredWindow[]);
      }
    };
  }

  /** This tab's windows now: told to the others if they differ from what every tab has. */
  changed(windows: StoredWindow[]): void {
    const now = signature(windows);
    if (now !== this.known) {
      this.known = now;
      this.channel.postMessage({ windows: windows.map(shared) });
    }
  }

  close(): void {
    this.channel.onmessage = null;
    this.channel.close();
  }
}

function shared(w: StoredWindow): StoredWindow {
  return { kind: w.kind, jid: w.jid, minimized: w.minimized, ...(w.nick !== undefined ? { nick: w.nick } : {}), ...(w.name !== undefined ? { name: w.name } : {}) };
}

/** The shared part of a window list, independent of order and focus. */
export function signature(windows: StoredWindow[]): string {
  return JSON.stringify(
    windows
      .map((w) => [w.kind, w.jid, w.minimized])
      .sort((a, b) => (`${a[0]} ${a[1]}` < `${b[0]} ${b[1]}` ? -1 : 1)),
  );
}
