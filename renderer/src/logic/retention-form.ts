// The retention editor's form model and its mapping to/from Backrest's Retention object.
import type { Retention } from '../../../electron/core/config/backrest-schema.js';

export type RetentionMode = 'all' | 'lastN' | 'buckets';

export interface RetentionForm {
  mode: RetentionMode;
  lastN: number;
  hourly: number;
  daily: number;
  weekly: number;
  monthly: number;
  yearly: number;
  /** keepLastN inside time buckets (a floor of recent snapshots always kept). */
  bucketLastN: number;
}

export const bucketFields = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;

export const defaultRetentionForm: RetentionForm = { mode: 'buckets', lastN: 30, hourly: 24, daily: 7, weekly: 4, monthly: 6, yearly: 1, bucketLastN: 0 };

export function retentionToForm(retention: Retention | undefined): RetentionForm {
  if (!retention) return { ...defaultRetentionForm };
  if (retention.policyKeepAll) return { ...defaultRetentionForm, mode: 'all' };
  if (retention.policyTimeBucketed) {
    const b = retention.policyTimeBucketed;
    return {
      ...defaultRetentionForm,
      mode: 'buckets',
      hourly: b.hourly ?? 0,
      daily: b.daily ?? 0,
      weekly: b.weekly ?? 0,
      monthly: b.monthly ?? 0,
      yearly: b.yearly ?? 0,
      bucketLastN: b.keepLastN ?? 0,
    };
  }
  if (retention.policyKeepLastN !== undefined) return { ...defaultRetentionForm, mode: 'lastN', lastN: retention.policyKeepLastN };
  return { ...defaultRetentionForm };
}

const count = (n: number) => Math.max(0, Math.round(Number.isFinite(n) ? n : 0));

/** Only one policy may be set; zero buckets are left out, as Backrest writes them. */
export function formToRetention(form: RetentionForm, previous?: Retention): Retention {
  const { policyKeepAll: _a, policyKeepLastN: _n, policyTimeBucketed: _b, ...rest } = previous ?? {};
  if (form.mode === 'all') return { ...rest, policyKeepAll: true };
  if (form.mode === 'lastN') return { ...rest, policyKeepLastN: Math.max(1, count(form.lastN)) };
  const buckets: Record<string, number> = {};
  for (const field of bucketFields) if (count(form[field]) > 0) buckets[field] = count(form[field]);
  if (count(form.bucketLastN) > 0) buckets.keepLastN = count(form.bucketLastN);
  return { ...rest, policyTimeBucketed: buckets };
}

/** A retention that keeps nothing would delete every snapshot: the editor refuses it. */
export function retentionKeepsSomething(form: RetentionForm): boolean {
  if (form.mode === 'all') return true;
  if (form.mode === 'lastN') return count(form.lastN) > 0;
  return bucketFields.some((f) => count(form[f]) > 0) || count(form.bucketLastN) > 0;
}
