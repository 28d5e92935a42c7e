/**
 * The keyboard shortcuts, shown on `?`.
 */
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** The shortcuts: keys and what they do (the page's key handler and this list agree). */
export const SHORTCUTS: readonly [string, string][] = [
  ['?', 'show or hide this list'],
  ['/', 'search'],
  ['↑ ↓ or k j', 'previous / next request in the list (the list is one Tab stop)'],
  ['Page Up, Page Down, Home, End', 'a screenful up or down, the newest, the oldest'],
  ['n or ]', 'next problem of the request shown'],
  ['p or [', 'previous problem'],
  ['.', 'pause or resume the live list'],
  ['1 2 3', 'requests, metrics, events'],
  ['Esc', 'close this list, cancel clearing'],
];

/** Whether a key went to a text field (then it is text, not a shortcut). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

export function Help(props: { onClose: () => void }): JSX.Element {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div class="help" role="dialog" aria-modal="true" aria-labelledby="help-title">
      <h2 id="help-title">Keyboard shortcuts</h2>
      <table class="kv">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row">
                <kbd>{keys}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" ref={close} onClick={props.onClose}>
        close
      </button>
    </div>
  );
}
