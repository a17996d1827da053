/**
 * What the browser benchmark injects into the page: a frame counter on
 * requestAnimationFrame and a long-task observer, read back once a second.
 * Plain JavaScript source, not functions: tsx compiles functions with helpers
 * (e.g. esbuild's __name) that do not exist in the page when serialised.
 */

export interface ProbeReading {
  frames: number;
  longTasks: number[];
}

/** Installed before the page's own scripts (addInitScript). */
export const INSTALL_PROBE = `
(() => {
  const state = { frames: 0, longTasks: [] };
  window.__wfBench = state;
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
  const reading = { frames: state.frames, longTasks: state.longTasks };
  state.frames = 0;
  state.longTasks = [];
  return reading;
})()
`;
