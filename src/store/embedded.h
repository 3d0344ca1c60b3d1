/*
 * embedded.h — files compiled into the program by cmake/embed.cmake: the SQL
 * migrations in order, and the OpenAPI document.
 */
#ifndef CY_STORE_EMBEDDED_H
#define CY_STORE_EMBEDDED_H

struct cy_migration {
    const char *name;
    const char *sql;
};

/* ended by {NULL, NULL} */
extern const struct cy_migration cy_migrations[];
extern const char cy_openapi_json[];

#endif
