// A panel docked under the canvas (the step-through, the gradient check): a title row with the
// caller's controls, Esc closes it.
import { type ReactNode, useEffect } from 'react';

export function Dock({
  title,
  testId,
  busy,
  className = '',
  onClose,
  controls,
  children,
}: {
  title: string;
  testId: string;
  /** While the worker computes: what it is doing (shown before the controls). */
  busy?: string | undefined;
  className?: string;
  onClose: () => void;
  /** What follows the title in the header (status, navigation, the close button). */
  controls: ReactNode;
  children?: ReactNode;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      onClose();
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <section
      className={`ng-dock ${className}`}
      data-testid={testId}
      aria-label={title}
      aria-busy={busy !== undefined ? 'true' : undefined}
    >
      <header>
        <h2>{title}</h2>
        {busy !== undefined && <span className="ng-muted">{busy}</span>}
        {controls}
      </header>
      {children}
    </section>
  );
}
