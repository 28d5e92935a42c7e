/**
 * Windowing for long lists: which rows of a scroll box are visible (plus some overscan), so a page
 * draws a screenful whatever the list holds. Rows have one fixed height.
 *
 * Browsers cap an element's height (Chromium's layout units end near 33.5 M px, Firefox's near
 * 17.9 M px): four million 2-byte lines at 19 px would be 76 M px, and the rows past the cap could
 * not be scrolled to. So the scroll space is at most {@link MAX_SCROLL_PX}; past it, a scroll
 * position maps linearly onto the rows (the top of the box at the top row, its bottom at the last),
 * and the rows drawn are placed where the box shows them.
 */
import type { RefObject } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';

/** Rows drawn above and below the visible ones. */
export const OVERSCAN = 8;

/** The tallest scroll space a list makes, px: well under every browser's cap on an element's height. */
export const MAX_SCROLL_PX = 8_000_000;

/**
 * The height of the scroll space for `count` rows of `rowHeight` px: their height, at most
 * {@link MAX_SCROLL_PX}.
 */
export function scrollSpace(count: number, rowHeight: number): number {
  return Math.min(count * rowHeight, MAX_SCROLL_PX);
}

/** Rows' px per px of scroll space at a box height (1 while the rows fit in it). */
function ratioOf(count: number, rowHeight: number, height: number): number {
  const total = count * rowHeight;
  const space = scrollSpace(count, rowHeight);
  if (total <= space || space <= height) return 1;
  return (total - height) / (space - height);
}

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

/**
 * The rows of a window at scroll position `top` (pure: tests and the hook). `before` and `after` are
 * the scroll space above and below the rows drawn; with the rows' height they add up to
 * {@link scrollSpace}.
 */
export function windowOf(top: number, height: number, count: number, rowHeight: number): RowWindow {
  const space = scrollSpace(count, rowHeight);
  const at = Math.min(Math.max(0, top), Math.max(0, space - height));
  // the rows' own px at this scroll position (the same px while they fit)
  const v = at * ratioOf(count, rowHeight, height);
  const first = Math.max(0, Math.min(count, Math.floor(v / rowHeight) - OVERSCAN));
  const last = Math.max(first, Math.min(count, Math.ceil((v + height) / rowHeight) + OVERSCAN));
  // the row at `v` is drawn at `at`
  const before = Math.max(0, Math.round(at - v + first * rowHeight));
  return { first, last, before, after: Math.max(0, space - before - (last - first) * rowHeight) };
}

/**
 * The scroll position that shows row `index` at the top of a box of `height` px (mapped when the
 * rows are taller than the scroll space).
 */
export function scrollTopOf(index: number, count: number, rowHeight: number, height: number): number {
  return (index * rowHeight) / ratioOf(count, rowHeight, height);
}

/**
 * Scrolls the box so row `index` is in view (as little as needed). `count`: the rows in all, for a
 * list taller than the scroll space (then the position is mapped).
 */
export function scrollRowIntoView(el: HTMLElement, index: number, rowHeight: number, offset = 0, count = 0): void {
  const ratio = ratioOf(count, rowHeight, el.clientHeight);
  if (ratio === 1) {
    const y = offset + index * rowHeight;
    if (y < el.scrollTop + offset) el.scrollTop = y - offset;
    else if (y + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = y + rowHeight - el.clientHeight;
    return;
  }
  // in the rows' own px
  const v = el.scrollTop * ratio;
  const y = index * rowHeight;
  if (y < v) el.scrollTop = y / ratio;
  else if (y + rowHeight > v + el.clientHeight - offset) el.scrollTop = (y + rowHeight - el.clientHeight + offset) / ratio;
}
