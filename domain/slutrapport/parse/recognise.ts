/** Recognising a slutrapport: how much a text looks like the template at all. */
import { fold } from '../text.js';

/** How much a text looks like the template, 0..1: the share of its headings and labels found. */
export function looksLikeSlutrapport(text: string): number {
  return likeness(fold(text).replace(/\s+/gu, ' '));
}

export function likeness(folded: string): number {
  let found = 0;
  for (const key of LIKENESS_KEYS) if (folded.includes(key)) found++;
  return Math.round((found / LIKENESS_KEYS.length) * 1000) / 1000;
}

const LIKENESS_KEYS: readonly string[] = [
  'slutrapport',
  'allmanna uppgifter',
  'insatsens namn',
  'insatstid',
  'beviljade medel',
  'utnyttjade medel',
  'ansvarig for genomforande',
  'samverkansparter',
  'insatsbeskrivning',
  'syfte och bakgrund',
  'malgrupp for insatsen',
  'maluppfyllelse',
  'arbetssatt och verksamhetsbeskrivning',
  'avvikelser fran planering',
  'uppfoljning och utvardering',
  'erfarenheter och lardomar',
  'brukarmedverkan',
  'framgangsfaktorer',
  'systemfel',
  'ekonomiuppfoljning',
  'uppgiftslamnare',
];
