import { detectFormat, lineReader, timestampOf } from '../../detections/log-lines';

describe('timestamps', () => {
  test.each([
    ['1603442662867983,database-1-instance-1,admin,1.34.6.81,50,984868,QUERY,mysqldemo,\'DROP TABLE customers\',0', '2020-10-23T08:44:22.867Z'],
    ['20221201 14:07:05,ip-10-22-1-51,rdsadmin,localhost,821,0,CONNECT,,,0,SOCKET', '2022-12-01T14:07:05.000Z'],
    ["2024-10-09T19:26:59.310443Z 220 [Note] [MY-010926] [Server] Access denied for user 'user_1'@'172.31.49.222' (using password: YES)", '2024-10-09T19:26:59.310Z'],
    ['# Time: 2024-05-01T10:15:32.123456Z', '2024-05-01T10:15:32.123Z'],
    ['SET timestamp=1714558532;', '2024-05-01T10:15:32.000Z'],
    ['2021-10-30 07:23:56 UTC:116.14.204.216(50222):postgres@mytest:[28180]:LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,public.t3,drop table t3;,<not logged>', '2021-10-30T07:23:56.000Z'],
  ])('%s', (line, iso) => {
    expect(new Date(timestampOf(line)!).toISOString()).toBe(iso);
  });

  test('lines without one take the last seen: a slow-query entry spans several lines', () => {
    const read = lineReader('rds');
    expect(read('SELECT 1;').timestampMs).toBeUndefined();
    read('# Time: 2024-05-01T10:15:32.000000Z');
    expect(read('# Query_time: 12.3  Lock_time: 0.0 Rows_sent: 1  Rows_examined: 9').timestampMs).toBe(Date.parse('2024-05-01T10:15:32Z'));
  });
});

describe('CloudWatch exports', () => {
  const exported = ['2020-10-23T08:44:22.867Z 1603442662867983,db-1,admin,1.34.6.81,50,984868,QUERY,app,\'DROP TABLE t\',0', '2020-10-23T08:44:23.000Z 1603442663000000,db-1,admin,1.34.6.81,50,0,DISCONNECT,,,0'];

  test('are told apart from files downloaded from RDS', () => {
    expect(detectFormat(exported)).toBe('cloudwatch-export');
    expect(detectFormat(['2024-10-09T19:26:59.310443Z 220 [Note] Access denied'])).toBe('rds');
    expect(detectFormat(['1603442662867983,db-1,admin,1.34.6.81,50,984868,QUERY,app,\'x\',0'])).toBe('rds');
  });

  test('lose the export prefix, so patterns see what CloudWatch matched', () => {
    expect(lineReader('cloudwatch-export')(exported[0])).toEqual({
      message: "1603442662867983,db-1,admin,1.34.6.81,50,984868,QUERY,app,'DROP TABLE t',0",
      timestampMs: Date.parse('2020-10-23T08:44:22.867Z'),
    });
  });
});
