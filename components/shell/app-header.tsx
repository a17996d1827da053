import type { ReactNode } from 'react';
import { UserMenu } from './user-menu';

interface AppHeaderProps {
  /** The screen's name next to the product name, e.g. "Supervisor". */
  screen: string;
  /** Left of the user menu: connection state and screen actions. */
  children?: ReactNode;
}

/** The top bar shared by the operator screens, ending with the signed-in user and logout. */
export function AppHeader({ screen, children }: AppHeaderProps) {
  return (
    <header className="wf-header">
      <div className="wf-brand">
        <svg className="wf-brand__mark" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="12" cy="12" r="10" fill="none" stroke="currentColor" strokeWidth="2" />
          <circle cx="12" cy="12" r="3.5" fill="currentColor" />
          <path d="M12 2v4M12 18v4M2 12h4M18 12h4" stroke="currentColor" strokeWidth="2" />
        </svg>
        <span className="wf-brand__name">Watchfloor</span>
        <span className="wf-brand__screen">{screen}</span>
      </div>
      <div className="wf-header__end">
        {children}
        <UserMenu />
      </div>
    </header>
  );
}
