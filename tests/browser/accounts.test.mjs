// Running Rencontres from the browser alone (API.md §3, §13): the one admin made on the command
// line invites a juror and an organizer from /admin/comptes; both accept from the emails a real
// SMTP server receives, and land on their homes; the organizer then forgets the password and sets
// a new one from /connexion. At 1280 px and 375 px; axe-core, html-validate and the 320 px check
// on each new page and state. Screenshots go to SCREENSHOT_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  adminEmail, adminPassword, shots, startSite, focusAndType as fill, text, clean, submitWith,
} from './harness.mjs';

let site;

before(async () => {
  site = await startSite({ smtp: true });
});

after(async () => {
  if (site) await site.close();
});

// The link a message carries, as its reader would follow it.
function linkIn(mail) {
  const found = /https?:\/\/\S+\?token=[A-Za-z0-9_-]+/.exec(mail.text);
  assert.ok(found, `no link in: ${mail.text}`);
  return found[0];
}

async function signIn(page, email, password) {
  await page.goto(site.base + '/connexion');
  await fill(page, '#email', email);
  await fill(page, '#password', password);
  return submitWith(page, 'main form button[type=submit]');
}

// Opens the invitation link, chooses a password: first too short (the summary comes first, with
// focus), then right. The page the browser lands on.
async function accept(page, link, name, password) {
  let response = await page.goto(link);
  assert.equal(response.status(), 200);
  assert.match(await text(page), /Accepter l'invitation/);
  await clean(page, `invitation page (${name})`);
  await fill(page, '#password', 'court');
  response = await submitWith(page, 'main form button[type=submit]');
  assert.equal(response.status(), 422);
  assert.match(page.url(), /#resume-erreurs$/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'resume-erreurs');
  const top = await page.$eval('#resume-erreurs', (s) => s.getBoundingClientRect().top);
  assert.ok(top > -1 && top < page.viewport().height, `the summary is in the first screen (${top})`);
  assert.match(await text(page), /Choisissez un mot de passe de 10 caractères au moins/);
  assert.equal(await page.$eval('#display_name', (i) => i.value), name);
  await clean(page, `invitation page with an error (${name})`);
  await fill(page, '#password', password);
  await submitWith(page, 'main form button[type=submit]');
  return new URL(page.url()).pathname;
}

test('an admin invites a juror and an organizer; both accept, one resets a password', async () => {
  const admin = await site.newPage({ isolated: true });
  await signIn(admin, adminEmail, adminPassword);
  assert.equal(new URL(admin.url()).pathname, '/admin');
  await admin.goto(site.base + '/admin/comptes');
  await clean(admin, 'accounts page');

  // A wrong address first: said beside the field and in the summary, what was typed kept.
  await fill(admin, '#email', 'jeanne.juree');
  await fill(admin, '#display_name', 'Jeanne Jurée');
  await admin.select('#role', 'jury');
  let response = await submitWith(admin, 'form[action^="/admin/comptes/invitations"] button');
  assert.equal(response.status(), 422);
  assert.match(await text(admin), /Indiquez une adresse électronique valide/);
  assert.equal(await admin.$eval('#display_name', (i) => i.value), 'Jeanne Jurée');
  await clean(admin, 'invitation form with an error');
  await fill(admin, '#email', 'jeanne.juree@haute-vienne.fr');
  response = await submitWith(admin, 'form[action^="/admin/comptes/invitations"] button');
  assert.equal(new URL(admin.url()).search, '?fait=invitation');
  await fill(admin, '#email', 'paul.orga@correze.fr');
  await fill(admin, '#display_name', 'Paul Orga');
  await admin.select('#role', 'organizer');
  await submitWith(admin, 'form[action^="/admin/comptes/invitations"] button');
  const listed = await text(admin);
  assert.match(listed, /L'invitation est envoyée/);
  assert.match(listed, /Jeanne Jurée\s+jeanne\.juree@haute-vienne\.fr\s+Jury du label/);
  assert.match(listed, /Paul Orga\s+paul\.orga@correze\.fr\s+Organisateur·rice/);
  await admin.screenshot({ path: join(shots, 'admin-invitations.png'), fullPage: true });
  await clean(admin, 'accounts page with invitations');

  // The juror accepts on a phone, the organizer at 1280 px; each lands on its home.
  const jurorMail = await site.mailTo('jeanne.juree@haute-vienne.fr', /Invitation/);
  assert.match(jurorMail.text, /jury du label/);
  const juror = await site.newPage({ isolated: true, width: 375, height: 740 });
  assert.equal(await accept(juror, linkIn(jurorMail), 'Jeanne Jurée', 'le jury délibère en 2026'),
               '/label');
  assert.match(await juror.$eval('.account-bar', (b) => b.innerText), /Jeanne Jurée/);
  await juror.screenshot({ path: join(shots, 'juror-home-375.png') });

  const organizerMail = await site.mailTo('paul.orga@correze.fr', /Invitation/);
  const organizer = await site.newPage({ isolated: true });
  assert.equal(await accept(organizer, linkIn(organizerMail), 'Paul Orga', 'tiers-lieux en Corrèze'),
               '/gestion');
  assert.match(await organizer.$eval('.account-bar', (b) => b.innerText), /Paul Orga/);
  await admin.reload();
  assert.match(await text(admin), /Aucune invitation n'attend de réponse/);

  // The organizer forgets the password: the same answer as for any address, then the link.
  const lost = await site.newPage({ isolated: true, width: 375, height: 740 });
  await lost.goto(site.base + '/connexion');
  await lost.focus('a[href="/mot-de-passe-oublie"]');
  await Promise.all([lost.waitForNavigation(), lost.keyboard.press('Enter')]);
  await clean(lost, 'forgotten password page');
  await fill(lost, '#email', 'paul.orga@correze.fr');
  await submitWith(lost, 'main form button[type=submit]');
  assert.match(await text(lost), /Si un compte existe pour l'adresse paul\.orga@correze\.fr/);
  await clean(lost, 'forgotten password sent');
  const resetMail = await site.mailTo('paul.orga@correze.fr', /nouveau mot de passe/);
  response = await lost.goto(linkIn(resetMail));
  assert.equal(response.status(), 200);
  await clean(lost, 'new password page');
  await fill(lost, '#password', 'une nouvelle phrase de passe');
  await submitWith(lost, 'main form button[type=submit]');
  assert.equal(new URL(lost.url()).pathname, '/connexion');
  assert.match(await text(lost), /Votre mot de passe est changé/);
  await lost.screenshot({ path: join(shots, 'password-changed-375.png') });

  // The session opened with the old password is over; the new one signs in.
  await organizer.goto(site.base + '/gestion');
  assert.equal(new URL(organizer.url()).pathname, '/connexion');
  await signIn(lost, 'paul.orga@correze.fr', 'une nouvelle phrase de passe');
  assert.equal(new URL(lost.url()).pathname, '/gestion');
  // The link is spent.
  response = await lost.goto(linkIn(resetMail));
  assert.equal(response.status(), 410);
  await clean(lost, 'spent link');
});
