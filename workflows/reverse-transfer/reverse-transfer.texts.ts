// The reverse transfer's inbox texts (workflows/notice-texts.ts).
import { due, ref, sharedTexts, type NoticeTexts, type Render } from '../notice-texts';
import type { NotificationTemplate } from './reverse-transfer.notifications';

const TEXTS: Record<NotificationTemplate, Render> = {
  ...sharedTexts('reverse transfer'),
  'reverse-transfer-submitted': (f) => ({
    title: `Case transferred back: ${f.referral.referenceNo}`,
    body:
      `Reverse transfer ${ref(f)} sends a case back to your agency for an administrative penalty.` +
      due(f, 'reverse-receipt', 'Acknowledge receipt'),
  }),
  'reverse-transfer-acknowledged': (f) => ({
    title: `Reverse transfer ${f.referral.referenceNo} received`,
    body:
      `The agency received reverse transfer ${ref(f)}.` +
      due(f, 'reverse-reply', 'Its reply on the procuratorial opinion is due'),
  }),
  'reverse-transfer-decided': (f) => ({
    title: `Penalty decision on ${f.referral.referenceNo}`,
    body: `The agency decided on reverse transfer ${ref(f)}.`,
  }),
  'reverse-transfer-replied': (f) => ({
    title: `Reply on reverse transfer ${f.referral.referenceNo}`,
    body: `The agency replied on reverse transfer ${ref(f)}; it is closed.`,
  }),
  'reverse-transfer-chased': (f) => ({
    title: `Reverse transfer ${f.referral.referenceNo} chased`,
    body: `The procuratorate asks for the answer on reverse transfer ${ref(f)}.` + due(f, 'reverse-reply', 'The reply is due'),
  }),
  'reverse-transfer-withdrawn': (f) => ({
    title: `Reverse transfer ${f.referral.referenceNo} withdrawn`,
    body: `Reverse transfer ${ref(f)} was withdrawn; its deadlines are cancelled.`,
  }),
};

export const REVERSE_TRANSFER_TEXTS: NoticeTexts<NotificationTemplate> = {
  texts: TEXTS,
  deadlineKinds: {
    'reverse-transfer-submitted': ['reverse-receipt'],
    'reverse-transfer-acknowledged': ['reverse-reply'],
    'reverse-transfer-chased': ['reverse-reply'],
  },
};
