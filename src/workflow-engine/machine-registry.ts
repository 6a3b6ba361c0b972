// Every machine version that ever wrote a snapshot stays here, so a referral is
// always restored by the machine that created its snapshot.
import type { AnyMachineSnapshot } from 'xstate';
import { REFERRAL_MACHINE_VERSION, referralMachine, type ReferralMachine } from '../../workflows/referral/referral.machine';

const REFERRAL_MACHINES = new Map<string, ReferralMachine>([[REFERRAL_MACHINE_VERSION, referralMachine]]);

export const CURRENT_REFERRAL_VERSION = REFERRAL_MACHINE_VERSION;

export function referralMachineFor(version: string): ReferralMachine {
  const machine = REFERRAL_MACHINES.get(version);
  if (!machine) throw new Error(`No referral machine registered for version ${version}`);
  return machine;
}

/** Top-level state (the API's `state`) and the full path (`stateDetail`, e.g. procuratorial-supervision.reasons-required). */
export function stateNames(snapshot: AnyMachineSnapshot): { state: string; stateDetail: string } {
  const path: string[] = [];
  let value: unknown = snapshot.value;
  while (value && typeof value === 'object') {
    const [key, inner] = Object.entries(value as Record<string, unknown>)[0];
    path.push(key);
    value = inner;
  }
  if (typeof value === 'string') path.push(value);
  return { state: path[0], stateDetail: path.join('.') };
}
