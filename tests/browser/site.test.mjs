// The public site in a real browser (Debian's Chromium driven by puppeteer-core): the flows a
// participant follows with the keyboard only, with and without JavaScript; axe-core on every page
// type; HTML validity (html-validate); no horizontal scroll at 320 and 1280 px; screenshots of
// the event page for people to look at. Run by ctest (label `browser`) through scripts/test.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import {
  accessibleAndValid, axeSource, axeViolations, shots, startSite, focusAndType, pressAndWait, text,
} from './harness.mjs';

let site, base, browser;
const events = {};
const api = (method, path, body) => site.api(method, path, body);
const newPage = (options) => site.newPage(options);

async function publishedEvent(fields, workshops = []) {
  const e = await api('POST', '/v1/events', fields);
  for (const w of workshops) await api('POST', `/v1/events/${e.id}/sessions`, w);
  await api('POST', `/v1/events/${e.id}/publish`, {});
  return e;
}


before(async () => {
  site = await startSite();
  ({ base, browser } = site);
  const day = (h) => `2031-03-18T${h}:00+01:00`;
  events.open = await publishedEvent({
    title: 'Journée de la médiation numérique à Égletons',
    summary: 'Partager les pratiques des conseillers numériques du territoire.',
    description: 'Matinée en plénière.\n\nAprès-midi en ateliers.',
    starts_at: day('09:00'), ends_at: day('17:00'), capacity: 50,
    venue: { name: 'Espace Ventadour', address: '1 place du Marché', postal_code: '19300', city: 'Égletons' },
  }, [{ title: 'Atelier : accompagner les démarches en ligne', kind: 'workshop', room: 'Salle 2',
        starts_at: day('14:00'), ends_at: day('15:30'), capacity: 10 },
      { title: 'Atelier : outiller un tiers-lieu', kind: 'workshop', room: 'Salle 3',
        starts_at: day('14:00'), ends_at: day('15:30'), capacity: 10 }]);
  events.full = await publishedEvent({
    title: 'Petit-déjeuner des élus au numérique', starts_at: day('08:00'), ends_at: day('09:30'),
    capacity: 1, venue: { city: 'Limoges' },
  });
  await fetch(`${base}/v1/events/${events.full.id}/registrations`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ full_name: 'Première Inscrite', email: 'premiere@example.org', consent: true }),
  });
});

after(async () => {
  if (site) await site.close();
});

