// The parameters every return query takes. year is the start year: 2015 = '2015-16'.
export interface ForceYear {
  forceId: string;
  year: number;
}
