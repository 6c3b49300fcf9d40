export interface MainView {
  id: string;
  label: string;
  /** Shown under the icon when the label is too long for the rail. */
  short?: string;
  /** The Alt+digit that shows it. */
  shortcut: string;
  icon: React.ReactNode;
}

interface Props {
  views: MainView[];
  active: string;
  onSelect(id: string): void;
}

/** The column of buttons left of the main area that switches what it shows (code, data, ...). */
export function ViewRail({ views, active, onSelect }: Props) {
  return (
    <div className="view-rail" role="tablist" aria-orientation="vertical" aria-label="Views">
      {views.map((view) => (
        <button
          key={view.id}
          type="button"
          role="tab"
          className={`view-rail-button${view.id === active ? " active" : ""}`}
          aria-selected={view.id === active}
          aria-label={view.label}
          title={`${view.label} (${view.shortcut})`}
          onClick={() => onSelect(view.id)}
        >
          {view.icon}
          <span className="view-rail-label">{view.short ?? view.label}</span>
        </button>
      ))}
    </div>
  );
}
