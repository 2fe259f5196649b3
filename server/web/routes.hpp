// The site's pages, each group added to the router by its own file.
#pragma once

#include "server/transport/router.hpp"

namespace rencontres::web {

void register_verification_pages(http::router& r);         // verification_pages.cpp
void register_account_pages(http::router& r);              // account_pages.cpp
void register_public_pages(http::router& r);               // public_pages.cpp
void register_registration_pages(http::router& r);         // registration_pages.cpp
void register_console_pages(http::router& r);              // console_pages.cpp
void register_console_event_pages(http::router& r);        // console_events.cpp
void register_console_agenda_pages(http::router& r);       // console_agenda.cpp
void register_console_registration_pages(http::router& r); // console_registrations.cpp
void register_console_question_pages(http::router& r);     // console_questions.cpp
void register_label_jury_pages(http::router& r);           // label_jury_pages.cpp
void register_label_admin_pages(http::router& r);          // label_admin_pages.cpp
void register_label_candidacy_pages(http::router& r);      // label_candidacy_pages.cpp
void register_admin_pages(http::router& r);                // admin_pages.cpp
void register_floor_pages(http::router& r);                // floor_pages.cpp
void register_report_pages(http::router& r);               // report_pages.cpp

} // namespace rencontres::web
