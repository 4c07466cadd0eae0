/** The changes ChatHistory holds until it writes them (one batch = one transaction), and how they apply. */
import type { Conversation } from './HistoryIndex';
import type { Message } from './Message';

/** A message waiting to be sent, in the order it was written. `correction` is a correction stanza to send. */
export interface OutboxEntry {
  peer: string;
  id: string;
  correction?: Message;
  /**
   * When a tab first tried to send it (ms): it may have reached the server even though no ack came
   * back, so whoever sends it again first looks in the archive (docs/session.md, "Several tabs").
   */
  attempted?: number;
}

/** A change waiting to be written. */
export type Op =
  | { kind: 'add'; message: Message; older: boolean; dropped?: boolean }
  | { kind: 'update'; message: Message; moved: boolean }
  | { kind: 'enqueue'; entry: OutboxEntry }
  | { kind: 'dequeue'; peer: string; id: string }
  | { kind: 'attempted'; peer: string; id: string; at: number };

/** Ops written together in one transaction, and who waits for that. */
export class Batch {
  readonly ops: Op[] = [];
  seen = 0;
  readonly done: Promise<void>;
  resolve!: () => void;
  reject!: (err: unknown) => void;

  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.done.catch(() => undefined); // rejections reach those who wait; nobody else
  }

  get empty(): boolean {
    return this.ops.length === 0 && this.seen === 0;
  }
}

export const peerOf = (op: Op): string => (op.kind === 'dequeue' || op.kind === 'attempted' ? op.peer : op.kind === 'enqueue' ? op.entry.peer : op.message.peer);
export const newRev = (): string => Date.now().toString(36) + Math.random().toString(36).slice(2, 10);

/**
 * The outbox after these ops (enqueue: appended unless there; dequeue: removed; attempted: the
 * first attempt noted), or undefined when they change nothing.
 */
export function applyToOutbox(outbox: OutboxEntry[], ops: Op[]): OutboxEntry[] | undefined {
  let box = outbox;
  let changed = false;
  for (const op of ops) {
    if (op.kind === 'enqueue') {
      if (!box.some((e) => e.peer === op.entry.peer && e.id === op.entry.id)) {
        box = [...box, op.entry];
        changed = true;
      }
    } else if (op.kind === 'dequeue') {
      const before = box.length;
      box = box.filter((e) => !(e.peer === op.peer && e.id === op.id));
      changed ||= box.length !== before;
    } else if (op.kind === 'attempted') {
      const at = box.findIndex((e) => e.peer === op.peer && e.id === op.id && e.attempted === undefined);
      if (at !== -1) {
        box = box.map((e, i) => (i === at ? { ...e, attempted: op.at } : e));
        changed = true;
      }
    }
  }
  return changed ? box : undefined;
}

/**
 * Another writer changed a conversation: applies our unwritten ops of that peer to its stored state
 * (a message it already has is dropped: `dropped` set, not written, not announced).
 */
export function replay(conversation: Conversation, peer: string, ops: Op[]): Conversation {
  for (const op of ops) {
    if (op.kind === 'add' && op.message.peer === peer) {
      op.dropped = conversation.isDuplicate(op.message);
      if (!op.dropped) {
        conversation.add(op.message, op.older);
      }
    } else if (op.kind === 'update' && op.message.peer === peer) {
      conversation.addKeys(op.message);
      if (op.moved) {
        conversation.move(op.message);
      }
    }
  }
  return conversation;
}
