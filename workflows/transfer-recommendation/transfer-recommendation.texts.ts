// The recommendation to transfer's inbox texts (workflows/notice-texts.ts).
import { due, ref, sharedTexts, type NoticeTexts, type Render } from '../notice-texts';
import type { NotificationTemplate } from './transfer-recommendation.notifications';

const TEXTS: Record<NotificationTemplate, Render> = {
  ...sharedTexts('recommendation'),
  'recommendation-issued': (f) => ({
    title: `Recommendation to transfer ${f.referral.referenceNo}`,
    body:
      `The procuratorate recommends that your agency transfer the case of recommendation ${ref(f)} to the police.` +
      due(f, 'recommendation-response', 'Transfer it or explain in writing why not'),
  }),
  'recommendation-transferred': (f) => ({
    title: `Case transferred on ${f.referral.referenceNo}`,
    body: `The agency transferred the case of recommendation ${ref(f)} to the police.`,
  }),
  'recommendation-explained': (f) => ({
    title: `Explanation on ${f.referral.referenceNo}`,
    body: `The agency explained in writing why it does not transfer the case of recommendation ${ref(f)}.`,
  }),
  'explanation-accepted': (f) => ({
    title: `Explanation accepted: ${f.referral.referenceNo}`,
    body: `The procuratorate accepted the explanation on recommendation ${ref(f)}; it is closed.`,
  }),
  'recommendation-insisted': (f) => ({
    title: `Procuratorate insists: ${f.referral.referenceNo}`,
    body:
      `The procuratorate does not accept the explanation and insists on recommendation ${ref(f)}.` +
      due(f, 'recommendation-response', 'Transfer the case or answer again'),
  }),
  'recommendation-withdrawn': (f) => ({
    title: `Recommendation ${f.referral.referenceNo} withdrawn`,
    body: `The procuratorate withdrew recommendation ${ref(f)}; its deadlines are cancelled.`,
  }),
};

export const TRANSFER_RECOMMENDATION_TEXTS: NoticeTexts<NotificationTemplate> = {
  texts: TEXTS,
  deadlineKinds: {
    'recommendation-issued': ['recommendation-response'],
    'recommendation-insisted': ['recommendation-response'],
  },
};
