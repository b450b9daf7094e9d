import { useId } from 'react';
import { RANGE_DAYS } from './api/index';
import type { RangeDays } from './api/index';

/** Props of {@link RangePicker}. */
export interface RangePickerProps {
  value: RangeDays;
  onChange: (days: RangeDays) => void;
}

/** Last 7 / 30 / 90 days, as a radio group (arrow keys move, as in any radio group). */
export function RangePicker({ value, onChange }: RangePickerProps) {
  const name = useId();
  return (
    <fieldset className="fwd-segmented" data-testid="range-picker">
      <legend className="fwd-visually-hidden">Date range</legend>
      {RANGE_DAYS.map((days) => (
        <label key={days} className="fwd-segmented__option">
          <input type="radio" name={name} value={days} checked={value === days} onChange={() => onChange(days)} />
          <span>Last {days} days</span>
        </label>
      ))}
    </fieldset>
  );
}
