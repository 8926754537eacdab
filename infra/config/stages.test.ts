import { describe, expect, it } from 'vitest';
import { SES_RECEIVING_REGIONS, loadStageConfig } from './stages.js';
import { buildApp } from '../build-app.js';

// prod needs an alarm recipient; every prod case below gives one.
const PROD = { alarmEmail: 'kansli@finsamgavleborg.se' };

describe('stage configuration', () => {
  it('refuses prod without an alarm recipient, with a clear message; lokal does not need one', () => {
    expect(() => loadStageConfig('prod')).toThrow(/prod kräver alarmEmail/);
    expect(() => buildApp({ bundling: false, context: { stage: 'prod' } })).toThrow(/prod kräver alarmEmail/);
    expect(loadStageConfig('lokal').alarmEmail).toBeUndefined();
  });

  it('deploys prod to Ireland, an SES-receiving region in the EU', () => {
    const config = loadStageConfig('prod', PROD);
    expect(config.region).toBe('eu-west-1');
    expect(SES_RECEIVING_REGIONS).toContain('eu-west-1');
    expect(config.recipients).toEqual(['kontakt@finsamgavleborg.se', 'slutrapport@finsamgavleborg.se']);
    expect(config.diariumSerie).toBe('SFG');
  });

  it('refuses a region where SES does not receive mail', () => {
    expect(() => loadStageConfig('prod', { ...PROD, region: 'eu-north-1' })).toThrow(
      /SES does not receive e-mail in eu-north-1/,
    );
    expect(() => loadStageConfig('prod', { ...PROD, region: 'eu-south-1' })).toThrow(/region/);
  });

  it('refuses recipients outside the domain, a kvorum larger than the group and a link outliving nothing', () => {
    expect(() => loadStageConfig('prod', { ...PROD, recipients: ['kontakt@annan.example'] })).toThrow(
      /not in the domain/,
    );
    expect(() => loadStageConfig('prod', { ...PROD, beslutPolicy: { typ: 'kvorum', antal: 9 } })).toThrow(
      /kvorum/,
    );
    expect(() => loadStageConfig('prod', { ...PROD, linkTtlSeconds: 3600 })).toThrow(/linkTtlSeconds/);
  });

  it('refuses a Reply-To the receipt rule does not receive for', () => {
    expect(() => loadStageConfig('prod', { ...PROD, replyTo: 'noreply@finsamgavleborg.se' })).toThrow(
      /replyTo/,
    );
    expect(loadStageConfig('prod', PROD).recipients).toContain(loadStageConfig('prod', PROD).replyTo);
  });

  it('refuses malformed values', () => {
    expect(() => loadStageConfig('prod', { ...PROD, mailFrom: 'Rapportflöde <inte en adress>' })).toThrow(
      /mailFrom/,
    );
    expect(() => loadStageConfig('prod', { ...PROD, logRetentionDays: 17 })).toThrow(/logRetentionDays/);
    expect(() => loadStageConfig('prod', { ...PROD, beredningsgrupp: [] })).toThrow(/beredningsgrupp/);
    expect(() => loadStageConfig('prod', { ...PROD, publicBaseUrl: 'http://osakert.example' })).toThrow(
      /publicBaseUrl/,
    );
    expect(() => loadStageConfig('test')).toThrow(/Unknown stage/);
  });

  it('accepts a kvorum policy and an ersättare', () => {
    const config = loadStageConfig('prod', { ...PROD, beslutPolicy: { typ: 'kvorum', antal: 2 } });
    expect(config.beslutPolicy).toEqual({ typ: 'kvorum', antal: 2 });
    expect(config.beredningsgrupp.some((m) => m.ersattare !== undefined)).toBe(true);
  });

  it('stops synth when the configuration from context is invalid', () => {
    expect(() =>
      buildApp({ bundling: false, context: { stage: 'prod', config: { ...PROD, region: 'ap-south-1' } } }),
    ).toThrow(/SES does not receive/);
  });
});
