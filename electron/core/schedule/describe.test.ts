import { describe, expect, it } from 'vitest';
import { assertValidSchedule, describeSchedule } from './describe.js';
import { CofreError } from '../errors.js';

describe('describeSchedule', () => {
  it.each([
    [{ cron: '30 12 * * *' }, 'Todos os dias às 12:30', 'Every day at 12:30'],
    [{ maxFrequencyHours: 6 }, 'A cada 6 horas', 'Every 6 hours'],
    [{ cron: '0 */6 * * *' }, 'A cada 6 horas', 'Every 6 hours'],
    [{ cron: '0 18 * * 1-5' }, 'De segunda a sexta às 18:00', 'Monday to Friday at 18:00'],
    [{ cron: '0 10 * * 0,6' }, 'Aos sábados e domingos às 10:00', 'Saturdays and Sundays at 10:00'],
    [{ cron: '0 9 * * 1' }, 'Toda segunda-feira às 09:00', 'Every Monday at 09:00'],
    [{ cron: '0 9 * * 7' }, 'Todo domingo às 09:00', 'Every Sunday at 09:00'],
    [{ cron: '0 8,12,18 * * *' }, 'Todos os dias às 08:00, 12:00 e 18:00', 'Every day at 08:00, 12:00, and 18:00'],
    [{ cron: '0 9 * * 1,3' }, 'Toda semana (segunda-feira e quarta-feira) às 09:00', 'Every week on Monday and Wednesday at 09:00'],
    [{ cron: '0 * * * *' }, 'A cada hora', 'Every hour'],
    [{ cron: '15 * * * *' }, 'A cada hora, no minuto 15', 'Every hour at minute 15'],
    [{ cron: '*/15 * * * *' }, 'A cada 15 minutos', 'Every 15 minutes'],
    [{ cron: '0 3 1 * *' }, 'Todo mês no dia 1 às 03:00', 'Every month on day 1 at 03:00'],
    [{ cron: '@daily' }, 'Todos os dias às 00:00', 'Every day at 00:00'],
    [{ cron: '30 12 * * *', clock: 'CLOCK_UTC' as const }, 'Todos os dias às 12:30 (UTC)', 'Every day at 12:30 (UTC)'],
    [{ maxFrequencyDays: 1 }, 'Uma vez por dia', 'Once a day'],
    [{ maxFrequencyDays: 3 }, 'A cada 3 dias', 'Every 3 days'],
    [{ disabled: true }, 'Execução automática desativada', 'Automatic runs disabled'],
    [undefined, 'Sem agendamento', 'Not scheduled'],
    [{ cron: '0 4 1-7 * 1' }, 'Agendamento personalizado: 0 4 1-7 * 1', 'Custom schedule: 0 4 1-7 * 1'],
    [{ cron: '5 4 * 2 *' }, 'Agendamento personalizado: 5 4 * 2 *', 'Custom schedule: 5 4 * 2 *'],
    [{ cron: 'nonsense' }, 'Agendamento inválido: nonsense', 'Invalid schedule: nonsense'],
  ])('%j reads well in Portuguese and English', (schedule, pt, en) => {
    expect(describeSchedule(schedule, 'pt-BR')).toBe(pt);
    expect(describeSchedule(schedule, 'en')).toBe(en);
  });

  it('rejects an unusable cron with a translated error', () => {
    expect(() => assertValidSchedule({ cron: '0 30 12 * * *' })).toThrow(CofreError);
    expect(() => assertValidSchedule({ cron: '30 12 * * *' })).not.toThrow();
  });
});
