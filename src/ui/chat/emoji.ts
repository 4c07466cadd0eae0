/**
 * The emoji picker's small built-in set. Emoji typed directly (any Unicode) need nothing: they
 * are text. Screen readers speak each emoji by its Unicode name, so the buttons carry no label.
 */
export const EMOJI: readonly string[] = [
  '😀', '😃', '😄', '😁', '😆', '😅', '😂', '🙂', '😉', '😊', '😍', '😘',
  '😎', '🤔', '😐', '😴', '😮', '😢', '😭', '😡', '🙄', '😬', '🤗', '🥳',
  '👍', '👎', '👌', '👏', '🙏', '💪', '👋', '🤝', '❤️', '💔', '🔥', '🎉',
  '✅', '❌', '⭐', '☕', '🍕', '🍺', '🎂', '🌞', '🌧️', '🚀', '💡', '📎',
];
