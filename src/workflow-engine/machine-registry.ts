// Every machine version that ever wrote a snapshot stays here, so a referral is
// always restored by the machine that created its snapshot.
import { REFERRAL_MACHINE_VERSION, referralMachine, type ReferralMachine } from '../../workflows/referral/referral.machine';

const REFERRAL_MACHINES = new Map<string, ReferralMachine>([[REFERRAL_MACHINE_VERSION, referralMachine]]);

export const CURRENT_REFERRAL_VERSION = REFERRAL_MACHINE_VERSION;

export function referralMachineFor(version: string): ReferralMachine {
  const machine = REFERRAL_MACHINES.get(version);
  if (!machine) throw new Error(`No referral machine registered for version ${version}`);
  return machine;
}
