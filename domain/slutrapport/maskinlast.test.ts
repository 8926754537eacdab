import { describe, expect, it } from 'vitest';
import { syntheticReportText } from '../../test/support/synthetic-report.js';
import { lasRapport } from './maskinlast.js';

const idag = '2026-11-30';

describe('lasRapport', () => {
  it('repairs a scanned e-mail address and accepts the report', () => {
    const text = syntheticReportText().replace(
      'sara.provperson@exempelby.example',
      'sara.provpersonQexempelby.example',
    );
    const r = lasRapport(text, 'pdf-ocr', { idag });
    expect(r.maskinlast).toBe(true);
    expect(r.result.status).toBe('komplett');
    expect(r.lagningar.join()).toMatch(/E-postadress lagad/);
  });

  it('sends a doubtful scanned field to the kansli, not back to the sender', () => {
    const text = syntheticReportText().replace(
      'sara.provperson@exempelby.example',
      'sara provperson exempelby',
    );
    const r = lasRapport(text, 'bild-ocr', { idag });
    expect(r.result.fel.map((f) => f.kod)).not.toContain('EPOST_OGILTIG');
    expect(r.kontrollera.join()).toMatch(/epost/);
  });

  it('reads a document that is not a scan as it is', () => {
    const text = syntheticReportText().replace(
      'sara.provperson@exempelby.example',
      'sara provperson exempelby',
    );
    const r = lasRapport(text, 'docx', { idag });
    expect(r.maskinlast).toBe(false);
    expect(r.result.fel.map((f) => f.kod)).toContain('EPOST_OGILTIG');
  });
});
