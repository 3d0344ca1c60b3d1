/*
 * contact.c — e-mail and phone formats. Deliberately plain: the platform
 * checks the shape a person can fix, not deliverability. Pure: libc only.
 */
#include "core/contact.h"

#include <string.h>

cy_status_t
contact_email_check(const char *s, const char *field, cy_error_t *err)
{
    if (s == NULL || s[0] == '\0')
        return CY_OK;
    const char *at = strchr(s, '@');
    if (at == NULL || at == s || strchr(at + 1, '@') != NULL || strchr(at + 1, '.') == NULL ||
        at[1] == '.' || s[strlen(s) - 1] == '.' || strpbrk(s, " \t,;<>") != NULL)
        return cy_error_set(err, CY_EINVAL, "email_invalid", field,
                            "邮箱格式不正确 / email address is malformed");
    return CY_OK;
}

cy_status_t
contact_phone_check(const char *s, const char *field, cy_error_t *err)
{
    if (s != NULL && s[0] != '\0' && strspn(s, "0123456789+-() ") != strlen(s))
        return cy_error_set(err, CY_EINVAL, "phone_invalid", field,
                            "%s 只能包含数字、空格和 + - ( ) / %s may hold only digits, spaces "
                            "and + - ( )",
                            field, field);
    return CY_OK;
}
