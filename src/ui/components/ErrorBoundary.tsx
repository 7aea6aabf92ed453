import { Component, type ReactNode } from 'react';

interface State {
  readonly error: Error | null;
}

/** Keeps a failing view from blanking the page: says what broke and lets the user retry. */
export class ErrorBoundary extends Component<{ readonly children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="notice error" role="alert">
        <span>This view failed to draw: {this.state.error.message}</span>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
