// The room in a real browser: a question from a phone (JavaScript on, then off) reaches the
// room's screen and the moderation desk; a poll goes from its preparation to its results, on the
// screen as answers come. axe-core, html-validate and the 320 px check on every new page;
// screenshots of the screen and of a phone for people to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  adminEmail, adminPassword, clean, focusAndType, shots, startSite, submitWith, text,
} from './harness.mjs';

let site, base, event, session, roomPath;

before(async () => {
  site = await startSite();
  ({ base } = site);
  // The demo meeting of 2018 and its round table on third places.
  event = await site.api('GET', '/v1/events/la-revolution-numerique-en-debat');
  const sessions = await site.api('GET', `/v1/events/${event.id}/sessions`);
  session = sessions.items.find((s) => /Tiers lieux/.test(s.title));
  assert.ok(session, 'the demo has its round table on third places');
  await site.api('PATCH', `/v1/events/${event.id}/sessions/${session.id}`, { questions: 'open' });
  roomPath = `/evenements/${event.slug}/seances/${session.id}`;
});

after(async () => {
  if (site) await site.close();
});

const waitForText = (page, pattern, timeout = 5000) =>
  page.waitForFunction((source) => new RegExp(source).test(document.querySelector('main').innerText),
                       { timeout }, pattern.source);

