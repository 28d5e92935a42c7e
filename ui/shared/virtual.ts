/**
 * Windowing for long lists: which rows of a scroll box are visible (plus some overscan), so a page
 * draws a screenful whatever the list holds. Rows have one fixed height.
 */
import type { RefObject } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';

/** Rows drawn above and below the visible ones. */
export const OVERSCAN = 8;

/** The rows to draw: `[first, last)`, and the space the rows above and below take. */
export interface RowWindow {
  first: number;
  last: number;
  before: number;
  after: number;
}

/**
 * The window of `count` rows of `rowHeight` pixels in the scroll box `ref`, updated on scroll and
 * resize.
 */
export function useRowWindow(ref: RefObject<HTMLElement | null>, count: number, rowHeight: number, offset = 0): RowWindow {
  const [view, setView] = useState({ top: 0, height: 800 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    let frame = 0;
    const read = (): void => {
      frame = 0;
      setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
    };
    const later = (): void => {
      if (frame === 0) frame = requestAnimationFrame(read);
    };
    read();
    el.addEventListener('scroll', later, { passive: true });
    const resize = new ResizeObserver(later);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', later);
      resize.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [ref]);
  return windowOf(view.top - offset, view.height, count, rowHeight);
}

/** The rows of a window at scroll position `top` (pure: tests and the hook). */
export function windowOf(top: number, height: number, count: number, rowHeight: number): RowWindow {
  const first = Math.max(0, Math.min(count, Math.floor(Math.max(0, top) / rowHeight) - OVERSCAN));
  const last = Math.max(first, Math.min(count, Math.ceil((Math.max(0, top) + height) / rowHeight) + OVERSCAN));
  return { first, last, before: first * rowHeight, after: (count - last) * rowHeight };
}

/** Scrolls the box so row `index` is in view (as little as needed). */
export function scrollRowIntoView(el: HTMLElement, index: number, rowHeight: number, offset = 0): void {
  const y = offset + index * rowHeight;
  if (y < el.scrollTop + offset) el.scrollTop = y - offset;
  else if (y + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = y + rowHeight - el.clientHeight;
}
