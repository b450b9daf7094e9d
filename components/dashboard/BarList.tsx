import { formatCount } from './format';

/** One row of a {@link BarList}. */
export interface BarListItem {
  label: string;
  value: number;
}

/** Props of {@link BarList}. */
export interface BarListProps {
  /** Heading of the list (an `h3`); leave out when the panel's heading says it. */
  title?: string;
  items: readonly BarListItem[];
  /** What the numbers count, for screen readers: `12 sessions`. */
  unit: string;
  /** Shown when `items` is empty. @default "No data in this range." */
  emptyText?: string;
  /** Number the rows (a ranking). @default false */
  ranked?: boolean;
  /** When given, each row also shows its share of this total (e.g. the range's sessions). */
  total?: number;
  /** Takes two columns of a panel's grid (long labels such as URLs). @default false */
  wide?: boolean;
}

/**
 * A ranked list with a proportional bar behind each row: plain HTML, so it reads well with a
 * screen reader, wraps long labels, and needs no canvas.
 */
export function BarList({ title, items, unit, emptyText = 'No data in this range.', ranked = false, total, wide = false }: BarListProps) {
  const max = Math.max(1, ...items.map((item) => item.value));
  const List = ranked ? 'ol' : 'ul';
  return (
    <div className={wide ? 'fwd-barlist fwd-barlist--wide' : 'fwd-barlist'}>
      {title !== undefined && <h3 className="fwd-barlist__title">{title}</h3>}
      {items.length === 0 ? (
        <p className="fwd-muted fwd-barlist__empty">{emptyText}</p>
      ) : (
        <List className="fwd-barlist__items">
          {items.map((item) => (
            <li key={item.label} className="fwd-barlist__item" data-label={item.label} data-value={item.value}>
              <span className="fwd-barlist__bar" style={{ width: `${(item.value / max) * 100}%` }} aria-hidden="true" />
              <span className="fwd-barlist__label" title={item.label}>
                {item.label}
              </span>
              <span className="fwd-barlist__value">
                {formatCount(item.value)}
                <span className="fwd-visually-hidden"> {unit}</span>
                {total !== undefined && total > 0 && <span className="fwd-barlist__share"> {Math.round((item.value / total) * 100)}%</span>}
              </span>
            </li>
          ))}
        </List>
      )}
    </div>
  );
}
