// The stable machine names of refusals. A problem document carries the rule a refusal rests on
// as `code`, and each of its field errors the way the value is wrong; clients and the pages tell
// refusals apart by these names, never by the English wording of `detail` or `message`.
// The French text of each lives in one table (server/render/french_messages.cpp); a test fails
// when a name has none. Names are append-only: clients rely on them.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace rencontres {

// The rule a whole refusal rests on.
#define RENCONTRES_RULES(X)                                                                        \
    /* identity and rights */                                                                      \
    X(authentication_required)                                                                     \
    X(wrong_credentials)                                                                           \
    X(token_invalid)                                                                               \
    X(not_allowed)                                                                                 \
    X(not_an_organizer)                                                                            \
    X(not_the_submitter)                                                                           \
    X(not_the_owner)                                                                               \
    X(rights_lost)                                                                                 \
    X(admin_only_now)                                                                              \
    X(registration_token_required)                                                                 \
    /* what cannot be found (or seen) */                                                           \
    X(account_not_found)                                                                           \
    X(event_not_found)                                                                             \
    X(organizer_not_found)                                                                         \
    X(session_not_found)                                                                           \
    X(speaker_not_found)                                                                           \
    X(territory_not_found)                                                                         \
    X(registration_not_found)                                                                      \
    X(calendar_not_found)                                                                          \
    X(campaign_not_found)                                                                          \
    X(candidacy_not_found)                                                                         \
    X(award_not_found)                                                                             \
    X(palmares_not_found)                                                                          \
    X(message_not_found)                                                                           \
    X(webhook_not_found)                                                                           \
    X(delivery_not_found)                                                                          \
    X(invitation_not_found)                                                                        \
    X(floor_question_not_found)                                                                    \
    X(poll_not_found)                                                                              \
    X(report_not_found)                                                                            \
    /* uniqueness */                                                                               \
    X(email_taken)                                                                                 \
    X(slug_taken)                                                                                  \
    X(siren_taken)                                                                                 \
    X(campaign_year_taken)                                                                         \
    X(already_registered)                                                                          \
    X(candidacy_exists)                                                                            \
    X(award_exists)                                                                                \
    X(idempotency_key_taken)                                                                       \
    X(invitation_pending)                                                                          \
    /* the state of things */                                                                      \
    X(changed_since_read)                                                                          \
    X(last_admin)                                                                                  \
    X(last_organizer)                                                                              \
    X(email_already_verified)                                                                      \
    X(event_cancelled)                                                                             \
    X(event_not_draft)                                                                             \
    X(event_is_draft)                                                                              \
    X(event_not_published)                                                                         \
    X(event_started)                                                                               \
    X(event_full)                                                                                  \
    X(event_not_over)                                                                              \
    X(registration_not_open_yet)                                                                   \
    X(registration_closed)                                                                         \
    X(registration_cancelled)                                                                      \
    X(already_checked_in)                                                                          \
    X(no_check_in_to_undo)                                                                         \
    X(not_confirmed)                                                                               \
    X(not_checked_in)                                                                              \
    X(session_clash)                                                                               \
    X(speaker_scheduled)                                                                           \
    X(question_answered)                                                                           \
    X(option_chosen)                                                                               \
    X(campaign_not_draft)                                                                          \
    X(campaign_awarded)                                                                            \
    X(campaign_step)                                                                               \
    X(candidacy_window_closed)                                                                     \
    X(candidacy_withdrawn)                                                                         \
    X(candidacy_not_submitted)                                                                     \
    X(candidacy_eliminated)                                                                        \
    X(conflict_of_interest)                                                                        \
    X(award_revoked)                                                                               \
    X(message_not_failed)                                                                          \
    X(delivery_not_failed)                                                                         \
    X(organizer_added_directly)                                                                    \
    X(questions_off)                                                                               \
    X(floor_question_closed)                                                                       \
    X(poll_already_open)                                                                           \
    X(poll_not_open)                                                                               \
    X(poll_closed)                                                                                 \
    X(poll_answered)                                                                               \
    X(event_not_started)                                                                           \
    /* pace */                                                                                     \
    X(too_many_attempts)                                                                           \
    X(too_many_sign_ups)                                                                           \
    X(too_many_registrations)                                                                      \
    X(verification_sent_recently)                                                                  \
    X(too_many_announcements)                                                                      \
    X(too_many_password_resets)                                                                    \
    X(too_many_floor_posts)                                                                        \
    /* validation: the problem's code is then that of its first field error */                     \
    X(invalid_fields)                                                                              \
    /* the service itself */                                                                       \
    X(stored_reply_unreadable)

enum class rule : unsigned char {
#define RENCONTRES_RULE_VALUE(name) name,
    RENCONTRES_RULES(RENCONTRES_RULE_VALUE)
#undef RENCONTRES_RULE_VALUE
};

inline constexpr std::array rule_names{
#define RENCONTRES_RULE_NAME(name) std::string_view{#name},
    RENCONTRES_RULES(RENCONTRES_RULE_NAME)
#undef RENCONTRES_RULE_NAME
};

// How a field's value is wrong.
#define RENCONTRES_FIELD_RULES(X)                                                                  \
    X(required)            /* missing or empty */                                                  \
    X(required_to_publish) /* may stay empty in a draft, not once published */                     \
    X(length)              /* text too short or too long, or with control characters */            \
    X(range)               /* a number outside its bounds */                                       \
    X(count)               /* a list with too few or too many items */                             \
    X(format)              /* not an email, URL, instant, SIREN, code, boolean, string... */       \
    X(choice)              /* not one of the values the field takes */                             \
    X(unknown)             /* names something that does not exist or is not the caller's */        \
    X(duplicate)           /* listed twice, or taken by a sibling */                               \
    X(order)               /* must come after another field */                                     \
    X(outside_event)       /* a session outside its event's start and end */                       \
    X(event_undated)       /* sessions need the event's start and end first */                     \
    X(unchangeable)        /* set once, or by the workflow */                                      \
    X(unsafe_address)      /* a webhook URL to a loopback, private or link-local address */        \
    X(incomplete)          /* a review that does not score every criterion */                      \
    X(link_expired)        /* a one-time link unknown, used or expired */                          \
    X(not_eligible)        /* an account without the role the field needs */                       \
    X(key_reused)          /* an Idempotency-Key sent again with another body */                   \
    X(not_accepted)        /* a field the request may not carry */                                 \
    X(refused)             /* a page shows a refusal of the whole request on this field */         \
    X(sessions_overlap)    /* two sessions chosen together whose times overlap */

enum class field_rule : unsigned char {
#define RENCONTRES_FIELD_RULE_VALUE(name) name,
    RENCONTRES_FIELD_RULES(RENCONTRES_FIELD_RULE_VALUE)
#undef RENCONTRES_FIELD_RULE_VALUE
};

inline constexpr std::array field_rule_names{
#define RENCONTRES_FIELD_RULE_NAME(name) std::string_view{#name},
    RENCONTRES_FIELD_RULES(RENCONTRES_FIELD_RULE_NAME)
#undef RENCONTRES_FIELD_RULE_NAME
};

constexpr std::string_view name_of(rule r) {
    return rule_names[static_cast<std::size_t>(r)];
}
constexpr std::string_view name_of(field_rule r) {
    return field_rule_names[static_cast<std::size_t>(r)];
}

} // namespace rencontres
