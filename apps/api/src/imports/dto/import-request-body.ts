// The request body of POST /imports as the OpenAPI document gives it (set through @ApiOperation: @ApiBody takes
// one schema for every media type). The docs page offers the first media type, with a two-row CSV example
// (docs/import-format.md §8) it can send as is.
const EXAMPLE_CSV =
  [
    'crime_reference,force_id,offence_code,reported_at,recorded_at,offence_from,offence_to,online_flag,online_method,victim_age,victim_sex,status',
    'EX/DBY/16/0001,derbyshire,8L,2016-05-03T09:15:00+01:00,2016-05-03T11:40:00+01:00,2016-04-20,2016-05-02T22:30:00+01:00,Y,"messages from a former partner, via a social media app",34,female,confirmed',
    'EX/DBY/16/0002,derbyshire,22B,2016-06-10T16:05:00+01:00,2016-06-10T18:20:00+01:00,2016-06-01T19:00:00+01:00,,U,,14,female,draft',
  ].join('\r\n') + '\r\n';
const EXAMPLE_NDJSON =
  '{"crime_reference":"EX/DBY/16/0001","force_id":"derbyshire","offence_code":"8L","reported_at":"2016-05-03T09:15:00+01:00","recorded_at":"2016-05-03T11:40:00+01:00","offence_from":"2016-04-20","offence_to":"2016-05-02T22:30:00+01:00","online_flag":"yes","online_method":"messages from a former partner, via a social media app","victim_age":34,"victim_sex":"female","status":"confirmed"}\n';
export const IMPORT_REQUEST_BODY = {
  'text/csv': { schema: { type: 'string' }, example: EXAMPLE_CSV },
  'application/x-ndjson': { schema: { type: 'string' }, example: EXAMPLE_NDJSON },
  'multipart/form-data': {
    schema: {
      type: 'object',
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description:
            'a .csv or .ndjson file; add ?format= if its type is not text/csv or application/x-ndjson',
        },
      },
      required: ['file'],
    },
  },
};