// The participant's flow; `javascript` off runs it without any script in the page.
async function participantFlow(javascript) {
  const page = await newPage({ javascript });
  const response = await page.goto(base + '/');
  assert.equal(response.status(), 200);
  // The first Tab reaches the skip link.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  // Search without accents finds the event written with them.
  await focusAndType(page, '#q', 'mediation egletons');
  await pressAndWait(page);
  assert.match(await text(page), /1 rencontre trouvée/);
  await page.focus(`a[href="/evenements/${events.open.slug}"]`);
  await pressAndWait(page);
  assert.match(await text(page), /Mardi 18 mars 2031, de 9 h à 17 h/);
  assert.ok(await page.$('a[href^="webcal://"]'), 'a webcal:// subscription link');
  assert.ok(await page.$(`a[href="/v1/events/${events.open.id}/agenda.ics"]`));

  // An error: the form comes back with the values kept, a summary and each field's message.
  const [given, family] = javascript ? ['Camille', 'Martin'] : ['Dominique', 'Sans-Script'];
  const email = javascript ? 'camille.martin@mairie-egletons.fr' : 'dominique@mairie-egletons.fr';
  await focusAndType(page, '#given_name', given);
  await focusAndType(page, '#family_name', family);
  await focusAndType(page, '#email', 'camille-at-mairie');
  await focusAndType(page, '#organization', "Mairie d'Égletons");
  await page.focus('button[type=submit]');
  const failed = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(failed[0].status(), 422);
  assert.match(await page.title(), /^Erreur : /);
  const summary = await page.$eval('.error-summary', (s) => s.innerText);
  assert.match(summary, /Le formulaire contient 2 erreurs/);
  assert.match(summary, /Indiquez une adresse électronique valide/);
  assert.match(summary, /Cochez la case/);
  assert.equal(await page.$eval('#given_name', (i) => i.value), given);
  assert.equal(await page.$eval('#family_name', (i) => i.value), family);
  assert.equal(await page.$eval('#organization', (i) => i.value), "Mairie d'Égletons");
  assert.equal(await page.$eval('#email', (i) => i.getAttribute('aria-invalid')), 'true');
  assert.equal(await page.$eval('a[href="#email"]', (a) => a.innerText),
               'Indiquez une adresse électronique valide, par exemple prenom.nom@mairie.fr.');

  // Corrected, with a workshop chosen and consent given, all from the keyboard.
  await focusAndType(page, '#email', email);
  const workshop = await page.$eval('input[name=session_ids]', (i) => i.id);
  await page.focus(`#${workshop}`);
  await page.keyboard.press('Space');
  await page.focus('#consent');
  await page.keyboard.press('Space');
  await page.focus('button[type=submit]');
  await pressAndWait(page);
  assert.match(page.url(), /\/inscriptions\/\d+\?t=[^&]+&fait=inscription#contenu$/);
  let main = await text(page);
  assert.match(main, /Votre inscription est enregistrée/);
  assert.match(main, /État\s+Confirmée/);
  assert.ok(await page.$('a[href^="webcal://"][href*="/calendar.ics?key="]'), 'a personal feed');
  assert.ok(await page.$('.qr svg[role=img]'), 'a check-in QR code');
  assert.equal(await page.$eval(`#${workshop}`, (i) => i.checked), true);

  // Another workshop instead.
  await page.focus(`#${workshop}`);
  await page.keyboard.press('Space');
  const other = await page.$$eval('input[name=session_ids]', (l) => l.map((i) => i.id));
  await page.focus(`#${other.find((id) => id !== workshop)}`);
  await page.keyboard.press('Space');
  await page.focus('form[action$="/ateliers"] button');
  await pressAndWait(page);
  main = await text(page);
  assert.match(main, /Vos ateliers sont enregistrés/);
  assert.equal(await page.$eval(`#${workshop}`, (i) => i.checked), false);

  // Cancelling asks first.
  await page.focus('a[href*="/annulation?t="]');
  await pressAndWait(page);
  assert.match(await text(page), /Vous êtes sur le point d'annuler/);
  await page.focus('form button[type=submit]');
  await pressAndWait(page);
  main = await text(page);
  assert.match(main, /Votre inscription est annulée/);
  assert.match(main, /État\s+Annulée/);

  // A full event: the waiting list, and a position.
  await page.goto(`${base}/evenements/${events.full.slug}`);
  assert.match(await text(page), javascript ? /Places\s+Complet : liste d'attente\n/ : /Places\s+Complet : liste d'attente \(1 personne en attente\)/);
  assert.match(await page.$eval('form button[type=submit]', (b) => b.innerText), /Rejoindre la liste d'attente/);
  await focusAndType(page, '#given_name', given);
  await focusAndType(page, '#family_name', family);
  await focusAndType(page, '#email', email);
  await page.focus('#consent');
  await page.keyboard.press('Space');
  await page.focus('button[type=submit]');
  await pressAndWait(page);
  main = await text(page);
  assert.match(main, /Vous êtes inscrit·e en liste d'attente/);
  assert.match(main, /État\s+En liste d'attente, position \d/);

  // The message lost: the link asked for again from the event page, the same words whether or
  // not the address is registered.
  await page.goto(`${base}/evenements/${events.full.slug}`);
  await focusAndType(page, '#lien-email', email);
  await page.focus('form[action$="/lien"] button[type=submit]');
  await pressAndWait(page);
  assert.match(await text(page), /Si cette adresse est inscrite à cette rencontre, un courriel vient d'y partir/);
  await page.close();
}

test('a participant registers, changes workshops and cancels, keyboard only', async () => {
  await participantFlow(true);
});

test('the same flow works with JavaScript disabled', async () => {
  await participantFlow(false);
});

// Every page type, including a form in its error state and a 404.
async function pageTypes() {
  const reg = await fetch(`${base}/v1/events/${events.open.id}/registrations`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ full_name: 'Alix Page', email: 'alix@example.org', consent: true }),
  }).then((r) => r.json());
  const manage = `/inscriptions/${reg.id}?t=${reg.manage_token}`;
  return [
    ['accueil', '/', 200],
    ['recherche', '/?q=numerique&region=Nouvelle-Aquitaine', 200],
    ['événement (démo 2018)', '/evenements/la-revolution-numerique-en-debat', 200],
    ['événement ouvert', `/evenements/${events.open.slug}`, 200],
    ['formulaire en erreur', `POST /evenements/${events.open.slug}/inscription`, 422],
    ['inscription', manage, 200],
    ['annulation', `/inscriptions/${reg.id}/annulation?t=${reg.manage_token}`, 200],
    ['signalement', `/inscriptions/${reg.id}/signalement?t=${reg.manage_token}`, 200],
    ['renvoyer mon lien', `/evenements/${events.open.slug}/lien`, 200],
    ['renvoyer mon lien, en erreur', `POST /evenements/${events.open.slug}/lien`, 422],
    ['intervenant', '/intervenants/1', 200],
    ['palmarès', '/palmares', 200],
    ['palmarès 2018', '/palmares/2018', 200],
    ['page introuvable', '/evenements/cette-rencontre-n-existe-pas', 404],
    ['vérification', '/verification?token=abc', 200],
    ['connexion', '/connexion', 200],
    ['invitation (lien inconnu)', '/invitation?token=abc', 410],
    ['mot de passe oublié', '/mot-de-passe-oublie', 200],
    ['nouveau mot de passe (lien inconnu)', '/mot-de-passe?token=abc', 410],
  ];
}

async function open(page, target) {
  if (!target.startsWith('POST ')) return page.goto(base + target);
  // The form with errors: submitted from the page itself, empty.
  const path = target.slice(5).replace(/\/inscription$/, '');
  await page.goto(base + path);
  await page.focus('button[type=submit]');
  const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  return response;
}

test('axe-core finds no violation on any page type, and the HTML is valid', async () => {
  const validator = new HtmlValidate({ extends: ['html-validate:standard'] });
  for (const [name, target, status] of await pageTypes()) {
    const page = await newPage();
    const response = await open(page, target);
    assert.equal(response.status(), status, name);
    assert.equal(await page.$eval('html', (h) => h.lang), 'fr', name);
    assert.equal((await page.$$('h1')).length, 1, `${name}: one h1`);
    assert.ok(await page.$('main'), `${name}: a main landmark`);
    assert.ok(await page.$('a.skip[href="#contenu"]'), `${name}: a skip link`);
    // Runtime.evaluate is not subject to the page's CSP, which forbids every script.
    await page.evaluate(axeSource);
    const results = await page.evaluate(() => axe.run(document));
    assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], name);
    const html = await response.text();
    const report = await validator.validateString(html);
    assert.ok(report.valid, `${name}: ${JSON.stringify(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.message} l.${m.line}`)))}`);
    // Visible focus: the focused link has an outline.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', `${name}: focus is visible`);
    await page.close();
  }
});

test('an organizer signs in with the keyboard and reaches the console, which axe finds clean', async () => {
  const page = await newPage();
  await page.goto(base + '/connexion');
  await focusAndType(page, '#email', 'admin@example.org');
  await focusAndType(page, '#password', 'wrong password');
  await page.focus('button[type=submit]');
  const [failed] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(failed.status(), 422);
  assert.match(await text(page), /L'adresse électronique ou le mot de passe est incorrect/);
  await page.evaluate(axeSource);
  let results = await page.evaluate(() => axe.run(document));
  assert.deepEqual(results.violations.map((v) => v.id), [], 'sign-in form with its error');
  await focusAndType(page, '#password', 'browser test password');
  await page.focus('button[type=submit]');
  await pressAndWait(page);
  // An admin lands on the administration, whose banner names them and offers to sign out.
  assert.equal(new URL(page.url()).pathname, '/admin');
  assert.match(await page.$eval('.account-bar', (b) => b.innerText), /Connecté·e : .+ \(administrateur·rice\)/);
  await page.goto(base + '/gestion');
  const cookie = (await page.cookies()).find((c) => c.name === 'rencontres_session');
  assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Lax', 'an HttpOnly, SameSite=Lax cookie');
  assert.match(await text(page), /Mes rencontres/);
  assert.match(await text(page), /Journée de la médiation numérique à Égletons/);
  await page.evaluate(axeSource);
  results = await page.evaluate(() => axe.run(document));
  assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], 'console home');
  // The check-in link of a participant's QR code, on a phone-sized screen.
  const reg = await fetch(`${base}/v1/events/${events.open.id}/registrations`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ full_name: 'Sacha Accueil', email: 'sacha@example.org', consent: true }),
  }).then((r) => r.json());
  await page.setViewport({ width: 320, height: 640 });
  await page.goto(`${base}/gestion/inscriptions/${reg.id}/accueil`);
  assert.match(await text(page), /Accueil : Sacha Accueil/);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
            'no sideways scroll at 320 px');
  await page.evaluate(axeSource);
  results = await page.evaluate(() => axe.run(document));
  assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], 'check-in page');
  await page.focus('button.button-large');
  await pressAndWait(page);
  assert.match(await text(page), /Arrivée enregistrée à \d+ h/);
  await page.screenshot({ path: join(shots, 'accueil-320.png'), fullPage: true });
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`${base}/gestion`);
  await page.focus('form[action="/deconnexion"] button');
  await pressAndWait(page);
  assert.equal(new URL(page.url()).pathname, '/');
  await page.close();
});

test('no horizontal scroll at 320 and 1280 px; screenshots of the event page', async () => {
  for (const width of [320, 1280]) {
    for (const [name, target] of await pageTypes()) {
      const page = await newPage({ width });
      await open(page, target);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name} at ${width} px scrolls sideways by ${overflow} px`);
      await page.close();
    }
    const page = await newPage({ width });
    await page.goto(`${base}/evenements/la-revolution-numerique-en-debat`);
    await page.screenshot({ path: join(shots, `evenement-${width}.png`), fullPage: true });
    await page.close();
  }
});

