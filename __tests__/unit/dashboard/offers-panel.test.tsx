import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { offerLabelsOf } from '../../../components/dashboard/offer-labels';
import { OffersPanel } from '../../../components/dashboard/OffersPanel';
import type { OffersReport } from '../../../lib/protocol/analytics-api';
import { DEFAULT_WIDGET_CONTENT } from '../../../lib/protocol/widget-document';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let container: HTMLElement;

beforeEach(() => {
  container = document.createElement('div');
  root = createRoot(container);
});
afterEach(() => act(() => root.unmount()));

const REPORT: OffersReport = {
  widgetId: 'shop',
  from: '2026-11-01',
  to: '2026-11-07',
  offers: [
    { offerId: 'offer-boots', buttonVariantId: 'default', shown: 1200, clicked: 30, clickThroughRate: 0.025 },
    { offerId: 'offer-trail', buttonVariantId: 'v-primary', shown: 3, clicked: 1, clickThroughRate: 1 / 3 },
    { offerId: 'offer-trail', buttonVariantId: 'v-urgent', shown: 0, clicked: 2, clickThroughRate: 0 },
  ],
};

const rows = () =>
  [...container.querySelectorAll('[data-testid="offer-row"]')].map((row) => ({
    offer: row.getAttribute('data-offer'),
    variant: row.getAttribute('data-variant'),
    cells: [...row.querySelectorAll('th, td')].map((cell) => cell.textContent),
  }));

describe('the offers panel', () => {
  test('lists each offer and variant with shown, clicked and the CTR as a percentage; an offer’s name spans its variants', () => {
    act(() => root.render(<OffersPanel data={REPORT} failed={false} />));
    expect(rows()).toEqual([
      { offer: 'offer-boots', variant: 'default', cells: ['offer-boots', 'default', '1,200', '30', '2.5%'] },
      { offer: 'offer-trail', variant: 'v-primary', cells: ['offer-trail', 'v-primary', '3', '1', '33.3%'] },
      // Clicks without a recorded showing (an older embed, a blocked event): no rate to give.
      { offer: 'offer-trail', variant: 'v-urgent', cells: ['v-urgent', '0', '2', '–'] },
    ]);
    expect(container.querySelector('th[scope="rowgroup"]:not([rowspan="1"])')?.getAttribute('rowspan')).toBe('2');
  });

  test('says when no offer was shown, while it loads, and when the load failed', () => {
    act(() => root.render(<OffersPanel data={{ ...REPORT, offers: [] }} failed={false} />));
    expect(container.textContent).toContain('No offer was shown or clicked in this range.');
    act(() => root.render(<OffersPanel data={null} failed={false} />));
    expect(container.querySelector('[role="status"]')?.textContent).toBe('Loading…');
    act(() => root.render(<OffersPanel data={null} failed />));
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('Could not load the offers.');
    act(() => root.render(<OffersPanel data={REPORT} failed />));
    expect(container.textContent).toContain('these are from the last update');
    expect(rows()).toHaveLength(3);
  });

  test('shows what visitors read under the ids: the offer’s label, each variant’s button, the offer’s label for the default variant', () => {
    const labels = offerLabelsOf(DEFAULT_WIDGET_CONTENT);
    expect(labels.get('offer-boots')).toEqual({ label: 'See hiking boots', variants: new Map([['default', 'See hiking boots']]) });
    expect([...(labels.get('offer-trail')?.variants ?? [])]).toEqual([
      ['v-primary', 'Shop trail shoes'],
      ['v-urgent', 'Get 20% off now'],
    ]);

    const report = { ...REPORT, offers: [...REPORT.offers, { offerId: 'offer-gone', buttonVariantId: 'default', shown: 1, clicked: 0, clickThroughRate: 0 }] };
    act(() => root.render(<OffersPanel data={report} failed={false} labels={labels} />));
    expect(rows().map((row) => row.cells.slice(0, -3))).toEqual([
      ['offer-bootsSee hiking boots', 'defaultSee hiking boots'],
      ['offer-trailOur trail shoes are 20% off this week.', 'v-primaryShop trail shoes'],
      ['v-urgentGet 20% off now'],
      // An offer no longer in the widget keeps its figures, by id alone.
      ['offer-gone', 'default'],
    ]);
  });
});
