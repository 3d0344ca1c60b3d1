/*
 * kinds.c — the two kinds of pilot document, schemes (Annex 1) and plans
 * (Annexes 2–4): their tables, names, the SQL that loads one, the statuses
 * that may be edited and the refusals in words (pilot_kind_t, internal.h).
 * Data only: every file of the pilot that handles a document asks here, and
 * this file asks nothing of them.
 */
#include "app/pilot/internal.h"

static const char *const SCHEME_EDITABLE[] = {"draft", NULL};
static const char *const PLAN_EDITABLE[] = {"draft", "returned", NULL};

/* Both kinds' rows load under the same names: a scheme is Annex 1, with no holder or package. */
const pilot_kind_t pilot_scheme_kind = {
    .kind = "scheme",
    .table = "pilot_scheme",
    .zh = "服务方案",
    .en = "service scheme",
    .short_en = "scheme",
    .load_sql = "SELECT s.id, s.round_id, 1 AS annex, s.status, s.lead_org_id AS owner_org_id, 0 "
                "AS holder_org_id, 0 AS package_id, 0 AS catalogue_scheme_id, s.form FROM "
                "pilot_scheme s JOIN organisation lo ON lo.id = s.lead_org_id WHERE s.id = $5 "
                "AND " PILOT_SCHEME_VISIBLE,
    .form_sql = "UPDATE pilot_scheme SET name = $1, form = $2, body_zishu = $3, updated_at = $4 "
                "WHERE id = $5",
    .editable = SCHEME_EDITABLE,
    .not_draft = "scheme_not_draft",
    .owner_only = "只有牵头申报单位可以修改或提交服务方案 / only the lead unit edits or submits a "
                  "scheme",
    .edit_closed = "服务方案已提交，不能再修改 / the scheme has been submitted and can no longer "
                   "change",
    .confirm_closed = "服务方案已提交 / the scheme has already been submitted",
};

const pilot_kind_t pilot_plan_kind = {
    .kind = "plan",
    .table = "pilot_plan",
    .zh = "试点工作方案",
    .en = "pilot plan",
    .short_en = "plan",
    .load_sql = "SELECT p.id, p.round_id, p.annex, p.status, p.author_org_id AS owner_org_id, "
                "p.holder_org_id, p.package_id, p.catalogue_scheme_id, p.form FROM pilot_plan p "
                "WHERE p.id = $5 AND " PILOT_PLAN_VISIBLE,
    .form_sql = "UPDATE pilot_plan SET name = $1, form = $2, body_zishu = $3, updated_at = $4 "
                "WHERE id = $5",
    .editable = PLAN_EDITABLE,
    .not_draft = "plan_not_draft",
    .owner_only = "只有牵头单位可以修改或报送试点工作方案 / only the plan's lead unit edits or "
                  "submits it",
    .edit_closed = "试点工作方案已报送，退回修改前不能再改 / the plan has been sent: it changes "
                   "only after it is returned",
    .confirm_closed = "试点工作方案已报送 / the plan has already been sent",
};

const pilot_kind_t *
pilot_kind(int annex)
{
    return annex == 1 ? &pilot_scheme_kind : &pilot_plan_kind;
}
