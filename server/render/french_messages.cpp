#include "server/render/french_messages.hpp"

#include <array>
#include <optional>

namespace rencontres::render {

std::string_view french(rule r) {
    switch (r) {
    case rule::authentication_required:
        return "Connectez-vous pour continuer.";
    case rule::wrong_credentials:
        return "L'adresse électronique ou le mot de passe est incorrect.";
    case rule::token_invalid:
        return "Ce lien ou cette session n'est plus valable : connectez-vous à nouveau.";
    case rule::not_allowed:
        return "Votre compte ne permet pas cette action.";
    case rule::not_an_organizer:
        return "Seule l'équipe d'organisation de la rencontre peut la modifier.";
    case rule::not_the_submitter:
        return "Seule la personne qui a déposé la candidature peut la modifier ou la retirer.";
    case rule::not_the_owner:
        return "Seule la personne qui a créé ce webhook peut le modifier ; vous pouvez le mettre "
               "en pause ou le supprimer.";
    case rule::rights_lost:
        return "Vous n'avez plus les droits que ce webhook demande : il est désactivé.";
    case rule::admin_only_now:
        return "Ce territoire a reçu un prix ou accueille une rencontre publiée : seule "
               "l'administration peut encore le modifier.";
    case rule::registration_token_required:
        return "Ouvrez le lien reçu par courriel pour gérer votre inscription.";
    case rule::account_not_found:
        return "Ce compte n'existe pas.";
    case rule::event_not_found:
        return "Cette rencontre n'existe pas ou n'est pas publiée.";
    case rule::organizer_not_found:
        return "Ce compte n'organise pas cette rencontre.";
    case rule::session_not_found:
        return "Cette séance n'existe pas dans cette rencontre.";
    case rule::speaker_not_found:
        return "Cet intervenant n'existe pas.";
    case rule::territory_not_found:
        return "Ce territoire n'existe pas.";
    case rule::registration_not_found:
        return "Cette inscription n'existe pas, ou le lien n'est pas le bon.";
    case rule::calendar_not_found:
        return "Cet agenda n'existe pas, ou le lien n'est plus valable.";
    case rule::campaign_not_found:
        return "Cette édition du label n'existe pas.";
    case rule::candidacy_not_found:
        return "Cette candidature n'existe pas.";
    case rule::award_not_found:
        return "Ce prix n'existe pas.";
    case rule::palmares_not_found:
        return "Aucun palmarès pour cette année.";
    case rule::message_not_found:
        return "Ce message n'existe pas.";
    case rule::webhook_not_found:
        return "Ce webhook n'existe pas.";
    case rule::delivery_not_found:
        return "Cet envoi n'existe pas.";
    case rule::invitation_not_found:
        return "Cette invitation n'existe pas ou plus.";
    case rule::floor_question_not_found:
        return "Cette question n'existe pas ou n'est pas visible.";
    case rule::poll_not_found:
        return "Ce sondage n'existe pas ou n'est pas encore ouvert.";
    case rule::report_not_found:
        return "Le compte rendu de cette rencontre n'est pas encore publié.";
    case rule::email_taken:
        return "Un compte existe déjà avec cette adresse électronique.";
    case rule::slug_taken:
        return "Une rencontre a déjà cette adresse.";
    case rule::siren_taken:
        return "Un territoire a déjà ce SIREN.";
    case rule::campaign_year_taken:
        return "Une édition du label existe déjà pour cette année.";
    case rule::already_registered:
        return "Cette adresse électronique est déjà inscrite à cette rencontre. Votre "
               "inscription se gère depuis le lien reçu par courriel.";
    case rule::candidacy_exists:
        return "Ce territoire a déjà une candidature dans cette catégorie.";
    case rule::award_exists:
        return "Cette candidature a déjà reçu un prix.";
    case rule::idempotency_key_taken:
        return "Cette clé d'idempotence a déjà servi à quelqu'un d'autre.";
    case rule::invitation_pending:
        return "Une invitation à cette adresse attend déjà une réponse : renvoyez-la plutôt.";
    case rule::questions_off:
        return "Cette séance ne reçoit pas de questions de la salle.";
    case rule::floor_question_closed:
        return "Cette question ne reçoit plus de votes : elle a reçu sa réponse.";
    case rule::poll_already_open:
        return "Un autre sondage de cette séance est ouvert : fermez-le d'abord.";
    case rule::poll_not_open:
        return "Ce sondage n'est pas ouvert.";
    case rule::poll_closed:
        return "Ce sondage est clos : les réponses ne sont plus reçues.";
    case rule::poll_answered:
        return "Vous avez déjà répondu à ce sondage depuis cet appareil.";
    case rule::event_not_started:
        return "La rencontre n'a pas encore commencé : son compte rendu se publie ensuite.";
    case rule::changed_since_read:
        return "Quelqu'un a modifié ces informations entre-temps : rechargez la page avant de "
               "recommencer.";
    case rule::last_admin:
        return "C'est le dernier compte qui administre : donnez d'abord ce rôle à un autre "
               "compte.";
    case rule::last_organizer:
        return "C'est la dernière personne de l'équipe d'organisation de la rencontre : "
               "ajoutez-en d'abord une autre.";
    case rule::email_already_verified:
        return "Cette adresse électronique est déjà vérifiée.";
    case rule::event_cancelled:
        return "Cette rencontre est annulée.";
    case rule::event_not_draft:
        return "Seul un brouillon peut être publié ou supprimé ; une rencontre publiée "
               "s'annule.";
    case rule::event_is_draft:
        return "Un brouillon n'a jamais été public : supprimez-le plutôt que de l'annuler.";
    case rule::event_not_published:
        return "Cette rencontre n'est pas encore publiée.";
    case rule::event_full:
        return "La rencontre est complète : cochez « sur place » pour accueillir cette personne "
               "au-delà de la capacité.";
    case rule::event_started:
        return "Cette rencontre a déjà commencé.";
    case rule::event_not_over:
        return "L'attestation est disponible une fois la rencontre terminée.";
    case rule::registration_not_open_yet:
        return "Les inscriptions ne sont pas encore ouvertes.";
    case rule::registration_closed:
        return "Les inscriptions sont closes.";
    case rule::registration_cancelled:
        return "Cette inscription est annulée.";
    case rule::already_checked_in:
        return "L'arrivée de cette personne est déjà enregistrée.";
    case rule::not_confirmed:
        return "Seule une inscription confirmée peut être accueillie.";
    case rule::no_check_in_to_undo:
        return "L'arrivée de cette personne n'était pas enregistrée.";
    case rule::not_checked_in:
        return "L'attestation est réservée aux personnes accueillies à la rencontre.";
    case rule::session_clash:
        return "Cette séance chevauche une autre séance dans la même salle, ou un de ses "
               "intervenants parle ailleurs au même moment.";
    case rule::speaker_scheduled:
        return "Cet intervenant figure au programme d'une séance : retirez-le d'abord de la "
               "séance.";
    case rule::question_answered:
        return "Une question à laquelle des personnes ont répondu reste, avec son type.";
    case rule::option_chosen:
        return "Une option déjà choisie ne peut pas disparaître.";
    case rule::campaign_not_draft:
        return "Les catégories, les critères et l'année ne changent que tant que l'édition est "
               "un brouillon.";
    case rule::campaign_awarded:
        return "Les évaluations de cette édition sont closes.";
    case rule::campaign_step:
        return "Une édition avance d'une étape à la fois : brouillon, ouverte, close, primée.";
    case rule::candidacy_window_closed:
        return "Les candidatures de cette édition sont closes.";
    case rule::candidacy_withdrawn:
        return "Cette candidature est retirée.";
    case rule::candidacy_not_submitted:
        return "Seule une candidature déposée peut être présélectionnée.";
    case rule::candidacy_eliminated:
        return "Une candidature éliminée par un critère ne peut pas être primée.";
    case rule::conflict_of_interest:
        return "Vous avez déposé cette candidature : vous ne pouvez pas l'évaluer.";
    case rule::award_revoked:
        return "Ce prix est déjà retiré.";
    case rule::message_not_failed:
        return "Seul un message en échec peut être renvoyé.";
    case rule::delivery_not_failed:
        return "Seul un envoi en échec peut être renvoyé.";
    case rule::organizer_added_directly:
        return "Cette adresse a déjà un compte qui peut organiser : il est ajouté directement "
               "à l'équipe d'organisation de la rencontre.";
    case rule::too_many_attempts:
        return "Trop de tentatives : réessayez dans quelques minutes.";
    case rule::too_many_sign_ups:
        return "Trop de comptes créés depuis cette adresse : réessayez plus tard.";
    case rule::too_many_registrations:
        return "Trop de demandes ont été envoyées depuis votre connexion. Réessayez dans "
               "quelques minutes.";
    case rule::verification_sent_recently:
        return "Un message de vérification vient d'être envoyé : réessayez dans quelques "
               "minutes.";
    case rule::too_many_announcements:
        return "Cinq messages ont déjà été envoyés pour cette rencontre ces dernières 24 heures "
               ": réessayez plus tard.";
    case rule::too_many_floor_posts:
        return "Trop de questions ou de votes depuis votre connexion : patientez une minute "
               "avant de recommencer.";
    case rule::too_many_password_resets:
        return "Trop de demandes de nouveau mot de passe : réessayez dans une heure.";
    case rule::invalid_fields:
        return "Certaines valeurs ne sont pas valides.";
    case rule::stored_reply_unreadable:
        return "Le service ne peut pas répondre pour l'instant : réessayez dans un moment.";
    }
    return {};
}

std::string_view french(field_rule r) {
    switch (r) {
    case field_rule::required:
        return "Ce champ est obligatoire.";
    case field_rule::required_to_publish:
        return "Ce champ est nécessaire pour publier.";
    case field_rule::length:
        return "Ce texte est trop long, ou vide.";
    case field_rule::range:
        return "Ce nombre sort des limites permises.";
    case field_rule::count:
        return "Le nombre d'éléments choisis n'est pas permis.";
    case field_rule::format:
        return "Cette valeur n'est pas valide.";
    case field_rule::choice:
        return "Choisissez une valeur de la liste.";
    case field_rule::unknown:
        return "Cet élément n'existe pas ou plus.";
    case field_rule::duplicate:
        return "Cette valeur figure deux fois.";
    case field_rule::order:
        return "Cette date doit venir après la précédente.";
    case field_rule::outside_event:
        return "La séance doit se tenir pendant la rencontre.";
    case field_rule::event_undated:
        return "Donnez d'abord ses dates à la rencontre.";
    case field_rule::unchangeable:
        return "Cette valeur ne peut plus changer.";
    case field_rule::unsafe_address:
        return "Cette adresse mène à un réseau privé : indiquez une adresse publique.";
    case field_rule::incomplete:
        return "Notez chaque critère.";
    case field_rule::link_expired:
        return "Ce lien n'est plus valable : il a déjà servi ou il a expiré. Demandez-en un "
               "nouveau.";
    case field_rule::not_eligible:
        return "Aucun compte d'organisation n'a cette adresse. La personne doit avoir un compte "
               "avec le rôle d'organisation : l'administration du réseau le lui donne.";
    case field_rule::key_reused:
        return "Cette clé d'idempotence a déjà servi pour une autre demande.";
    case field_rule::not_accepted:
        return "Ce champ n'est pas accepté ici.";
    case field_rule::refused:
        return "Cette valeur n'est pas acceptée.";
    case field_rule::sessions_overlap:
        return "Deux des séances choisies ont lieu en même temps : n'en gardez qu'une.";
    }
    return {};
}

std::string sessions_overlap_text(std::string_view first, std::string_view second) {
    return "Les ateliers « " + std::string(first) + " » et « " + std::string(second) +
           " » ont lieu en même temps : n'en cochez qu'un.";
}

namespace {

// A sentence of its own for a field of a form: for one field rule, or (no rule) for any.
// `prefix`: the field and those under it ("links" for "links[2]").
struct field_text {
    std::string_view form;
    std::string_view field;
    std::optional<field_rule> broken;
    std::string_view text;
    bool prefix = false;
};

constexpr auto any = std::nullopt;

// The first row that fits is the sentence.
constexpr std::array field_texts{
    // the event form of the console
    field_text{"event", "title", any, "Indiquez un titre (200 caractères au plus)."},
    field_text{"link", "email", any,
               "Saisissez l'adresse électronique utilisée pour vous inscrire, par exemple "
               "prenom.nom@mairie.fr."},
    field_text{"event", "contact_email", any,
               "Saisissez une adresse électronique valide, par exemple contact@mairie.fr."},
    field_text{"event", "summary", any, "Le résumé doit tenir en 500 caractères au plus."},
    field_text{"event", "description", any,
               "La description doit tenir en 20 000 caractères au plus."},
    field_text{"event", "timezone", any, "Choisissez un fuseau horaire de la liste."},
    field_text{"event", "starts_at", field_rule::required, "Indiquez la date et l'heure de début."},
    field_text{"event", "starts_at", field_rule::required_to_publish,
               "Indiquez la date et l'heure de début."},
    field_text{"event", "starts_at", field_rule::outside_event,
               "Une séance du programme sortirait des dates de la rencontre : déplacez-la "
               "d'abord."},
    field_text{"event", "starts_at", any,
               "Indiquez une date et une heure de début valides (jj/mm/aaaa hh:mm)."},
    field_text{"event", "ends_at", field_rule::required, "Indiquez la date et l'heure de fin."},
    field_text{"event", "ends_at", field_rule::required_to_publish,
               "Indiquez la date et l'heure de fin."},
    field_text{"event", "ends_at", field_rule::outside_event,
               "Une séance du programme sortirait des dates de la rencontre : déplacez-la "
               "d'abord."},
    field_text{"event", "ends_at", any, "Indiquez une fin valide, après le début."},
    field_text{"event", "venue.name", any, "Le nom du lieu doit tenir en 200 caractères au plus."},
    field_text{"event", "venue.address", any, "L'adresse doit tenir en 300 caractères au plus."},
    field_text{"event", "venue.postal_code", any,
               "Le code postal doit tenir en 10 caractères au plus."},
    field_text{"event", "venue.city", field_rule::required,
               "Indiquez la commune où se tient la rencontre."},
    field_text{"event", "venue.city", field_rule::required_to_publish,
               "Indiquez la commune où se tient la rencontre."},
    field_text{"event", "venue.city", any, "La commune doit tenir en 100 caractères au plus."},
    field_text{"event", "capacity", any,
               "Indiquez un nombre de places entre 0 et 1 000 000, ou laissez vide pour ne pas "
               "limiter."},
    field_text{"event", "registration_opens_at", any,
               "Indiquez une date d'ouverture valide, ou laissez vide."},
    field_text{"event", "registration_closes_at", any,
               "Indiquez une date de clôture valide, après l'ouverture, ou laissez vide."},
    field_text{"event", "host_territory_id", any, "Choisissez un territoire de la liste."},
    field_text{"event", "reason", any,
               "Indiquez le motif de l'annulation (500 caractères au plus)."},
    // adding a co-organizer
    field_text{"organizer", "organizer_name", field_rule::not_eligible,
               "Aucun compte d'organisation n'a cette adresse : indiquez le nom de la personne "
               "pour l'inviter."},
    field_text{"organizer", "organizer_name", any,
               "Indiquez le nom de la personne à inviter (120 caractères au plus)."},
    field_text{"organizer", "organizer_email", field_rule::unknown,
               "Cette adresse a un compte, sans le rôle d'organisation : demandez à "
               "l'administration du réseau de le lui donner, puis ajoutez-la."},
    field_text{"organizer", "organizer_email", field_rule::format,
               "Indiquez une adresse électronique valide."},
    // an admin's invitation form
    field_text{"invite", "email", any,
               "Indiquez une adresse électronique valide, par exemple prenom.nom@mairie.fr."},
    field_text{"invite", "display_name", any,
               "Indiquez le nom de la personne à inviter (120 caractères au plus)."},
    field_text{"invite", "role", any, "Choisissez un rôle de la liste."},
    // accepting an invitation, choosing a new password
    field_text{"invitation", "display_name", any,
               "Indiquez le nom qui vous représentera (120 caractères au plus)."},
    field_text{"invitation", "password", any,
               "Choisissez un mot de passe de 10 caractères au moins."},
    field_text{"password", "password", any,
               "Choisissez un mot de passe de 10 caractères au moins."},
    field_text{"forgotten", "email", any,
               "Saisissez l'adresse électronique de votre compte, par exemple "
               "prenom.nom@mairie.fr."},
    // the session form of the console
    // the meeting's report in the console (quotes and resources one per line)
    field_text{"report", "introduction", any, "L'introduction compte 20 000 caractères au plus."},
    field_text{"report", "summary", any, "La synthèse compte 10 000 caractères au plus.", true},
    field_text{"report", "quotes", any,
               "Une citation par ligne, de 1 000 caractères au plus ; 20 citations au plus.", true},
    field_text{"report", "resources", any,
               "Une ressource par ligne : « Libellé | https://adresse » ; 20 au plus.", true},
    // questions from the floor and polls
    field_text{"floor", "text", any, "Écrivez votre question (500 caractères au plus)."},
    field_text{"floor", "author_name", any,
               "Indiquez un nom de 100 caractères au plus, ou laissez le champ vide."},
    field_text{"floor", "option_ids", field_rule::count, "Ce sondage n'accepte qu'une réponse."},
    field_text{"floor", "option_ids", field_rule::required, "Choisissez une réponse."},
    field_text{"floor", "option_ids", any,
               "Cette réponse n'est plus proposée : actualisez la page.", true},
    field_text{"poll", "question", any,
               "Indiquez la question du sondage (300 caractères au plus)."},
    field_text{"poll", "options", field_rule::duplicate, "Chaque réponse ne figure qu'une fois.",
               true},
    field_text{"poll", "options", field_rule::length,
               "Chaque réponse compte 100 caractères au plus.", true},
    field_text{"poll", "options", any, "Proposez de 2 à 8 réponses, une par ligne.", true},
    field_text{"session", "title", any, "Indiquez un titre (300 caractères au plus)."},
    field_text{"session", "abstract", any,
               "La présentation doit tenir en 5 000 caractères au plus."},
    field_text{"session", "kind", any, "Choisissez un type de séance de la liste."},
    field_text{"session", "starts_at", field_rule::outside_event,
               "La séance doit se tenir pendant la rencontre."},
    field_text{"session", "starts_at", field_rule::event_undated,
               "Donnez d'abord ses dates à la rencontre."},
    field_text{"session", "starts_at", any, "Indiquez une date et une heure de début valides."},
    field_text{"session", "ends_at", any, "Indiquez une fin valide, après le début."},
    field_text{"session", "room", any, "La salle doit tenir en 100 caractères au plus."},
    field_text{"session", "track", any, "Le parcours doit tenir en 100 caractères au plus."},
    field_text{"session", "capacity", any,
               "Indiquez un nombre de places entre 0 et 1 000 000, ou laissez vide."},
    field_text{"session", "speaker_ids", any, "Un des intervenants choisis n'existe plus.", true},
    field_text{"session", "speaker_name", any,
               "Indiquez le nom de l'intervenant (200 caractères au plus)."},
    // someone registered at the door (the console's walk-in form)
    field_text{"walk_in", "given_name", any, "Indiquez le prénom (100 caractères au plus)."},
    field_text{"walk_in", "family_name", any, "Indiquez le nom (100 caractères au plus)."},
    field_text{"walk_in", "organization", any,
               "L'organisation doit tenir en 200 caractères au plus."},
    field_text{"walk_in", "email", any,
               "Indiquez une adresse électronique valide, ou laissez le champ vide."},
    // the registration form of the public site
    field_text{"registration", "given_name", any,
               "Indiquez votre prénom (100 caractères au plus)."},
    field_text{"registration", "family_name", any, "Indiquez votre nom (100 caractères au plus)."},
    field_text{"registration", "full_name", any,
               "Indiquez vos nom et prénom (200 caractères au plus)."},
    field_text{"registration", "email", any,
               "Indiquez une adresse électronique valide, par exemple prenom.nom@mairie.fr."},
    field_text{"registration", "organization", any,
               "L'organisation doit tenir en 200 caractères au plus."},
    field_text{"registration", "territory_id", any, "Choisissez une collectivité de la liste."},
    field_text{"registration", "consent", any,
               "Cochez la case pour accepter que ces informations soient conservées : sans "
               "elles, l'inscription n'est pas possible."},
    field_text{"registration", "session_ids", field_rule::sessions_overlap,
               "Deux des ateliers choisis ont lieu en même temps : n'en cochez qu'un."},
    field_text{"registration", "session_ids", any,
               "Un des ateliers choisis n'existe pas ou a été choisi deux fois.", true},
    // an answer to one of the event's questions ("answers.<code>")
    field_text{"answer", "answers", field_rule::required, "Répondez à cette question.", true},
    field_text{"answer", "answers", field_rule::length,
               "Votre réponse doit tenir en 2 000 caractères.", true},
    field_text{"answer", "answers", any, "Choisissez une réponse parmi celles proposées.", true},
    // a candidacy to the label, and the territory made on the spot
    field_text{"candidacy", "territory_id", any,
               "Choisissez le territoire de la liste, ou créez-le."},
    field_text{"candidacy", "category", any, "Choisissez une catégorie de l'édition."},
    field_text{"candidacy", "initiative_title", any,
               "Indiquez le titre de l'initiative (300 caractères au plus)."},
    field_text{"candidacy", "summary", any, "Le résumé doit tenir en 5 000 caractères au plus."},
    field_text{"candidacy", "links", any,
               "Chaque lien est une adresse web complète (https://…), 20 liens au plus.", true},
    field_text{"candidacy", "presented_at_event_id", any, "Choisissez une rencontre de la liste."},
    field_text{"candidacy", "name", any, "Indiquez le nom du territoire (200 caractères au plus)."},
    field_text{"candidacy", "siren", any,
               "Indiquez un SIREN de 9 chiffres valide, qu'aucun autre territoire n'a déjà."},
    field_text{"candidacy", "kind", any, "Choisissez la nature du territoire."},
    field_text{"candidacy", "region", any, "Choisissez la région."},
    // an edition of the label
    field_text{"campaign", "year", any,
               "Indiquez une année entre 2000 et 2100, sans édition existante."},
    field_text{"campaign", "name", any, "Indiquez le nom de l'édition (200 caractères au plus)."},
    field_text{"campaign", "categories", any,
               "Indiquez au moins une catégorie, chacune avec un nom qui la distingue des autres.",
               true},
    field_text{"campaign", "criteria", any,
               "Indiquez au moins un critère, avec son nom, un poids supérieur à 0 et, s'il est "
               "éliminatoire, un seuil de 0 à 5.",
               true},
    // a line of the edition form ("Catégorie 2 : " or "Critère 3 : " comes before)
    field_text{"campaign", "category.name", any, "indiquez son nom (200 caractères au plus)."},
    field_text{"campaign", "category.code", any,
               "une autre catégorie porte déjà ce nom ; donnez-lui un nom qui la distingue."},
    field_text{"campaign", "criterion.name", any, "indiquez son nom (200 caractères au plus)."},
    field_text{"campaign", "criterion.code", any,
               "un autre critère porte déjà ce nom ; donnez-lui un nom qui le distingue."},
    field_text{"campaign", "criterion.weight", any,
               "indiquez un poids supérieur à 0 et jusqu'à 1000, par exemple 1 ou 1,5."},
    field_text{"campaign", "criterion.threshold", any,
               "indiquez un seuil de 0 à 5, par exemple 1,5."},
    field_text{"campaign", "candidacy_opens_at", any,
               "Indiquez l'ouverture et la clôture des candidatures, la clôture après "
               "l'ouverture."},
    field_text{"campaign", "candidacy_closes_at", any,
               "Indiquez l'ouverture et la clôture des candidatures, la clôture après "
               "l'ouverture."},
};

bool fits(const field_text& row, std::string_view form, const field_error& e) {
    if (row.form != form) return false;
    if (row.broken && *row.broken != e.broken) return false;
    if (!row.prefix) return e.field == row.field;
    if (e.field.rfind(row.field, 0) != 0) return false;
    const auto rest = std::string_view(e.field).substr(row.field.size());
    return rest.empty() || rest.front() == '[' || rest.front() == '.';
}

} // namespace

std::string_view french(std::string_view form, const field_error& e) {
    for (const auto& row : field_texts)
        if (fits(row, form, e)) return row.text;
    return french(e.broken);
}

} // namespace rencontres::render
