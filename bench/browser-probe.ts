/**
 * What the browser benchmark injects into the page: a frame counter on
 * requestAnimationFrame, a long-task observer and a count of the guard fixes
 * the page's WebSocket received (so a run says how much load actually reached
 * the page, not only what the simulator sent), read back once a second.
 * Plain JavaScript source, not functions: tsx compiles functions with helpers
 * (e.g. esbuild's __name) that do not exist in the page when serialised.
 */

export interface ProbeReading {
  frames: number;
  longTasks: number[];
  /** Guard fixes in the WebSocket messages received since the last reading. */
  fixes: number;
}

/** Installed before the page's own scripts (addInitScript). */
export const INSTALL_PROBE = `
(() => {
  const state = { frames: 0, longTasks: [], fixes: 0 };
  window.__wfBench = state;
  // Every fix carries a fixAt field: counting the key needs no parsing of the frame.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        for (let i = event.data.indexOf('"fixAt"'); i !== -1; i = event.data.indexOf('"fixAt"', i + 7)) {
          state.fixes += 1;
        }
      });
    }
  };
  const tick = () => { state.frames += 1; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    // No long-task API: reported as none.
  }
})();
`;

/** Returns and resets the counters since the previous read (an expression for page.evaluate). */
export const READ_PROBE = `
(() => {
  const state = window.__wfBench;
  if (!state) return null;
  const reading = { frames: state.frames, longTasks: state.longTasks, fixes: state.fixes };
  state.frames = 0;
  state.longTasks = [];
  state.fixes = 0;
  return reading;
})()
`;
