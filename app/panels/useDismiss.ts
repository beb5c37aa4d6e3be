// Menus and popovers close the way people expect: Esc, or a press anywhere outside them.
import { type RefObject, useEffect } from 'react';

/**
 * While `open`, calls `onClose` on Esc and on a pointer press outside `ref` (which should hold the
 * button that opens it too, so that button still toggles).
 */
export function useDismiss(ref: RefObject<HTMLElement | null>, open: boolean, onClose: () => void): void {
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    const onPointer = (e: PointerEvent) => {
      if (ref.current && e.target instanceof Node && !ref.current.contains(e.target)) onClose();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onPointer, true);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onPointer, true);
    };
  }, [ref, open, onClose]);
}
