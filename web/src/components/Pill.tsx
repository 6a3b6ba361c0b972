// antd's preset tag colours put mid-tone text on pale backgrounds, below WCAG
// AA contrast; these keep the hues with darker text.
import { Tag } from 'antd';
import type { ComponentProps } from 'react';

export const TONES = {
  green: ['#135200', '#f6ffed', '#b7eb8f'],
  red: ['#a8071a', '#fff1f0', '#ffa39e'],
  orange: ['#873800', '#fff7e6', '#ffd591'],
  gold: ['#613400', '#fffbe6', '#ffe58f'],
  blue: ['#003eb3', '#e6f4ff', '#91caff'],
  purple: ['#391085', '#f9f0ff', '#d3adf7'],
  cyan: ['#00474f', '#e6fffb', '#87e8de'],
  default: ['#262626', '#fafafa', '#d9d9d9'],
} as const;
export type Tone = keyof typeof TONES;

export function Pill({ tone = 'default', style, ...props }: { tone?: Tone } & Omit<ComponentProps<typeof Tag>, 'color'>) {
  const [color, background, borderColor] = TONES[tone];
  // antd 6 tags have no outer margin: side by side they would touch
  return <Tag {...props} style={{ color, background, borderColor, marginInlineEnd: 4, ...style }} />;
}
