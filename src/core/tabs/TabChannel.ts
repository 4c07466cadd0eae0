import { isTabMessage, TabMessage } from './messages';

/**
 * The BroadcastChannel of one account (`jsxc:v1:tabs:<bare JID>`): typed, and deaf to anything
 * that is not a tab message. A tab never receives what it posts itself.
 */
export class TabChannel {
  private channel: BroadcastChannel;
  private closed = false;

  constructor(accountUid: string, onMessage: (message: TabMessage) => void) {
    this.channel = new BroadcastChannel(`jsxc:v1:tabs:${accountUid}`);
    this.channel.onmessage = (event: MessageEvent) => {
      if (isTabMessage(event.data)) {
        onMessage(event.data);
      } else {
        console.warn('[jsxc] ignoring a malformed message from another tab:', event.data);
      }
    };
  }

  post(message: TabMessage): void {
    if (this.closed) {
      return;
    }
    try {
      this.channel.postMessage(message);
    } catch (err) {
      // e.g. a value that cannot be cloned: a defect here, never a reason to break the tab
      console.error('[jsxc] could not tell the other tabs:', err);
    }
  }

  close(): void {
    this.closed = true;
    this.channel.onmessage = null;
    this.channel.close();
  }
}
