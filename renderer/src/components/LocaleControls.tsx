// Controls that speak the app's language, not the browser's: a native <input type="time"> shows
// "12:00 PM" in an English browser of a Portuguese app, and <input type="file"> says "Choose File".
import { useId, useRef, useState } from 'react';
import { getLocale, t } from '../../../electron/core/i18n/index.js';

const hours = Array.from({ length: 24 }, (_, h) => h);
const minutes = Array.from({ length: 60 }, (_, m) => m);

function hourLabel(hour: number): string {
  return new Intl.DateTimeFormat(getLocale(), { hour: 'numeric', minute: '2-digit' }).format(new Date(2000, 0, 1, hour, 0));
}

/** Hour and minute as two selects labelled in the app's language ("14:00" / "2:00 PM"). */
export function TimeSelect({ id, hour, minute, onChange, describedBy }: { id: string; hour: number; minute: number; onChange: (hour: number, minute: number) => void; describedBy?: string }) {
  return (
    <span className="time-select" role="group" aria-labelledby={`${id}-group`}>
      <select id={id} aria-label={t('ui.time.hour')} aria-describedby={describedBy} value={hour} onChange={(e) => onChange(Number(e.target.value), minute)}>
        {hours.map((h) => <option key={h} value={h}>{hourLabel(h).replace(/[:.]00/, '')}</option>)}
      </select>
      <span aria-hidden="true">:</span>
      <select aria-label={t('ui.time.minute')} value={minute} onChange={(e) => onChange(hour, Number(e.target.value))}>
        {minutes.map((m) => <option key={m} value={m}>{String(m).padStart(2, '0')}</option>)}
      </select>
    </span>
  );
}

/** A translated "Escolher arquivo…" button in front of a hidden file input, with the chosen name. */
export function FileButton({ id, accept, onFile, label }: { id?: string; accept?: string; onFile: (file: File) => void; label?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const fallbackId = useId();
  const [name, setName] = useState<string | null>(null);
  return (
    <span className="file-button">
      <button type="button" id={id ?? fallbackId} className="btn btn-secondary" onClick={() => input.current?.click()}>{label ?? t('ui.file.choose')}</button>
      <span className="muted small" aria-live="polite">{name ?? t('ui.file.none')}</span>
      <input ref={input} type="file" accept={accept} hidden tabIndex={-1} aria-hidden="true" onChange={(e) => {
        const file = e.target.files?.[0];
        e.target.value = '';
        if (!file) return;
        setName(file.name);
        onFile(file);
      }} />
    </span>
  );
}
