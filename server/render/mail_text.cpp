#include "server/render/mail_text.hpp"

namespace rencontres::render {

std::string mail_link_text(message_kind kind) {
    switch (kind) {
    case message_kind::account_verification:
        return "Confirmer mon adresse";
    case message_kind::account_invitation:
        return "Accepter l'invitation et choisir mon mot de passe";
    case message_kind::password_reset:
        return "Choisir un nouveau mot de passe";
    default:
        return "Voir et gérer mon inscription";
    }
}

std::string mail_footer(const outbox_message& m) {
    return m.reply_to
               ? "Message envoyé par Rencontres pour l'équipe d'organisation : en y répondant, "
                 "vous lui écrivez."
               : "Message automatique envoyé par Rencontres. Merci de ne pas y répondre "
                 "directement.";
}

std::string mail_text(const outbox_message& m, const std::optional<std::string>& link,
                      const std::optional<std::string>& report_link, bool calendar) {
    std::string text = m.body;
    if (link) text += "\n\n" + mail_link_text(m.kind) + " : " + *link;
    if (report_link) text += "\n\nSignaler une inscription que je n'ai pas faite : " + *report_link;
    if (calendar)
        text += "\n\nLe fichier joint « rencontre.ics » ajoute la rencontre à votre agenda.";
    return text + "\n\n-- \n" + mail_footer(m) + "\n";
}

} // namespace rencontres::render