test('a question goes from phones to the screen, and a poll from its opening to its results', async () => {
  // The room's screen, with JavaScript: it follows the stream.
  const screen = await site.newPage({ width: 1920, height: 1080 });
  let response = await screen.goto(base + roomPath + '/ecran');
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
  assert.match(await text(screen), /Pas encore de question/);
  await clean(screen, 'room screen (empty)');

  // A phone with JavaScript asks, keyboard only.
  const phone = await site.newPage({ width: 375, height: 740, isolated: true });
  response = await phone.goto(base + roomPath + '/questions');
  assert.equal(response.status(), 200);
  assert.match(response.headers()['set-cookie'] || '', /rencontres_device=/);
  await clean(phone, 'room page on a phone');
  // Empty: the error is named, nothing is posted.
  response = await submitWith(phone, '.ask-form button[type=submit]');
  assert.equal(response.status(), 422);
  assert.match(await text(phone), /Écrivez votre question/);
  await clean(phone, 'room page with an error');
  await focusAndType(phone, '#text', 'Comment les tiers-lieux touchent-ils les habitants éloignés du numérique ?');
  await focusAndType(phone, '#author_name', 'Claire, Bellac');
  response = await submitWith(phone, '.ask-form button[type=submit]');
  assert.equal(response.status(), 200);
  assert.match(await text(phone), /Votre question est publiée/);
  await waitForText(screen, /habitants éloignés du numérique/);

  // A phone without JavaScript supports it; the screen counts it at once.
  const plain = await site.newPage({ javascript: false, width: 375, height: 740, isolated: true });
  await plain.goto(base + roomPath + '/questions');
  assert.match(await text(plain), /habitants éloignés/);
  response = await submitWith(plain, '.vote-form button');
  assert.match(await text(plain), /Votre soutien est compté/);
  assert.match(await text(plain), /1 soutien/);
  await waitForText(screen, /1 soutien/);
  // A second question, from the phone without JavaScript, lands on the other phone live.
  await focusAndType(plain, '#text', 'Quel financement pour un tiers-lieu rural ?');
  await submitWith(plain, '.ask-form button[type=submit]');
  await waitForText(phone, /financement pour un tiers-lieu rural/);
  await waitForText(screen, /financement pour un tiers-lieu rural/);

  // The organizers' desk (the admin), keyboard only.
  const desk = await site.newPage({ isolated: true });
  await desk.goto(base + '/connexion');
  await focusAndType(desk, '#email', adminEmail);
  await focusAndType(desk, '#password', adminPassword);
  await submitWith(desk, 'button[type=submit]');
  response = await desk.goto(base + `/gestion/evenements/${event.id}/questions-salle`);
  assert.equal(response.status(), 200);
  await clean(desk, 'moderation desk');
  await submitWith(desk, `#seance-${session.id} ~ ul button[value=answered]`);
  assert.match(await text(desk), /La question est mise à jour/);
  await waitForText(screen, /Répondue/);

  // A poll: a refused preparation keeps what was typed; then prepared, opened, answered, closed.
  const form = `details:has(#poll-question-${session.id})`;
  await desk.$eval(`${form}`, (d) => { d.open = true; });
  await focusAndType(desk, `#poll-question-${session.id}`, 'Votre territoire a-t-il un tiers-lieu ?');
  await focusAndType(desk, `#poll-options-${session.id}`, 'Oui');
  response = await submitWith(desk, `${form} button[type=submit]`);
  assert.equal(response.status(), 422);
  assert.match(await text(desk), /Proposez de 2 à 8 réponses/);
  await clean(desk, 'moderation desk with an error');
  await desk.focus(`#poll-options-${session.id}`);
  await desk.keyboard.press('End');
  await desk.keyboard.press('Enter');
  await desk.keyboard.type('Non\nEn projet');
  await submitWith(desk, `${form} button[type=submit]`);
  assert.match(await text(desk), /Le sondage est prêt/);
  await submitWith(desk, 'button:has(> span.visually-hidden)[type=submit]:is(form:has(input[value=ouvrir]) button)');
  assert.match(await text(desk), /Le sondage est ouvert/);
  await waitForText(screen, /Sondage en cours/);
  await waitForText(screen, /0 personnes ont répondu/);

  // The phone without JavaScript reloads on demand, answers, and sees the results.
  await plain.goto(base + roomPath + '/questions');
  assert.match(await text(plain), /Votre territoire a-t-il un tiers-lieu/);
  await plain.click('.poll-form input[type=radio]');
  response = await submitWith(plain, '.poll-form button[type=submit]');
  assert.match(await text(plain), /Votre réponse est comptée/);
  assert.match(await text(plain), /1 personne a répondu/);
  await waitForText(screen, /1 personne a répondu/);
  // The phone with JavaScript was told of the poll; it answers too.
  await waitForText(phone, /Un sondage est ouvert/);
  await phone.goto(base + roomPath + '/questions');
  await phone.click('.poll-form input[type=radio]');
  await submitWith(phone, '.poll-form button[type=submit]');
  assert.match(await text(phone), /2 personnes ont répondu/);
  await clean(phone, 'room page with the results of a poll');
  await waitForText(screen, /2 personnes ont répondu/);
  await screen.screenshot({ path: join(shots, 'ecran-salle.png') });
  await phone.screenshot({ path: join(shots, 'salle-telephone.png'), fullPage: true });
  await clean(screen, 'room screen with questions and a poll');

  await submitWith(desk, 'form:has(input[value=fermer]) button');
  assert.match(await text(desk), /Le sondage est clos/);
  await waitForText(screen, /Résultats du sondage/);
});

test('the screen reloads itself when scripts do not run', async () => {
  const screen = await site.newPage({ javascript: false });
  await screen.goto(base + roomPath + '/ecran');
  const head = await screen.$eval('head', (h) => h.innerHTML);
  assert.match(head, /<noscript><meta http-equiv="refresh" content="15"><\/noscript>/);
  assert.match(head, /<script src="\/static\/salle\.js\?v=[0-9a-f]{12}" defer(="")?><\/script>/);
});

test('the demo meeting shows its report, with links to its rooms', async () => {
  const page = await site.newPage({ width: 375, height: 740 });
  const response = await page.goto(base + `/evenements/${event.slug}`);
  assert.equal(response.status(), 200);
  const main = await text(page);
  assert.match(main, /Compte rendu/);
  assert.match(main, /Personne n'est en retard\./);
  assert.match(main, /Questions de la salle et sondages/);
  await clean(page, 'event page with its report');
  const report = await page.$('#compte-rendu');
  await report.scrollIntoView();
  await page.screenshot({ path: join(shots, 'compte-rendu.png') });
  const feed = await fetch(base + '/rapports.atom');
  assert.equal(feed.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
  assert.match(await feed.text(), /<title>Compte rendu : La révolution numérique en débat<\/title>/);
});
