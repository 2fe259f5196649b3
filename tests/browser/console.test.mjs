// The organizers' console in a real browser, keyboard only: sign in, create an event, add two
// speakers and three sessions (one conflicting: the error shows and nothing is saved), publish,
// see it on the public site; three people register there; the table shows them; one is
// cancelled; one is checked in from the QR link on a phone-sized window. axe-core on every
// console page type (form errors included); no sideways scroll at 320 px at the door.
// Screenshots of the agenda editor and of the check-in page go to SCREENSHOT_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  shots, startSite, focusAndType, pressAndWait, text, axeViolations, scrollsSideways, tabTo, clean, submitWith,
} from './harness.mjs';

let site;
const organizer = { email: 'camille.martin@correze.fr', password: 'une phrase de passe solide' };

before(async () => {
  // The first organizer, as the operator makes one (docs/console.md: "Making the first organizer").
  site = await startSite({ accounts: [{ ...organizer, role: 'organizer', name: 'Camille Martin' }] });
});

after(async () => {
  if (site) await site.close();
});

// Fills a form field from the keyboard: focus, select all, type.
const fill = focusAndType;

test('an organizer publishes a meeting, follows its registrations and checks people in', async () => {
  const page = await site.newPage();

  // Sign in, keyboard only.
  await page.goto(site.base + '/connexion');
  await fill(page, '#email', organizer.email);
  await fill(page, '#password', organizer.password);
  let response = await submitWith(page, 'button[type=submit]');
  assert.equal(new URL(page.url()).pathname, '/gestion');
  assert.match(await text(page), /Vous n'organisez encore aucune rencontre/);
  await clean(page, 'console home');

  // Create an event: first with an error, then right.
  await page.focus('a[href="/gestion/evenements/nouvelle"]');
  await pressAndWait(page);
  await clean(page, 'new event form');
  await fill(page, '#title', '');
  await fill(page, '#starts_at', '');
  response = await submitWith(page, 'form[action="/gestion/evenements"] button[type=submit]');
  assert.equal(response.status(), 422);
  assert.match(await page.title(), /^Erreur : /);
  assert.match(await page.$eval('.error-summary', (s) => s.innerText), /Indiquez un titre/);
  await clean(page, 'new event form with errors');
  await fill(page, '#title', 'Rencontre IntercoTour de Tulle');
  await fill(page, '#summary', 'Tiers-lieux, inclusion numérique et commerce local en Corrèze.');
  // datetime-local fields take the digits typed in order (jj mm aaaa hh mm).
  await page.$eval('#starts_at', (i) => { i.value = '2031-05-20T09:00'; });
  await page.$eval('#ends_at', (i) => { i.value = '2031-05-20T17:00'; });
  await fill(page, '#venue_name', 'Cité de l\'Accordéon');
  await fill(page, '#venue_city', 'Tulle');
  await fill(page, '#capacity', '2');
  response = await submitWith(page, 'form[action="/gestion/evenements"] button[type=submit]');
  assert.equal(response.status(), 200);
  const eventUrl = new URL(page.url()).pathname;
  const eventId = eventUrl.split('/').pop();
  assert.match(await text(page), /Le brouillon est créé/);
  await clean(page, 'event page (draft)');

  // The agenda: two speakers made on the spot, three sessions, one conflicting.
  await page.focus(`a[href="${eventUrl}/programme"]`);
  await pressAndWait(page);
  await clean(page, 'empty agenda');
  const session = async (title, kind, from, to, room, speakers = []) => {
    await fill(page, '#title', title);
    await page.select('#kind', kind);
    await page.$eval('#starts_at', (i, v) => { i.value = v; }, `2031-05-20T${from}`);
    await page.$eval('#ends_at', (i, v) => { i.value = v; }, `2031-05-20T${to}`);
    await fill(page, '#room', room);
    for (const name of speakers) {
      // Found by a search that keeps what was typed.
      await fill(page, '#speaker_query', name.toLowerCase());
      await submitWith(page, 'button[value=chercher]');
      assert.match(await text(page), /Intervenants trouvés : 1/);
    }
    // Exactly the speakers named are checked.
    for (const box of await page.$$eval('input[name=speaker_ids]', (boxes) =>
      boxes.map((b) => ({ id: b.id, label: b.nextElementSibling.innerText, checked: b.checked })))) {
      if (speakers.some((n) => box.label.startsWith(n)) !== box.checked) {
        await page.focus(`#${box.id}`);
        await page.keyboard.press('Space');
      }
    }
    return submitWith(page, 'button[value=enregistrer]');
  };
  await fill(page, '#title', 'Ouverture');
  await fill(page, '#speaker_name', 'Dominique Roche');
  await fill(page, '#speaker_organization', 'Tulle Agglo');
  await submitWith(page, 'button[value=creer_intervenant]');
  assert.match(await text(page), /Dominique Roche intervient désormais dans la séance/);
  await fill(page, '#speaker_name', 'Sacha Bernard');
  await fill(page, '#speaker_organization', 'La Fabrique numérique');
  await submitWith(page, 'button[value=creer_intervenant]');
  assert.equal(await page.$eval('#title', (i) => i.value), 'Ouverture', 'the form kept what was typed');
  response = await session('Ouverture', 'keynote', '09:00', '10:00', 'Grande salle', ['Dominique Roche']);
  assert.equal(response.status(), 200);
  assert.match(await text(page), /La séance est ajoutée au programme/);
  response = await session('Atelier : ouvrir un tiers-lieu', 'workshop', '10:30', '12:00', 'Salle 1', ['Sacha Bernard']);
  assert.match(await text(page), /La séance est ajoutée au programme/);
  // Dominique cannot speak in two rooms at once: the error shows, nothing is saved.
  response = await session('Table ronde : le commerce local', 'round_table', '09:30', '10:30', 'Salle 2', ['Dominique Roche']);
  assert.equal(response.status(), 409);
  const conflict = await page.$eval('.error-summary', (s) => s.innerText);
  assert.match(conflict, /elle en chevauche une autre/);
  assert.ok(await page.$('.error-summary a[href*="/programme/"]'), 'a link to the conflicting session');
  await clean(page, 'agenda with a conflict');
  assert.equal((await site.api('GET', `/v1/events/${eventId}/sessions`)).items.length, 2);
  // Moved to 10:30, in another room: saved.
  response = await session('Table ronde : le commerce local', 'round_table', '14:00', '15:30', 'Salle 2', []);
  assert.match(await text(page), /La séance est ajoutée au programme/);
  assert.equal((await site.api('GET', `/v1/events/${eventId}/sessions`)).items.length, 3);
  // The workshop takes one person; the others wait for it in the order they ticked it.
  const workshop = (await site.api('GET', `/v1/events/${eventId}/sessions`)).items
    .find((s) => s.kind === 'workshop');
  await site.api('PATCH', `/v1/events/${eventId}/sessions/${workshop.id}`, { capacity: 1 });
  // At 1280 px the event's tabs hold on one line.
  const rows = await page.$$eval('nav.tabs li', (items) => new Set(items.map((li) => li.offsetTop)).size);
  const widths = await page.$$eval('nav.tabs li', (items) => items.map((li) => li.offsetWidth).join(' ') +
    ' in ' + document.querySelector('nav.tabs ul').clientWidth + ' at ' + window.innerWidth);
  assert.equal(rows, 1, `the console's tabs wrap at 1280 px: ${widths}`);
  await page.screenshot({ path: join(shots, 'programme.png'), fullPage: true });
  await clean(page, 'agenda');

  // A session's own form, and the event's edit form and co-organizer form in their error states.
  await page.focus('a[href*="/programme/"]');
  await pressAndWait(page);
  assert.match(await text(page), /Modifier la séance/);
  await clean(page, 'a session\'s form');
  // Removing it is asked first; going back changes nothing.
  await page.focus('a[href$="/suppression"]');
  await pressAndWait(page);
  assert.match(await text(page), /Ce retrait est définitif/);
  await clean(page, 'session removal confirmation');
  await page.focus('main a[href*="/programme/"]');
  await pressAndWait(page);
  assert.match(await text(page), /Modifier la séance/);
  await page.goto(site.base + eventUrl);
  await fill(page, '#capacity', '-5');
  response = await submitWith(page, `form[action="${eventUrl}"] button[type=submit]`);
  assert.equal(response.status(), 422);
  assert.match(await page.$eval('.error-summary', (s) => s.innerText), /Indiquez un nombre de places/);
  await clean(page, 'event form with an error');
  await fill(page, '#organizer_email', 'personne@nulle-part.fr');
  response = await submitWith(page, 'form[action$="/organisateurs#coorganisateurs"] button');
  assert.equal(response.status(), 422);
  assert.match(await text(page), /Aucun compte d'organisation n'a cette adresse/);
  await clean(page, 'co-organizer form with an error');

  // The registration form's questions: one required yes-or-no, then a choice without options
  // (refused, said beside it).
  await page.goto(`${site.base}${eventUrl}/questions`);
  await clean(page, 'question editor');
  await fill(page, '#q-label-0', 'Déjeuner sur place');
  await page.select('#q-kind-0', 'boolean');
  await page.select('#q-required-0', 'oui');
  await fill(page, '#q-label-1', 'Atelier de l\'après-midi');
  await page.select('#q-kind-1', 'choice');
  response = await submitWith(page, 'form[action$="/questions"] button[type=submit]');
  assert.equal(response.status(), 422);
  await clean(page, 'question editor with an error');
  await fill(page, '#q-label-1', '');
  await submitWith(page, 'form[action$="/questions"] button[type=submit]');
  assert.match(await text(page), /Les questions sont enregistrées/);

  // Publish, then the public site shows it.
  // Publishing cannot be undone: asked on a page of its own first.
  await page.goto(site.base + eventUrl);
  await page.focus('a[href$="/publication"]');
  await pressAndWait(page);
  assert.match(await text(page), /Publier « .+ » \?/);
  assert.match(await text(page), /Elle ne redevient pas un brouillon/);
  await clean(page, 'publication confirmation');
  await submitWith(page, 'form[action$="/publication"] button');
  assert.match(await text(page), /La rencontre est publiée/);
  await clean(page, 'event page (published)');
  const slug = (await site.api('GET', `/v1/events/${eventId}`)).slug;
  const visitor = await site.newPage();
  await visitor.goto(`${site.base}/evenements/${slug}`);
  assert.match(await text(visitor), /Rencontre IntercoTour de Tulle/);
  assert.match(await text(visitor), /Table ronde : le commerce local/);

  // Three people register on the public site; the third waits.
  const people = [['Hélène Dupré', 'helene@tulle.fr'], ['Marc Petit', 'marc@correze.fr'],
                  ['Zoé Laurent', 'zoe@brive.fr']];
  let zoeManage;
  for (const [name, email] of people) {
    await visitor.goto(`${site.base}/evenements/${slug}`);
    const [given, family] = name.split(' ');
    await fill(visitor, '#given_name', given);
    await fill(visitor, '#family_name', family);
    await fill(visitor, '#email', email);
    await visitor.focus('#consent');
    await visitor.keyboard.press('Space');
    if (name === 'Hélène Dupré') { // the lunch question left out first: said beside it
      response = await submitWith(visitor, 'form[action$="/inscription#erreurs-inscription"] button[type=submit]');
      assert.equal(response.status(), 422);
      assert.match(await text(visitor), /Répondez à cette question/);
      await clean(visitor, 'registration form with a question unanswered');
    }
    await visitor.focus('#reponse-dejeuner-sur-place-0');
    await visitor.keyboard.press('Space');
    if (name !== 'Marc Petit') {
      await visitor.focus(`#atelier-${workshop.id}`);
      await visitor.keyboard.press('Space');
    }
    await submitWith(visitor, 'form[action$="/inscription#erreurs-inscription"] button[type=submit]');
    assert.match(visitor.url(), /\/inscriptions\/\d+\?t=/);
    if (name === 'Zoé Laurent') zoeManage = visitor.url().split('#')[0];
  }

  // The table shows them; Marc is cancelled on his behalf, Zoé gets his seat.
  await page.goto(`${site.base}${eventUrl}/inscriptions`);
  let main = await text(page);
  assert.match(main, /2 confirmées, 1 en liste d'attente, 0 annulée/);
  for (const [name] of people) assert.match(main, new RegExp(name));
  await clean(page, 'registrations table');
  await fill(page, '#q', 'marc');
  await submitWith(page, 'form[role=search] button');
  assert.doesNotMatch(await text(page), /Hélène Dupré/);
  await tabTo(page, 'a[href$="/annulation"]');
  await pressAndWait(page);
  await clean(page, 'cancel a registration');
  await submitWith(page, 'form button.button-danger');
  assert.match(await text(page), /L'inscription est annulée/);
  assert.match(await text(page), /2 confirmées, 0 en liste d'attente, 1 annulée/);
  await visitor.goto(zoeManage);
  assert.match(await text(visitor), /État\s+Confirmée/);
  assert.match(await text(visitor), /Vos réponses/);
  await clean(visitor, 'participant page with its answers');

  // A message to the confirmed registrants, previewed first.
  await page.goto(`${site.base}${eventUrl}/message`);
  await clean(page, 'message form');
  await fill(page, '#subject', 'La salle change');
  await fill(page, '#body', 'Rendez-vous salle B, au premier étage.');
  await submitWith(page, 'form[action$="/message/apercu"] button[type=submit]');
  assert.match(await text(page), /le message partira vers 2 personnes/);
  await clean(page, 'message preview');
  await submitWith(page, 'form[action$="/message"] button[type=submit]');
  assert.match(await text(page), /Le message part vers 2 personnes/);

  // At the door, on a phone: the QR link of Hélène's page checks her in with one tap.
  await page.goto(`${site.base}${eventUrl}/chiffres`);
  assert.match(await text(page), /Inscriptions reçues\s+3/);
  assert.ok(await page.$('svg.chart[role=img]'));
  await clean(page, 'numbers');
  // Each workshop's fill on the numbers page leads to its page: Hélène holds the seat, Zoé waits.
  assert.match(await text(page), /Atelier : ouvrir un tiers-lieu/);
  await page.focus(`a[href$="/ateliers/${workshop.id}"]`);
  await pressAndWait(page);
  main = await text(page);
  assert.match(main, /1 place occupée sur 1, 1 en liste d'attente/);
  assert.ok(main.indexOf('Hélène Dupré') < main.indexOf('Zoé Laurent'), 'the seat, then the list');
  await page.screenshot({ path: join(shots, 'atelier.png'), fullPage: true });
  await clean(page, 'a workshop\'s page');
  // From there, one registrant's page: workshops, answers, messages.
  await page.focus('ol.people a');
  await pressAndWait(page);
  main = await text(page);
  assert.match(main, /Zoé Laurent/);
  assert.match(main, /Liste d'attente de l'atelier \(1\)/);
  assert.match(main, /Déjeuner sur place/);
  assert.match(main, /Place libérée : inscription confirmée/);
  await page.screenshot({ path: join(shots, 'inscrit.png'), fullPage: true });
  await clean(page, 'a registrant\'s page');
  const helene = (await site.api('GET', `/v1/events/${eventId}/registrations?q=helene`)).items[0];
  await page.setViewport({ width: 320, height: 640 });
  await page.goto(`${site.base}/gestion/inscriptions/${helene.id}/accueil`);
  assert.ok(!(await scrollsSideways(page)), 'no sideways scroll at 320 px');
  await clean(page, 'check-in from the QR link');
  await submitWith(page, 'button.button-large');
  assert.match(await text(page), /Arrivée enregistrée à \d+ h/);
  assert.doesNotMatch(await text(page), /déjà/);
  await clean(page, 'check-in done from the QR link');
  // One way back: the list at the door.
  await submitWith(page, 'a.button-large');
  assert.equal(new URL(page.url()).pathname, `${eventUrl}/accueil`);
  assert.match(await text(page), /1 arrivée sur 2 inscriptions confirmées/);
  await page.screenshot({ path: join(shots, 'accueil-telephone.png'), fullPage: true });
  assert.ok(!(await scrollsSideways(page)), 'no sideways scroll at 320 px on the door list');
  await clean(page, 'door list');
  await fill(page, '#q', 'zoe');
  await submitWith(page, 'form[role=search] button');
  await submitWith(page, 'ul.door button.button-large');
  assert.match(await text(page), /Arrivée de Zoé Laurent enregistrée/);
  assert.match(await text(page), /2 arrivées sur 2 inscriptions confirmées/);
  // Checked in by mistake: undone from the list.
  await submitWith(page, 'ul.door button.button-secondary');
  assert.match(await text(page), /Arrivée de Zoé Laurent annulée/);
  assert.match(await text(page), /1 arrivée sur 2 inscriptions confirmées/);
  await clean(page, 'door list after an undo');
  // Someone who did not register: the short form, a name missing first, then full ("sur
  // place" asked), then ticked.
  await page.focus('details.walk-in summary');
  await page.keyboard.press('Enter');
  await fill(page, '#walk_in_family_name', 'Marchand');
  response = await submitWith(page, 'details.walk-in button[type=submit]');
  assert.equal(response.status(), 422);
  await clean(page, 'walk-in form with an error');
  await fill(page, '#walk_in_given_name', 'Léon');
  response = await submitWith(page, 'details.walk-in button[type=submit]');
  assert.equal(response.status(), 409);
  assert.match(await text(page), /La rencontre est complète/);
  await page.focus('#walk_in_sur_place');
  await page.keyboard.press('Space');
  await submitWith(page, 'details.walk-in button[type=submit]');
  assert.match(await text(page), /Arrivée de Léon Marchand enregistrée/);
  assert.match(await text(page), /2 arrivées sur 3 inscriptions confirmées/);

  // Cancel the event behind its confirmation, with an error first.
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`${site.base}${eventUrl}/annulation`);
  response = await submitWith(page, 'form button.button-danger');
  assert.equal(response.status(), 422);
  await clean(page, 'cancel the event, with an error');
  await visitor.close();
  await page.close();
});

test('a form sent after the session ended keeps what was typed through the sign-in', async () => {
  const page = await site.newPage({ isolated: true });
  await page.goto(site.base + '/connexion');
  await fill(page, '#email', organizer.email);
  await fill(page, '#password', organizer.password);
  await submitWith(page, 'main form button[type=submit]');
  await page.focus('a[href="/gestion/evenements/nouvelle"]');
  await pressAndWait(page);
  await fill(page, '#title', 'Atelier des secrétaires de mairie');
  await fill(page, '#venue_city', 'Ussel');
  // The session ends meanwhile (signed out in another tab of the same browser).
  const other = await page.browserContext().newPage();
  await other.goto(site.base + '/gestion');
  await submitWith(other, 'form[action="/deconnexion"] button');
  await other.close();
  let response = await submitWith(page, 'main form button[type=submit]');
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/gestion/evenements');
  assert.match(await text(page), /ce que vous aviez saisi est gardé/);
  await clean(page, 'sign-in form keeping a form');
  await fill(page, '#email', organizer.email);
  await fill(page, '#password', organizer.password);
  await submitWith(page, 'main form button[type=submit]');
  assert.match(await text(page), /Reprendre votre saisie/);
  await clean(page, 'the kept form, offered again');
  await page.screenshot({ path: join(shots, 'reprendre-saisie.png') });
  response = await submitWith(page, 'main form button[type=submit]');
  assert.match(new URL(page.url()).search, /fait=creee/);
  assert.equal(await page.$eval('#title', (i) => i.value), 'Atelier des secrétaires de mairie');
  await page.close();
});
