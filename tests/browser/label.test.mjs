// The label in a real browser, keyboard only: an admin creates an edition with two categories and
// three criteria (one eliminatory) and opens it; two organizers submit candidacies; two jurors
// score them (one score below the eliminatory threshold, and a form sent incomplete first); the
// admin's ranking shows the API's totals and elimination; the admin awards `or` and `bronze`; the
// public palmarès shows them; a revocation removes one. axe-core and html-validate on every page
// type of the label and of the administration. Screenshots of the scoring and ranking pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  adminEmail, adminPassword, shots, startSite, focusAndType as fill, pressAndWait, text,
  axeViolations, scrollsSideways, clean, submitWith,
} from './harness.mjs';

let site;
const password = 'une phrase de passe solide';
const people = {
  orgaA: 'orga.tulle@correze.fr', orgaB: 'orga.brive@correze.fr',
  juryA: 'jure.un@label.fr', juryB: 'jure.deux@label.fr',
};

before(async () => {
  site = await startSite({
    accounts: [
      { email: people.orgaA, password, role: 'organizer', name: 'Organisatrice de Tulle' },
      { email: people.orgaB, password, role: 'organizer', name: 'Organisateur de Brive' },
      { email: people.juryA, password, role: 'jury', name: 'Juré Un' },
      { email: people.juryB, password, role: 'jury', name: 'Jurée Deux' },
    ],
  });
  for (const [name, siren] of [['Tulle Agglo', '200066744'], ['Brive-la-Gaillarde', '211900311']])
    await site.api('POST', '/v1/territories', { name, kind: 'commune', siren, region: 'Nouvelle-Aquitaine' });
});

after(async () => {
  if (site) await site.close();
});


async function signIn(email, pass = password) {
  const page = await site.newPage({ isolated: true });
  await page.goto(site.base + '/connexion');
  await fill(page, '#email', email);
  await fill(page, '#password', pass);
  await submitWith(page, 'button[type=submit]');
  return page;
}

