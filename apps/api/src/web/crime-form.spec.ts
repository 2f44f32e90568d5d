import 'reflect-metadata';
import { parseAmendForm, parseCreateForm } from './crime-form.js';

// A filled-in create form, as the browser posts it.
const createForm = (over: Record<string, unknown> = {}) => ({
  forceId: 'kent',
  crimeReference: 'KT/2018/000123',
  offenceCode: '71/17',
  ...Object.fromEntries(
    ['reportedAt', 'recordedAt', 'offenceFrom'].flatMap((f) => [
      [`${f}-day`, '2'],
      [`${f}-month`, '5'],
      [`${f}-year`, '2018'],
    ]),
  ),
  onlineFlag: 'yes',
  victimSex: 'female',
  victimAge: '14',
  ...over,
});

describe('the crime form’s error messages', () => {
  it('accepts a complete form', () => {
    expect(parseCreateForm(createForm()).errors).toEqual({});
  });

  it('says an age is out of range in the form’s words', () => {
    const { errors } = parseCreateForm(createForm({ victimAge: '121', suspectAge: '130' }));
    expect(errors).toEqual({
      victimAge: 'Victim age must be between 0 and 120, or left empty if not known',
      suspectAge: 'Suspect age must be between 0 and 120, or left empty if not known',
    });
    expect(parseCreateForm(createForm({ victimAge: '120' })).errors).toEqual({});
  });

  it('names a field by its label, and gives a text limit as characters or fewer', () => {
    const { errors } = parseCreateForm(
      createForm({
        crimeReference: '/bad',
        onlineMethod: 'x'.repeat(1001),
        onlinePlatform: 'y'.repeat(201),
      }),
    );
    expect(errors).toEqual({
      crimeReference:
        'Crime reference must be 1-64 letters, digits or / _ . : -, starting with a letter or digit',
      onlineMethod: 'How a computer, network or device was used must be 1,000 characters or fewer',
      onlinePlatform: 'Platform or app must be 200 characters or fewer',
    });
    for (const text of Object.values(errors)) expect(text).not.toMatch(/^[a-z]+[A-Z]/); // no property names
  });

  it('words an amendment’s reason the same way', () => {
    const amend = { ...createForm(), version: '2', reason: 'r'.repeat(4001) };
    expect(parseAmendForm(amend).errors).toEqual({
      reason: 'The reason must be 4,000 characters or fewer',
    });
    expect(parseAmendForm({ ...amend, reason: '' }).errors).toEqual({
      reason: 'Enter why the record is amended',
    });
  });
});
