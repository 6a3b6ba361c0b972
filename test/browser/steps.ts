// Steps the browser suites share: axe as an assertion, sending an event through
// its button and form, opening a referral from the work queue.
import type { Page } from 'playwright-core';
import type { Actor } from './harness';

export async function expectAccessible(actor: Actor, where: string): Promise<void> {
  const violations = await actor.axe();
  expect({ where, violations }).toEqual({ where, violations: [] });
}

/** Clicks the event's button, fills its form (if any), submits, and waits for the dialog to close. */
export async function sendEvent(page: Page, event: string, fill?: () => Promise<void>): Promise<void> {
  await page.locator(`button[data-event="${event}"]`).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await fill?.();
  await dialog.getByRole('button', { name: /提\s*交|Submit/ }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** From the work queue, by reference number, to the referral page with its diagram drawn. */
export async function openReferral(actor: Actor, referenceNo: string): Promise<void> {
  const { page } = actor;
  await page.goto('/');
  await page.getByRole('link', { name: referenceNo }).click();
  await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
  await page.locator('.caselink-statechart svg').waitFor();
}