test('someone who did not register reports it from the mail, on a phone', async () => {
  const reg = await fetch(`${base}/v1/events/${events.open.id}/registrations`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ full_name: 'Inconnu Quelconque', email: 'pas-moi@example.org', consent: true }),
  }).then((r) => r.json());
  const page = await newPage({ width: 375 });
  await page.goto(`${base}/inscriptions/${reg.id}/signalement?t=${reg.manage_token}`);
  assert.match(await text(page), /Signaler une inscription que vous n'avez pas faite/);
  await page.focus('button[type=submit]');
  await pressAndWait(page);
  assert.match(await text(page), /Inscription signalée/);
  assert.match(await text(page), /est annulée\. Vous ne recevrez plus aucun message pour cette rencontre/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the report's answer at 375 px scrolls sideways by ${overflow} px`);
  await accessibleAndValid(page, 'report answered');
  await page.screenshot({ path: join(shots, 'signalement-375.png'), fullPage: true });
  const status = await fetch(`${base}/v1/registrations/${reg.id}`, { headers: { 'X-Registration-Token': reg.manage_token } })
    .then((r) => r.json());
  assert.equal(status.status, 'cancelled');
  await page.close();
});

test('a refused registration on a phone shows its summary in the first screen, focused', async () => {
  const page = await newPage({ width: 375, height: 667 });
  await page.goto(`${base}/evenements/${events.open.slug}`);
  // The link near the top goes to the form.
  const link = await page.$('a.button[href="#inscription"]');
  assert.ok(link, "a S'inscrire link");
  const linkTop = await page.$eval('a.button[href="#inscription"]', (a) => a.getBoundingClientRect().top);
  assert.ok(linkTop < 667, `the S'inscrire link is in the first screen (at ${linkTop} px)`);
  await focusAndType(page, '#given_name', 'Camille');
  await focusAndType(page, '#family_name', 'Martin');
  await focusAndType(page, '#email', 'camille-at-mairie');
  await page.focus('button[type=submit]');
  const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(response.status(), 422);
  assert.match(page.url(), /#erreurs-inscription$/);
  const box = await page.$eval('#erreurs-inscription', (s) => {
    const r = s.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: window.innerHeight };
  });
  // Scrolled to it (a fraction of a pixel above the top, as the browser rounds).
  assert.ok(box.top > -1 && box.top < box.height, `the summary starts in the first screen: ${JSON.stringify(box)}`);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'erreurs-inscription',
               'the focus is on the summary');
  await page.screenshot({ path: join(shots, 'inscription-erreurs-375.png') });
  await accessibleAndValid(page, 'refused form');
  await page.close();
});

