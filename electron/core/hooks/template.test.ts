import { describe, expect, it } from 'vitest';
import { renderTemplate, TemplateError } from './template.js';
import { defaultSummary, formatGoDuration, formatRfc3339, shellEscape, stripUriCredentials, templateData, type HookEvent } from './vars.js';

const event: HookEvent = {
  condition: 'CONDITION_SNAPSHOT_SUCCESS',
  task: 'backup for plan "docs"',
  plan: { id: 'docs', paths: ['/home/ana/Documentos', '/home/ana/Área de Trabalho'] },
  repo: { id: 'office', uri: 'rest:https://ana:s3cr3t-pw@backup.example.com:8000/ana' },
  snapshotId: 'a1b2c3d4e5',
  durationMs: 90_500,
  summary: { filesNew: 3, filesChanged: 2, filesUnmodified: 100, dataAdded: 1536, totalFilesProcessed: 105, totalDuration: 90.5 },
  time: new Date('2026-03-01T12:34:56Z'),
};
const data = templateData(event, 'en');
const render = (source: string, d: unknown = data) => renderTemplate(source, d);

describe('hook templates', () => {
  it.each([
    ['{{ .Event }}', 'CONDITION_SNAPSHOT_SUCCESS'],
    ['{{ .Plan.Id }}/{{ .Repo.Id }}', 'docs/office'],
    ['{{ .SnapshotId }}', 'a1b2c3d4e5'],
    ['{{ .Duration }}', '1m30.5s'],
    ['{{ .Task }}', 'backup for plan "docs"'],
    ['added {{ .SnapshotStats.data_added }} bytes', 'added 1536 bytes'],
    ['{{ .SnapshotStats.FilesNew }}+{{ .SnapshotStats.filesChanged }}', '3+2'],
    ['{{ .FormatSizeBytes .SnapshotStats.data_added }}', '1.5 kB'],
    ['{{ .EventName .Event }}', 'snapshot success'],
    ['{{ if .Error }}failed: {{ .Error }}{{ else }}ok{{ end }}', 'ok'],
    ['{{ if eq .Event "CONDITION_SNAPSHOT_SUCCESS" }}yes{{ end }}', 'yes'],
    ['{{ if .IsError .Event }}bad{{ else if .SnapshotId }}snap{{ else }}none{{ end }}', 'snap'],
    ['{{ range .Plan.Paths }}[{{ . }}]{{ end }}', '[/home/ana/Documentos][/home/ana/Área de Trabalho]'],
    ['{{ with .Plan }}{{ .Id }} in {{ $.Repo.Id }}{{ end }}', 'docs in office'],
    ['{{ len .Plan.Paths }} paths', '2 paths'],
    ['{{ printf "%s has %d new files" .Plan.Id .SnapshotStats.files_new }}', 'docs has 3 new files'],
    ['{{ .Plan.Id | printf "plan=%s" }}', 'plan=docs'],
    ['{{ .ShellEscape .Task }}', `'backup for plan "docs"'`],
    ['{{ .Task | ShellEscape }}', `'backup for plan "docs"'`],
    ['a  {{- .Plan.Id -}}  b', 'adocsb'],
    ['{{/* a comment */}}x', 'x'],
    ['{"text": {{ .JsonMarshal .Summary }}}', `{"text": ${JSON.stringify(defaultSummary(event, 'en'))}}`],
    ['{{ "}}" }}', '}}'],
  ])('renders %s', (source, expected) => {
    expect(render(source)).toBe(expected);
  });

  it('renders unknown fields, methods and functions as empty text instead of failing', () => {
    expect(render('[{{ .NoSuchField }}][{{ .Plan.Nope.Deeper }}][{{ .Nope 1 2 }}][{{ nosuchfunc .Plan }}]')).toBe('[][][][]');
    expect(render('{{ if .Missing }}x{{ else }}y{{ end }}')).toBe('y');
    expect(render('{{ .Plan.Id }}', {})).toBe('');
    expect(render('{{ range .Missing }}x{{ else }}empty{{ end }}')).toBe('empty');
  });

  it('renders the error branch on failures', () => {
    const failed = templateData({ ...event, condition: 'CONDITION_SNAPSHOT_ERROR', error: 'The backup server cannot be reached.' }, 'en');
    expect(render('{{ if .Error }}failed: {{ .Error }}{{ else }}ok{{ end }}', failed)).toBe('failed: The backup server cannot be reached.');
    expect(render('{{ .Summary }}', failed)).toBe('Backup of plan "docs" failed: The backup server cannot be reached.');
  });

  it('formats the current time as RFC 3339 like Backrest', () => {
    const text = render('{{ .FormatTime .CurTime }}');
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    expect(new Date(text).getTime()).toBe(event.time!.getTime());
    expect(formatRfc3339('garbage')).toBe('');
  });

  it('never shows repository credentials', () => {
    expect(render('{{ .Repo.Uri }}')).toBe('rest:https://backup.example.com:8000/ana');
    expect(render('{{ .JsonMarshal .Repo }}')).not.toContain('s3cr3t');
    expect(stripUriCredentials('rest:http://u:p%40ss@host/x')).toBe('rest:http://host/x');
    expect(stripUriCredentials('/srv/restic-repo')).toBe('/srv/restic-repo');
  });

  it('has a human default summary per event in the chosen language', () => {
    expect(defaultSummary(event, 'en')).toBe('Backup of plan "docs" finished: snapshot a1b2c3d4e5, files checked: 105, data added: 1.5 kB, in 1m 31s.');
    expect(defaultSummary(event, 'pt-BR')).toContain('O backup do plano "docs" terminou');
    expect(defaultSummary({ ...event, condition: 'CONDITION_SNAPSHOT_START' }, 'en')).toBe('Backup of plan "docs" to repository "office" started.');
    expect(defaultSummary({ ...event, condition: 'CONDITION_PRUNE_ERROR', error: 'locked' }, 'pt-BR')).toBe(
      'A limpeza de dados não usados do repositório "office" falhou: locked',
    );
  });

  it('rejects malformed syntax with a TemplateError', () => {
    for (const bad of ['{{ .Plan.Id ', '{{ if .Error }}x', '{{ end }}', '{{ (.Plan.Id }}', '{{ define "x" }}{{ end }}', '{{ "open }}']) {
      expect(() => render(bad), bad).toThrow(TemplateError);
    }
  });

  it('quotes for the shell and prints Go durations', () => {
    expect(shellEscape("it's")).toBe(`'it'"'"'s'`);
    expect(shellEscape('plain-word_1.txt')).toBe('plain-word_1.txt');
    expect(shellEscape('')).toBe("''");
    expect(formatGoDuration(250)).toBe('250ms');
    expect(formatGoDuration(3_723_000)).toBe('1h2m3s');
    expect(formatGoDuration(undefined)).toBe('');
  });
});
