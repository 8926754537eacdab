import { describe, expect, it } from 'vitest';
import { safeFileName } from './main.js';

describe('safeFileName (files the kansli fetches with the CLI)', () => {
  it('keeps an ordinary Swedish file name as it is', () => {
    expect(safeFileName('Slutrapport Ökad hälsa 2026.docx')).toBe('Slutrapport Ökad hälsa 2026.docx');
  });

  it('never lets a sender’s file name leave the target directory or hide itself', () => {
    expect(safeFileName('../../.ssh/authorized_keys')).toBe('authorized_keys');
    expect(safeFileName('..\\..\\Windows\\win.ini')).toBe('win.ini');
    expect(safeFileName('.bashrc')).toBe('_bashrc');
    expect(safeFileName('a<b>:c"d|e?f*.txt')).toBe('a_b__c_d_e_f_.txt');
    expect(safeFileName('../')).toBe('fil');
  });
});
