import { AlarmSimulator } from '../../detections/alarm-simulation';

const at = (iso: string) => Date.parse(iso);

describe('simulated alarms', () => {
  test('fires when a period reaches the threshold, not below it', () => {
    const alarm = new AlarmSimulator({ threshold: 5, periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1 });
    for (const s of [0, 30, 60, 90]) alarm.add(at('2024-01-01T10:00:00Z') + s * 1000);
    expect(alarm.alarms()).toEqual([]);
    alarm.add(at('2024-01-01T10:04:59Z'));
    expect(alarm.alarms()).toEqual([{ from: '2024-01-01T10:00:00.000Z', to: '2024-01-01T10:05:00.000Z', count: 5 }]);
  });

  test('periods are aligned to the clock, as CloudWatch aligns them: 5 matches across a boundary do not breach', () => {
    const alarm = new AlarmSimulator({ threshold: 5, periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1 });
    for (const t of ['10:04:00', '10:04:30', '10:05:00', '10:05:30', '10:06:00']) alarm.add(at(`2024-01-01T${t}Z`));
    expect(alarm.alarms()).toEqual([]);
  });

  test('M of N: two breaching periods out of three fire; one does not', () => {
    const alarm = new AlarmSimulator({ threshold: 1, periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 2 });
    alarm.add(at('2024-01-01T10:00:10Z'));
    expect(alarm.alarms()).toEqual([]);
    alarm.add(at('2024-01-01T10:02:10Z'));
    expect(alarm.alarms()).toEqual([{ from: '2024-01-01T10:02:00.000Z', to: '2024-01-01T10:03:00.000Z', count: 2 }]);
  });

  test('consecutive breaching periods are one alarm; a quiet period in between makes two', () => {
    const alarm = new AlarmSimulator({ threshold: 1, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 });
    for (const t of ['10:00:05', '10:01:05', '10:01:06', '10:03:00']) alarm.add(at(`2024-01-01T${t}Z`));
    expect(alarm.alarms()).toEqual([
      { from: '2024-01-01T10:00:00.000Z', to: '2024-01-01T10:02:00.000Z', count: 3 },
      { from: '2024-01-01T10:03:00.000Z', to: '2024-01-01T10:04:00.000Z', count: 1 },
    ]);
  });

  test('lines out of order count the same (audit files are not in order)', () => {
    const a = new AlarmSimulator({ threshold: 2, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 });
    a.add(at('2024-01-01T10:00:50Z'));
    a.add(at('2024-01-01T09:30:00Z'));
    a.add(at('2024-01-01T10:00:10Z'));
    expect(a.alarms()).toEqual([{ from: '2024-01-01T10:00:00.000Z', to: '2024-01-01T10:01:00.000Z', count: 2 }]);
  });
});
