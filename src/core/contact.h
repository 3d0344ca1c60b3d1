/*
 * contact.h — the format rules of contact data (e-mail, phone, fax) shared by
 * organisations and users. Pure: libc only.
 */
#ifndef CY_CORE_CONTACT_H
#define CY_CORE_CONTACT_H

#include "core/error.h"

/* An empty address passes (the field is optional); otherwise local@domain.tld. */
cy_status_t contact_email_check(const char *s, const char *field, cy_error_t *err);

/* An empty number passes; otherwise only digits, spaces and + - ( ). */
cy_status_t contact_phone_check(const char *s, const char *field, cy_error_t *err);

#endif
