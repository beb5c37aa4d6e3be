import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** A crash in the UI shows what happened; the graph is safe in the autosave and reloads intact. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="ng-crash" role="alert">
        <h1>Something went wrong in the editor</h1>
        <p>{this.state.error.message}</p>
        <p>Your graph is saved in this browser. Reloading restores it.</p>
        <button type="button" className="primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
