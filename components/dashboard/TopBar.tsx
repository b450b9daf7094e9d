import type { ReactNode } from 'react';

/** Props of {@link TopBar}. */
export interface TopBarProps {
  /** The widget open, if any. */
  widgetId?: string;
  /** Between the brand and the widget (the view tabs). */
  children?: ReactNode;
  /** Shows "Switch widget" when given. */
  onSwitchWidget?: () => void;
  onSignOut: () => void;
}

/** The page's header: the brand, the views, the widget open and the way out. */
export function TopBar({ widgetId, children, onSwitchWidget, onSignOut }: TopBarProps) {
  return (
    <header className="fwd-topbar">
      <div className="fwd-topbar__start">
        <p className="fwd-brand">
          <span className="fwd-brand__mark" aria-hidden="true" />
          framewire <span className="fwd-brand__product">dashboard</span>
        </p>
        {children}
      </div>
      <div className="fwd-topbar__end">
        {widgetId !== undefined && (
          <span className="fwd-topbar__widget" data-testid="current-widget">
            Widget <strong>{widgetId}</strong>
          </span>
        )}
        {onSwitchWidget !== undefined && (
          <button type="button" className="fwd-button" onClick={onSwitchWidget}>
            Switch widget
          </button>
        )}
        <button type="button" className="fwd-button fwd-button--ghost" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