test('the 2018 demo meeting is found among the past ones without accents', async () => {
  const page = await newPage({ width: 375, height: 667 });
  await page.goto(base + '/');
  await page.focus('a[href="/evenements/passees"]');
  await pressAndWait(page);
  assert.match(await page.title(), /^Rencontres passées/);
  for (const words of ['revolution numerique', 'gueret']) {
    await page.$eval('#q', (i) => { i.value = ''; });
    await focusAndType(page, '#q', words);
    await pressAndWait(page);
    const main = await text(page);
    assert.match(main, /1 rencontre trouvée/, words);
    assert.match(main, /La révolution numérique en débat/, words);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the past meetings at 375 px scroll sideways by ${overflow} px`);
  await accessibleAndValid(page, 'past meetings');
  await page.screenshot({ path: join(shots, 'rencontres-passees-375.png'), fullPage: true });
  await page.close();
});

test('the demo meeting and the 2018 palmarès render with their real content', async () => {
  const page = await newPage();
  await page.goto(`${base}/evenements/la-revolution-numerique-en-debat`);
  let main = await text(page);
  assert.match(main, /La révolution numérique en débat/);
  assert.match(main, /Mardi 11 décembre 2018, de 9 h à 17 h/);
  assert.match(main, /87700 Aixe-sur-Vienne/);
  assert.match(main, /Tiers lieux et appropriation du numérique par les habitants/);
  assert.match(main, /Cette rencontre a eu lieu/);
  // The palmarès of the label's edition presented there, linked to its page.
  assert.match(main, /Palmarès du label « Territoires innovants » 2018/);
  assert.match(main, /Le palmarès 2018 en détail/);
  await page.setViewport({ width: 375, height: 667 });
  await accessibleAndValid(page, 'past meeting with its palmarès');
  await page.screenshot({ path: join(shots, 'evenement-passe-palmares-375.png'), fullPage: true });
  await page.setViewport({ width: 1280, height: 900 });
  const ld = JSON.parse(await page.$eval('script[type="application/ld+json"]', (s) => s.textContent));
  assert.equal(ld['@type'], 'Event');
  assert.equal(ld.startDate, '2018-12-11T09:00:00+01:00');
  assert.equal(ld.location.address.addressLocality, 'Aixe-sur-Vienne');
  await page.goto(`${base}/palmares/2018`);
  main = await text(page);
  assert.match(main, /Palmarès du label « Territoires innovants » 2018/);
  assert.match(main, /Digital Valley/);
  assert.ok(await page.$('a[href="/v1/palmares/2018.csv"]'));
  await page.close();
});