test('an edition from its opening to the palmarès, keyboard only', async () => {
  // The admin creates the edition and opens it.
  const root = await signIn(adminEmail, adminPassword);
  await root.goto(site.base + '/label');
  await clean(root, 'label home (admin)');
  await submitWith(root, 'a[href="/label/editions/nouvelle"]');
  await clean(root, 'new edition form');
  await fill(root, '#year', '2031');
  await fill(root, '#name', 'Territoires innovants 2031');
  await root.$eval('#candidacy_opens_at', (i) => { i.value = '2026-01-01T09:00'; });
  await root.$eval('#candidacy_closes_at', (i) => { i.value = '2036-01-01T09:00'; });
  // Names only: the codes are made from them.
  await fill(root, '#categorie-nom-0', 'Tiers-lieux');
  await fill(root, '#categorie-nom-1', 'Inclusion numérique');
  const criteria = [['impact', 'Impact', '2'], ['cooperation', 'Coopération', '1'],
                    ['sobriete', 'Sobriété', '1,5']];
  for (const [i, [code, name, weight]] of criteria.entries()) {
    await fill(root, `#critere-nom-${i}`, name);
    await fill(root, `#critere-poids-${i}`, weight);
  }
  await root.focus('#critere-eliminatoire-2');
  await root.keyboard.press('Space');
  await fill(root, '#critere-seuil-2', '2');
  let response = await submitWith(root, 'form[action="/label/editions"] button[type=submit]');
  assert.equal(response.status(), 200);
  const rankingUrl = new URL(root.url()).pathname;
  const campaign = rankingUrl.split('/')[3];
  assert.match(await text(root), /L'édition est créée/);
  // The step goes through its confirmation page.
  await root.focus('a[href$="/etat?vers=open"]');
  await Promise.all([root.waitForNavigation(), root.keyboard.press('Enter')]);
  assert.match(await text(root), /L'édition ne reviendra pas à l'état de brouillon/);
  await clean(root, 'confirmation of an edition step');
  await submitWith(root, 'form[action$="/etat"] button');
  assert.match(await text(root), /Les candidatures sont ouvertes/);

  // Two organizers submit, one in each category (a form with an error first).
  const candidacies = [];
  for (const [email, territory, category, title] of [
    [people.orgaA, 'Tulle Agglo', 'tiers-lieux', 'La Fabrique de Tulle'],
    [people.orgaB, 'Brive-la-Gaillarde', 'tiers-lieux', 'Le bus numérique de Brive'],
    [people.orgaA, 'Tulle Agglo', 'inclusion-numerique', 'Les ateliers numériques de Tulle']]) {
    const page = await signIn(email);
    await page.goto(site.base + '/label');
    await submitWith(page, `a[href="/label/editions/${campaign}/candidature"]`);
    if (candidacies.length === 0) {
      await fill(page, '#initiative_title', title);
      response = await submitWith(page, 'button[value=enregistrer]');
      assert.equal(response.status(), 422);
      await clean(page, 'candidacy form with errors');
    }
    const territoryValue = await page.$$eval('#territory_id option', (options, t) =>
      options.find((o) => o.textContent.startsWith(t)).value, territory);
    await page.select('#territory_id', territoryValue);
    await page.select('#category', category);
    await fill(page, '#initiative_title', title);
    await fill(page, '#summary', 'Une initiative portée avec les habitants.');
    response = await submitWith(page, 'button[value=enregistrer]');
    assert.equal(new URL(page.url()).pathname, '/label');
    assert.match(await text(page), /La candidature est déposée/);
    await clean(page, 'label home (organizer)');
    candidacies.push(title);
    await page.close();
  }

  // Two jurors score both; the second one finds the bus wanting on sobriety.
  const scores = {
    [people.juryA]: { 'La Fabrique de Tulle': [5, 4, 4], 'Le bus numérique de Brive': [5, 4, 1],
                      'Les ateliers numériques de Tulle': [3, 3, 3] },
    [people.juryB]: { 'La Fabrique de Tulle': [4, 4, 3], 'Le bus numérique de Brive': [4, 5, 2],
                      'Les ateliers numériques de Tulle': [3, 4, 4] },
  };
  for (const juror of [people.juryA, people.juryB]) {
    const page = await signIn(juror);
    await page.goto(`${site.base}/label/editions/${campaign}/evaluation`);
    assert.match(await text(page), /0 sur 3 candidatures évaluées/);
    await clean(page, 'a juror\'s candidacies');
    for (const title of candidacies) {
      await page.goto(`${site.base}/label/editions/${campaign}/evaluation`);
      const link = await page.$$eval('main a', (links, t) => links.find((a) => a.textContent === t).getAttribute('href'), title);
      await submitWith(page, `a[href="${link}"]`);
      const values = scores[juror][title];
      if (juror === people.juryA && title === candidacies[0]) {
        // Sent with a criterion left out: said, and nothing saved.
        await page.focus(`#critere-impact-${values[0]}`);
        await page.keyboard.press('Space');
        response = await submitWith(page, 'main form button[type=submit]');
        assert.equal(response.status(), 422);
        assert.match(await page.$eval('.error-summary', (s) => s.innerText), /Choisissez une note pour « Coopération »/);
        await clean(page, 'scoring page with an error');
      }
      for (const [i, [code]] of criteria.entries()) {
        await page.focus(`#critere-${code}-${values[i]}`);
        await page.keyboard.press('Space');
      }
      await fill(page, '#comment', 'Évaluée au clavier.');
      await submitWith(page, 'main form button[type=submit]');
      assert.match(await text(page), /Votre évaluation est enregistrée/);
      if (juror === people.juryB && title === candidacies[0]) {
        await clean(page, 'scoring page');
        await page.screenshot({ path: join(shots, 'label-evaluation.png'), fullPage: true });
      }
    }
    await page.goto(`${site.base}/label/editions/${campaign}/evaluation`);
    assert.match(await text(page), /3 sur 3 candidatures évaluées/);
    await page.close();
  }

  // The ranking: the API's totals, the bus eliminated by sobriety.
  const api = await site.api('GET', `/v1/label-campaigns/${campaign}/ranking`);
  const fabrique = api.items.find((e) => e.candidacy.initiative_title === 'La Fabrique de Tulle');
  const bus = api.items.find((e) => e.candidacy.initiative_title === 'Le bus numérique de Brive');
  assert.equal(bus.eliminated, true);
  assert.equal(bus.eliminated_by, 'sobriete');
  await root.goto(site.base + rankingUrl);
  const main = await text(root);
  const total = (Math.round(fabrique.weighted_total * 100) / 100).toString().replace('.', ',');
  assert.match(main, new RegExp(`La Fabrique de Tulle\\s+1\\s+Tulle Agglo\\s+${total}\\s+2`));
  // At 1280 px the ranking fits: no table scrolls inside its region.
  const wide = await root.$$eval('.table-scroll', (l) => l.filter((r) => r.scrollWidth > r.clientWidth).length);
  assert.equal(wide, 0, 'a ranking table scrolls sideways at 1280 px');
  assert.match(main, /Le bus numérique de Brive — Brive-la-Gaillarde : écartée par le critère « Sobriété »/);
  await clean(root, 'ranking');
  await root.screenshot({ path: join(shots, 'label-classement.png'), fullPage: true });

  // Awards: or for the Fabrique, bronze for the workshops; the bus, eliminated, has no form.
  const visitor = await site.newPage({ isolated: true });
  const forms = await root.$$eval('form.award-form input[name=candidature]', (l) => l.map((i) => i.value));
  assert.equal(forms.length, 2);
  for (const [id, level, citation] of [[forms[0], 'or', 'Un lieu ouvert à tous'], [forms[1], 'bronze', '']]) {
    await root.select(`#niveau-${id}`, level);
    await fill(root, `#citation-${id}`, citation);
    await submitWith(root, `form.award-form:has(input[value="${id}"]) button`);
    // The preview: the public palmarès with this award, given by the next button only.
    assert.match(await text(root), /Aperçu du palmarès 2031/);
    assert.match(await text(root), /Nouveau prix, pas encore décerné/);
    if (level === 'or') {
      assert.match(await text(root), /Un lieu ouvert à tous/);
      await clean(root, 'palmarès preview');
      await root.screenshot({ path: join(shots, 'label-apercu-palmares.png'), fullPage: true });
      await visitor.goto(site.base + '/palmares/2031');
      assert.doesNotMatch(await text(visitor), /La Fabrique de Tulle/);
    }
    await submitWith(root, 'form[action$="/prix"] button');
    assert.match(await text(root), /Le prix est décerné/);
  }
  await visitor.goto(site.base + '/palmares/2031');
  assert.match(await text(visitor), /La Fabrique de Tulle/);
  assert.match(await text(visitor), /Les ateliers numériques de Tulle/);
  // The bronze revoked behind a confirmation, with a reason (an error first).
  await root.goto(site.base + rankingUrl);
  const revoke = await root.$$eval('a[href*="/retrait"]', (links) =>
    links.find((a) => a.parentElement.textContent.startsWith('Bronze')).getAttribute('href'));
  await submitWith(root, `a[href="${revoke}"]`);
  await clean(root, 'revoke an award');
  response = await submitWith(root, 'form button.button-danger');
  assert.equal(response.status(), 422);
  await clean(root, 'revoke an award, with an error');
  await fill(root, '#reason', 'Décerné par erreur');
  await submitWith(root, 'form button.button-danger');
  assert.match(await text(root), /Le prix est retiré du palmarès/);
  await visitor.goto(site.base + '/palmares/2031');
  assert.doesNotMatch(await text(visitor), /Les ateliers numériques de Tulle/);
  assert.match(await text(visitor), /La Fabrique de Tulle/);
  await visitor.close();

  // The administration's pages.
  for (const [name, path] of [['administration', '/admin'], ['accounts', '/admin/comptes?q=correze'],
                              ['notifications', '/admin/notifications'], ['audit log', '/admin/journal?entite=award']]) {
    response = await root.goto(site.base + path);
    assert.equal(response.status(), 200, name);
    await clean(root, name);
  }
  assert.match(await text(root), /revoke_award/);
  await root.close();
});
