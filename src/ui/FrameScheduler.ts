/**
 * Coalesces DOM updates into one per animation frame: many model changes in a burst (a roster
 * result, a flood of presences) cost one render.
 */
export class FrameScheduler {
  private pending = false;

  constructor(private readonly render: () => void) {}

  schedule(): void {
    if (this.pending) {
      return;
    }
    this.pending = true;
    const run = () => {
      this.pending = false;
      this.render();
    };
    // rAF does not fire in background tabs; a timeout keeps the view current there too
    if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
      requestAnimationFrame(run);
    } else {
      setTimeout(run, 16);
    }
  }
}
