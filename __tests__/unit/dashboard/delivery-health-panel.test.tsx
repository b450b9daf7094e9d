import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DeliveryHealthPanel } from '../../../components/dashboard/DeliveryHealthPanel';
import type { DeliveryHealthAnswer, DeliveryHealthFigures } from '../../../lib/protocol/delivery-health-schema';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let container: HTMLElement;

beforeEach(() => {
  container = document.createElement('div');
  root = createRoot(container);
});
afterEach(() => act(() => root.unmount()));

const quiet: DeliveryHealthFigures = {
  reports: 0,
  dropped: { count: 0, bytes: 0 },
  refused: { http: 0, tooOld: 0, inFuture: 0, tooLarge: 0, invalid: 0, other: 0 },
  retries: 0,
  oldestPendingMs: { max: 0, p95: null },
  bridge: { reports: 0, disconnects: 0, roundTripP50Ms: null, roundTripP99Ms: null },
};
const troubled: DeliveryHealthFigures = {
  ...quiet,
  reports: 4,
  dropped: { count: 3, bytes: 2 },
  refused: { ...quiet.refused, tooOld: 1, http: 1 },
  retries: 7,
  oldestPendingMs: { max: 90_000, p95: 91_000 },
  bridge: { reports: 2, disconnects: 1, roundTripP50Ms: 12, roundTripP99Ms: 400 },
};
const answer = (days: DeliveryHealthAnswer['days'], total: DeliveryHealthFigures): DeliveryHealthAnswer => ({ widgetId: 'shop', from: '2026-11-01', to: '2026-11-02', days, total });

describe('DeliveryHealthPanel', () => {
  test('shows the days with reports and the total: dropped, refused, retries, oldest wait, disconnects, round trips', () => {
    act(() => root.render(<DeliveryHealthPanel data={answer([{ date: '2026-11-01', ...quiet }, { date: '2026-11-02', ...troubled }], troubled)} failed={false} />));
    const rows = [...container.querySelectorAll('tr')].map((row) => [...row.children].map((cell) => cell.textContent));
    // The header, one day (the quiet one is left out), the total.
    expect(rows).toHaveLength(3);
    expect(rows[1]?.slice(1)).toEqual(['5', '2', '7', '1 m 30 s / 1 m 31 s', '1', '12 ms / 400 ms']);
    expect(rows[2]?.[0]).toBe('Total');
  });

  test('says when nothing was reported, and when loading failed', () => {
    act(() => root.render(<DeliveryHealthPanel data={answer([{ date: '2026-11-01', ...quiet }], quiet)} failed={false} />));
    expect(container.textContent).toContain('No delivery problem was reported in this range.');
    act(() => root.render(<DeliveryHealthPanel data={null} failed />));
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('Could not load the delivery health.');
  });
});
